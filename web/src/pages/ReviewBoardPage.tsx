// Stage 2 for the organiser: experts' decisions side by side, conflicts of interest, the final
// decision per practice, and the letters to institutions.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useLoad } from '../lib/hooks';
import { eventPath } from '../lib/intake';
import type { User } from '../lib/types';
import { Breadcrumbs, LoadError, LoginNeeded } from '../components/Intake';
import { Loading } from '../components/Layout';
import { kDecisionTitle, type ExpertReview } from './ReviewPage';

interface Outcome {
  outcome: string;
  reason: string;
  notified_at: string | null;
}
interface BoardPractice {
  id: number;
  title: string;
  section: number;
  institution: string;
  experts: Array<{ user: User; conflict: boolean; review: ExpertReview | null }>;
  conflicts: Array<User & { institution: string }>;
  outcome: Outcome | null;
}
interface Board {
  practices: BoardPractice[];
  review_opened: boolean;
}

export function ReviewBoardPage({ id }: { id: string }) {
  const auth = useAuth();
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const board = useLoad(`board:${id}:${reload}`, (signal) => api.get<Board>(eventPath(id, '/review/board'), { signal }));
  useEffect(() => {
    document.title = 'Экспертиза — организатору';
  }, []);
  if (auth.me === undefined) return <Loading />;
  if (auth.me === null) return <LoginNeeded what="открыть итоги экспертизы" />;
  if (board.status === 'loading') return <Loading />;
  if (board.status === 'error') return <LoadError title="Не удалось загрузить экспертизу" message={board.message} />;

  const act = async (what: () => Promise<unknown>, done: string) => {
    setError('');
    setNotice('');
    try {
      await what();
      setNotice(done);
      setReload((x) => x + 1);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const assign = () => act(() => api.post(eventPath(id, '/review/assign')), 'Эксперты распределены.');
  const notify = () =>
    act(async () => {
      const r = await api.post<{ queued: number }>(eventPath(id, '/review/notifications'));
      setNotice(`Поставлено в очередь писем: ${r.queued}.`);
    }, 'Уведомления отправляются.');

  return (
    <article class="intake intake--wide" data-testid="review-board">
      <Breadcrumbs items={[{ href: `/events/${encodeURIComponent(id)}`, title: 'Мероприятие' }, { title: 'Экспертиза' }]} />
      <h1>Экспертиза практик</h1>
      <p>
        <button type="button" onClick={assign}>
          Распределить практики между экспертами
        </button>{' '}
        <button type="button" onClick={notify} disabled={!board.data.review_opened}>
          Отправить уведомления учреждениям
        </button>
      </p>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <table>
        <thead>
          <tr>
            <th>№</th>
            <th>Практика</th>
            <th>Учреждение</th>
            <th>Решения экспертов</th>
            <th>Итоговое решение</th>
          </tr>
        </thead>
        <tbody>
          {board.data.practices.map((p) => (
            <BoardRow key={p.id} id={id} practice={p} onSaved={() => setReload((x) => x + 1)} />
          ))}
        </tbody>
      </table>
    </article>
  );
}

function BoardRow({ id, practice, onSaved }: { id: string; practice: BoardPractice; onSaved: () => void }) {
  const [outcome, setOutcome] = useState(practice.outcome?.outcome ?? '');
  const [reason, setReason] = useState(practice.outcome?.reason ?? '');
  const [error, setError] = useState('');
  const save = async () => {
    setError('');
    try {
      await api.put(eventPath(id, `/review/practices/${practice.id}/outcome`), { outcome, reason });
      onSaved();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <tr>
      <td>{practice.id}</td>
      <td>
        {practice.title} (секция {practice.section})
      </td>
      <td>
        {practice.institution}
        {practice.conflicts.length > 0 && (
          <p data-testid="conflicts">Конфликт интересов: {practice.conflicts.map((c) => c.full_name).join(', ')}</p>
        )}
      </td>
      <td>
        <ul>
          {practice.experts.map((e) => (
            <li key={e.user.id}>
              {e.user.full_name}: {e.review ? kDecisionTitle[e.review.decision] : 'ещё не решил(а)'}
              {e.review?.reason ? ` — ${e.review.reason}` : ''}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <select value={outcome} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
          <option value="">—</option>
          {Object.entries(kDecisionTitle).map(([value, title]) => (
            <option key={value} value={value}>
              {title}
            </option>
          ))}
        </select>
        <input placeholder="Причина" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        <button type="button" onClick={save} disabled={!outcome}>
          Сохранить
        </button>
        {practice.outcome?.notified_at && <p>Учреждение уведомлено.</p>}
        {error && (
          <p class="form__error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
