// Stage 2 for experts: the queue of assigned practices and the review form of one practice
// (decision, reason when rejecting, scores by the agenda's criteria).
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useLoad } from '../lib/hooks';
import { eventPath } from '../lib/intake';
import { Breadcrumbs, LoadError, LoginNeeded } from '../components/Intake';
import { Loading } from '../components/Layout';

export interface Criterion {
  id: string;
  title: string;
  max: number;
}
export interface ExpertReview {
  decision: 'present' | 'gallery' | 'rejected';
  reason: string;
  scores?: Record<string, number>;
  updated_at?: string;
}
interface QueueItem {
  id: number;
  title: string;
  section: number;
  section_title: string;
  review: ExpertReview | null;
}

export const kDecisionTitle: Record<string, string> = {
  present: 'Допустить к выступлению на секции 8 июля',
  gallery: 'Только в галерею практик',
  rejected: 'Отклонить',
};

export function ReviewQueuePage({ id }: { id: string }) {
  const auth = useAuth();
  useEffect(() => {
    document.title = 'Экспертиза практик';
  }, []);
  const queue = useLoad(`queue:${id}`, (signal) =>
    api.get<{ practices: QueueItem[]; review_open: boolean }>(eventPath(id, '/review/queue'), { signal }),
  );
  if (auth.me === undefined) return <Loading />;
  if (auth.me === null) return <LoginNeeded what="открыть экспертизу" />;
  if (queue.status === 'loading') return <Loading />;
  if (queue.status === 'error') return <LoadError title="Не удалось загрузить очередь" message={queue.message} />;
  const { practices, review_open } = queue.data;
  return (
    <article class="intake" data-testid="review-queue">
      <Breadcrumbs items={[{ href: `/events/${encodeURIComponent(id)}`, title: 'Мероприятие' }, { title: 'Экспертиза' }]} />
      <h1>Практики на экспертизу</h1>
      {!review_open && <p role="status">Работа экспертной группы сейчас не идёт: решения можно только просмотреть.</p>}
      {practices.length === 0 ? (
        <p>Вам пока не назначено ни одной практики.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>№</th>
              <th>Практика</th>
              <th>Секция</th>
              <th>Ваше решение</th>
            </tr>
          </thead>
          <tbody>
            {practices.map((p) => (
              <tr key={p.id}>
                <td>{p.id}</td>
                <td>
                  <a href={`/events/${encodeURIComponent(id)}/review/${p.id}`}>{p.title || 'Без названия'}</a>
                </td>
                <td>
                  {p.section}. {p.section_title}
                </td>
                <td>{p.review ? kDecisionTitle[p.review.decision] : 'нет'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

interface PracticeView {
  practice: { id: number; title: string; section_title: string; type: string; answers: Record<string, unknown>; files?: Array<{ file_name: string; purpose: string; verdict?: { findings?: Array<{ rule: string; found?: unknown; expected?: unknown }> } }> };
  review: ExpertReview | null;
  criteria: Criterion[];
  review_open: boolean;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(show).join('; ');
  return Object.values(value as Record<string, unknown>).map(show).filter(Boolean).join(', ');
}

export function ReviewPracticePage({ id, n }: { id: string; n: string }) {
  const auth = useAuth();
  const [reload, setReload] = useState(0);
  const view = useLoad(`review:${id}:${n}:${reload}`, (signal) =>
    api.get<PracticeView>(eventPath(id, `/review/practices/${encodeURIComponent(n)}`), { signal }),
  );
  useEffect(() => {
    document.title = 'Экспертиза практики';
  }, []);
  if (auth.me === undefined) return <Loading />;
  if (auth.me === null) return <LoginNeeded what="открыть практику" />;
  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') return <LoadError title="Практика недоступна" message={view.message} />;
  const { practice, review, criteria, review_open } = view.data;
  return (
    <article class="intake" data-testid="review-practice">
      <Breadcrumbs
        items={[
          { href: `/events/${encodeURIComponent(id)}/review`, title: 'Экспертиза' },
          { title: practice.title || `Практика ${practice.id}` },
        ]}
      />
      <h1>{practice.title || `Практика ${practice.id}`}</h1>
      <p>Секция: {practice.section_title}</p>
      <dl>
        {Object.entries(practice.answers).flatMap(([key, value]) => [
          <dt key={`${key}-t`}>{key}</dt>,
          <dd key={`${key}-d`}>{show(value)}</dd>,
        ])}
      </dl>
      {(practice.files ?? []).length > 0 && (
        <section>
          <h2>Файлы и замечания проверки</h2>
          <ul>
            {(practice.files ?? []).map((f) => (
              <li key={f.file_name}>
                {f.file_name} ({f.purpose}): {(f.verdict?.findings ?? []).length === 0 ? 'замечаний нет' : (f.verdict?.findings ?? []).map((x) => x.rule).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ReviewForm id={id} n={n} review={review} criteria={criteria} open={review_open} onSaved={() => setReload((x) => x + 1)} />
    </article>
  );
}

function ReviewForm(props: { id: string; n: string; review: ExpertReview | null; criteria: Criterion[]; open: boolean; onSaved: () => void }) {
  const [decision, setDecision] = useState(props.review?.decision ?? '');
  const [reason, setReason] = useState(props.review?.reason ?? '');
  const [scores, setScores] = useState<Record<string, number>>(props.review?.scores ?? {});
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setSaved(false);
    if (decision === 'rejected' && !reason.trim()) {
      setError('Укажите причину отклонения.');
      return;
    }
    try {
      await api.put(eventPath(props.id, `/review/practices/${encodeURIComponent(props.n)}/review`), { decision, reason, scores });
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form onSubmit={submit} data-testid="review-form">
      <h2>Решение эксперта</h2>
      <fieldset disabled={!props.open}>
        {Object.entries(kDecisionTitle).map(([value, title]) => (
          <label key={value}>
            <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} /> {title}
          </label>
        ))}
        <label>
          Причина{decision === 'rejected' ? ' (обязательно)' : ''}
          <textarea value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
        </label>
        {props.criteria.map((c) => (
          <label key={c.id}>
            {c.title} (0–{c.max})
            <input
              type="number"
              min={0}
              max={c.max}
              value={scores[c.id] ?? ''}
              onInput={(e) => {
                const v = (e.target as HTMLInputElement).value;
                const next = { ...scores };
                if (v === '') delete next[c.id];
                else next[c.id] = Number(v);
                setScores(next);
              }}
            />
          </label>
        ))}
        <button type="submit" disabled={!decision}>
          Сохранить решение
        </button>
      </fieldset>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {saved && <p role="status">Решение сохранено.</p>}
    </form>
  );
}
