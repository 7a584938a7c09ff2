// The organiser's running order of one section (/events/:id/section-day/:n): the draft, edited
// by dragging or with the arrows and saved on every change (one PUT; the page shows the times the
// server answers), its publication, and the section's attendance.
import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as sections from '../lib/endpoints/sections';
import { useLoad } from '../lib/hooks';
import { wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime, formatTime } from '../lib/time';
import { textOf } from '../lib/types';
import { formatMinutes, practiceTitle, type Overview, type PracticeInfo, type Schedule, type TimedSlot } from '../lib/sections';
import { RoomLink } from '../components/RoomLink';
import { SectionAttendance } from '../components/SectionAttendance';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';
import { OrganiserOnly } from '../components/common/OrganiserOnly';

export function SectionScheduleAdminPage({ id, n }: { id: string; n: string }) {
  return (
    <OrganiserOnly id={id} title={`Порядок выступлений — секция ${n}`} loginWhat="составлять порядок выступлений">
      {(ctx) => <ScheduleEditor ctx={ctx} n={Number(n)} />}
    </OrganiserOnly>
  );
}

interface DraftSlot {
  practice: number;
  seconds: number;
}

function ScheduleEditor({ ctx, n }: { ctx: EventContext; n: number }) {
  const loaded = useLoad(`schedule:${ctx.id}:${n}`, (signal) => sections.schedule(ctx.id, n, signal));
  const overviewLoad = useLoad(`section-overview:${ctx.id}`, (signal) => sections.overview(ctx.id, signal));
  const [actionError, setError] = useState('');
  // The schedule as last read or answered: a refused change keeps it on screen beside the reason.
  const shown = useRef<Schedule | null>(null);
  if (loaded.status === 'ok') shown.current = loaded.data;
  const schedule = shown.current;
  const overview: Overview | null = overviewLoad.status === 'ok' ? overviewLoad.data : null;
  const error = actionError || (loaded.status === 'error' ? loaded.message : '');
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [dragged, setDragged] = useState<number | null>(null);
  const base = `/events/${encodeURIComponent(ctx.id)}`;


  // Every change goes to the server, which answers the schedule with its times; on a refusal the
  // page shows why and reloads what is stored.
  const run = async (what: Promise<Schedule>, done?: string) => {
    setBusy(true);
    setError('');
    setNotice('');
    try {
      loaded.set(await what);
      if (done) setNotice(done);
    } catch (e) {
      setError(messageOf(e));
      loaded.reload();
    } finally {
      setBusy(false);
    }
  };
  const draft: DraftSlot[] = (schedule?.draft ?? []).map((s) => ({ practice: s.practice, seconds: s.seconds }));
  const save = (slots: DraftSlot[]) => run(sections.saveDraft(ctx.id, n, slots));
  const move = (from: number, to: number) => {
    if (to < 0 || to >= draft.length || from === to) return;
    const next = [...draft];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    void save(next);
  };
  const setMinutes = (index: number, minutes: number) => {
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    void save(draft.map((s, i) => (i === index ? { ...s, seconds: Math.round(minutes * 60) } : s)));
  };
  const remove = (index: number) => void save(draft.filter((_, i) => i !== index));
  const add = (practice: number) => {
    const minutes = overview?.slot_minutes.min ?? 10;
    void save([...draft, { practice, seconds: minutes * 60 }]);
  };
  const makeDraft = () => {
    if (draft.length > 0 && !window.confirm('Составить черновик заново? Правки черновика будут заменены.')) return;
    void run(sections.makeDraft(ctx.id, n), 'Черновик составлен автоматически.');
  };
  const publish = () =>
    void run(sections.publish(ctx.id, n), 'Порядок опубликован; авторам, чьё время изменилось, отправлены уведомления.');

  const section = overview?.sections.find((s) => s.number === n);
  const window_ = overview?.sessions.sections;
  if (!schedule) return error ? <LoadError title="Не удалось загрузить порядок выступлений" message={error} /> : <Loading />;
  return (
    <article class="intake intake--wide" data-testid="schedule-editor">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/section-day`, title: 'День секций' },
          { title: `Секция ${n}` },
        ]}
      />
      <h1>
        Секция {n}
        {section ? `. ${section.title}` : ''}
      </h1>
      <p>
        {window_ && (
          <>
            Работа секций: {formatDateTime(window_.starts, ctx.offset)}–{formatTime(window_.ends, ctx.offset)}.{' '}
          </>
        )}
        {section && (
          <RoomLink url={section.room_url} testId="section-room">
            Видеокомната секции
          </RoomLink>
        )}
        {' · '}
        <a href={`${base}/sections/${n}/console`}>Пульт модератора</a>
        {' · '}
        <a href={`${base}/sections/${n}`}>Страница секции</a>
      </p>

      <section class="card" aria-labelledby="draft-title">
        <h2 id="draft-title">Черновик порядка выступлений</h2>
        <p class="muted">
          Перетащите строку или нажмите ↑/↓, чтобы изменить порядок; длительность —{' '}
          {overview ? `от ${overview.slot_minutes.min} до ${overview.slot_minutes.max} мин` : 'в минутах'}. Изменения сохраняются
          сразу, авторы узнают о них после публикации.
        </p>
        <div class="queue__controls">
          <button type="button" class="button button--secondary" onClick={makeDraft} disabled={busy} data-testid="make-draft">
            Составить автоматически
          </button>
          <button
            type="button"
            class="button button--primary"
            onClick={publish}
            disabled={busy || draft.length === 0 || schedule.draft_differs === false}
            data-testid="publish-schedule"
          >
            Опубликовать
          </button>
          <span data-testid="schedule-status" data-published={schedule.published ? 'yes' : 'no'} data-differs={schedule.draft_differs ? 'yes' : 'no'}>
            {schedule.published
              ? schedule.draft_differs
                ? 'Черновик отличается от опубликованного порядка.'
                : `Опубликован ${formatDateTime(schedule.published_at, ctx.offset)}.`
              : 'Ещё не опубликован.'}
          </span>
        </div>
        {error && (
          <p class="form__error" role="alert" data-testid="schedule-error">
            {error}
          </p>
        )}
        {notice && (
          <p class="callout callout--ok" role="status" data-testid="schedule-notice">
            {notice}
          </p>
        )}
        {schedule.fits === false && draft.length > 0 && (
          <p class="callout callout--error" data-testid="schedule-overflow">
            Выступления с перерывами не помещаются во время работы секции.
          </p>
        )}
        {draft.length === 0 ? (
          <p class="muted" data-testid="draft-empty">
            Черновик пуст. Составьте его автоматически из {wordsOf(ctx.agenda).genitivePlural}, допущенных к выступлению.
          </p>
        ) : (
          <ol class="queue" data-testid="draft">
            {(schedule.draft ?? []).map((slot, index) => (
              <li
                key={slot.practice}
                class={`queue__item${dragged === index ? ' queue__item--dragged' : ''}`}
                data-testid="draft-slot"
                data-practice={slot.practice}
                draggable={!busy}
                onDragStart={(e) => {
                  setDragged(index);
                  e.dataTransfer?.setData('text/plain', String(index));
                }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragged !== null) move(dragged, index);
                  setDragged(null);
                }}
                onDragEnd={() => setDragged(null)}
              >
                <SlotText slot={slot} offset={ctx.offset} />
                <span class="queue__buttons">
                  <label>
                    <span class="visually-hidden">Длительность, мин: </span>
                    <input
                      type="number"
                      class="input--short"
                      min={overview?.slot_minutes.min}
                      max={overview?.slot_minutes.max}
                      step={1}
                      value={String(Math.round(slot.seconds / 60))}
                      disabled={busy}
                      data-testid="slot-minutes"
                      aria-label={`Длительность выступления ${index + 1}, минут`}
                      onChange={(e) => setMinutes(index, Number(e.currentTarget.value))}
                    />{' '}
                    мин
                  </label>
                  <button
                    type="button"
                    class="button button--quiet button--small"
                    aria-label={`Выше: ${practiceTitle(slot.info, slot.practice)}`}
                    disabled={busy || index === 0}
                    onClick={() => move(index, index - 1)}
                    data-testid="slot-up"
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="button button--quiet button--small"
                    aria-label={`Ниже: ${practiceTitle(slot.info, slot.practice)}`}
                    disabled={busy || index === draft.length - 1}
                    onClick={() => move(index, index + 1)}
                    data-testid="slot-down"
                  >
                    ↓
                  </button>
                  <button type="button" class="button button--quiet button--small" disabled={busy} onClick={() => remove(index)}>
                    Убрать
                  </button>
                </span>
              </li>
            ))}
          </ol>
        )}
        {(schedule.unscheduled ?? []).length > 0 && (
          <>
            <h3>Допущены, но не в порядке выступлений</h3>
            <ul class="queue" data-testid="unscheduled">
              {(schedule.unscheduled ?? []).map((p: PracticeInfo) => (
                <li class="queue__item" key={p.id}>
                  <span class="queue__text">
                    <strong>{practiceTitle(p, p.id)}</strong> — {p.authors.join(', ')}
                    {p.institution ? <span class="muted"> ({p.institution})</span> : null}
                  </span>
                  <button type="button" class="button button--small" disabled={busy} onClick={() => add(p.id)}>
                    Добавить в конец
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="published-title">
        <h2 id="published-title">Опубликованный порядок</h2>
        {schedule.published ? (
          <ol class="queue" data-testid="published">
            {schedule.published.map((slot) => (
              <li class="queue__item" key={slot.practice} data-testid="published-slot" data-practice={slot.practice}>
                <SlotText slot={slot} offset={ctx.offset} />
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">Авторы увидят своё время после публикации.</p>
        )}
      </section>

      <SectionAttendance ctx={ctx} n={n} />
    </article>
  );
}

function SlotText({ slot, offset }: { slot: TimedSlot; offset?: string }) {
  return (
    <span class="queue__text">
      <span data-testid="slot-time">
        {slot.position}. {slot.starts_at ? `${formatTime(slot.starts_at, offset)}–${formatTime(slot.ends_at, offset)}` : ''}
      </span>{' '}
      <strong data-testid="slot-title">{practiceTitle(slot.info, slot.practice)}</strong>
      <br />
      <span class="muted">
        {slot.info?.authors.join(', ')}
        {slot.info?.institution ? ` · ${slot.info.institution}` : ''} · {formatMinutes(slot.seconds)}
      </span>
    </span>
  );
}
