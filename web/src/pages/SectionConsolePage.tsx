// The moderator's console of one section (/events/:id/sections/:n/console): running the section
// (start, call the next presenter, extend, pause, close), the queue, questions waiting for approval
// and the floor. Each action is confirmed on the page, and a refusal of the server is shown beside
// the controls that caused it. Pending, flagged and hidden questions come on
// section-moderation:{id}:{n}; the pre-approval switch is the section's, pushed to everyone.
import { useEffect, useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import { useTopic } from '../lib/hooks';
import { useEventContext } from '../lib/intake';
import { eventBase, isOrganiser } from '../lib/roles';
import { newer, titleOf, useSection, type Question, type SectionLive } from '../lib/sectionLive';
import { textOf } from '../lib/types';
import { FeedbackLine, Floor, Presenter, WindowNote } from '../components/SectionLive';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { useKeepFocus } from '../components/common/keepFocus';
import { LoadError, Loading } from '../components/common/Message';

interface Moderation {
  version: number;
  questions: Question[];
}

function asModeration(value: unknown): Moderation | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Moderation;
  return typeof v.version === 'number' && Array.isArray(v.questions) ? v : null;
}

function useModeration(id: string, n: string) {
  const [moderation, setModeration] = useState<Moderation | null>(null);
  const take = (data: unknown, snapshot = false) => {
    const incoming = asModeration(data);
    if (incoming) setModeration((current) => newer(current, incoming, snapshot));
  };
  useTopic(`section-moderation:${id}:${n}`, {
    onSubscribed: (data) => take((data as { moderation?: unknown }).moderation, true),
    onEvent: (event, data) => event === 'moderation' && take(data),
  });
  const questions = moderation?.questions ?? [];
  return {
    pending: questions.filter((q) => q.status === 'pending'),
    // The server sends flagged ones first, by their count.
    disputed: questions.filter((q) => q.status === 'approved' && (q.hidden || (q.flags ?? 0) > 0)),
  };
}

export function SectionConsolePage({ id, n }: { id: string; n: string }) {
  const live = useSection(id, n);
  const ctx = useEventContext(id);
  const { pending, disputed } = useModeration(id, n);
  // Worked from the keyboard: a control that gives way to the next keeps the focus in its card.
  const keepFocus = useKeepFocus();
  useEffect(() => {
    document.title = `Пульт модератора — секция ${n}`;
  }, [n]);
  const { state, error } = live;
  if (!state) return error ? <LoadError title="Секция недоступна" message={error} /> : <Loading />;
  const base = eventBase(id);
  return (
    <article class="intake intake--wide section-console" data-testid="section-console" ref={keepFocus}>
      <Breadcrumbs
        items={[
          { href: base, title: (ctx.status === 'ok' && textOf(ctx.data.agenda.title)) || id },
          { href: `${base}/sections/${n}`, title: `Секция ${state.section}` },
          { title: 'Пульт модератора' },
        ]}
      />
      <h1>
        Пульт модератора: секция {state.section}. {state.title}
      </h1>
      <WindowNote state={state} />
      <div class="section-console__grid">
        <div>
          <RunControls id={id} live={live} />
          <Presenter live={live} />
          <QueueCard live={live} />
        </div>
        <div>
          <PendingQuestions live={live} pending={pending} />
          <DisputedQuestions live={live} disputed={disputed} />
          <FloorControls live={live} />
          <Floor live={live} moderator />
        </div>
      </div>
    </article>
  );
}

function RunControls({ id, live }: { id: string; live: SectionLive }) {
  const { me } = useAuth();
  const organiser = isOrganiser(me, id);
  const state = live.state!;
  const { act, feedback } = live;
  const running = state.status === 'running';
  return (
    <section class="card" aria-labelledby="run-title">
      <h2 id="run-title">Ход секции</h2>
      <div class="toolbar" role="group" aria-label="Управление секцией">
        {state.status === 'waiting' && (
          <button type="button" class="button button--primary" onClick={() => act('start')} data-testid="start-section">
            Начать секцию
          </button>
        )}
        {running && (
          <button type="button" class="button button--primary" onClick={() => act('next')} data-testid="next-presenter-button">
            {state.current ? 'Вызвать следующего' : 'Вызвать первого выступающего'}
          </button>
        )}
        {running && state.current && (
          <>
            <span class="segmented" role="group" aria-label="Время выступления">
              <button type="button" class="segmented__button" onClick={() => act('extend', { seconds: -60 })} data-testid="shorten">
                −1 мин
              </button>
              <button type="button" class="segmented__button" onClick={() => act('extend', { seconds: 60 })} data-testid="extend">
                +1 мин
              </button>
            </span>
            <button type="button" class="button button--secondary" onClick={() => act('absent')} data-testid="absent">
              Отсутствует — дальше
            </button>
          </>
        )}
        {running && (
          <button type="button" class="button button--secondary" onClick={() => act('pause')} data-testid="pause-section">
            Пауза
          </button>
        )}
        {state.status === 'paused' && (
          <button type="button" class="button button--primary" onClick={() => act('resume')} data-testid="resume-section">
            Продолжить
          </button>
        )}
        {(running || state.status === 'paused') && (
          <button type="button" class="button button--danger" onClick={() => act('close')} data-testid="close-section">
            Закрыть секцию
          </button>
        )}
        {state.rehearsal && organiser && (
          <button type="button" class="button button--quiet" onClick={() => act('reset')} data-testid="reset-rehearsal">
            Сбросить репетицию
          </button>
        )}
        {state.status === 'closed' && <span class="muted">Секция завершена.</span>}
      </div>
      <FeedbackLine feedback={feedback} at="run" testId="console" />
    </section>
  );
}

function QueueCard({ live }: { live: SectionLive }) {
  const state = live.state!;
  const { act, feedback } = live;
  const move = (index: number, by: number) => {
    const order = state.queue.map((s) => s.practice);
    const [item] = order.splice(index, 1);
    order.splice(index + by, 0, item!);
    void act('reorder', { order }, 'queue');
  };
  return (
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">Очередь</h2>
      <FeedbackLine feedback={feedback} at="queue" />
      {state.queue.length === 0 ? (
        <p class="muted">Очередь пуста.</p>
      ) : (
        <ol class="queue" data-testid="queue">
          {state.queue.map((slot, i) => (
            <li key={slot.practice} class="queue__item">
              <span class="queue__text">
                {i + 1}. {titleOf(slot)}
                <br />
                <span class="muted">{Math.round((slot.seconds ?? 0) / 60)} мин</span>
              </span>
              <span class="queue__buttons">
                <button type="button" class="button button--quiet button--small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Выше: ${titleOf(slot)}`}>
                  ↑
                </button>
                <button
                  type="button"
                  class="button button--quiet button--small"
                  disabled={i === state.queue.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={`Ниже: ${titleOf(slot)}`}
                >
                  ↓
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function PendingQuestions({ live, pending }: { live: SectionLive; pending: Question[] }) {
  const { act, feedback } = live;
  return (
    <section class="card" aria-labelledby="pending-title">
      <h2 id="pending-title">Ждут одобрения</h2>
      <p>
        <label>
          <input
            type="checkbox"
            checked={live.state?.premoderation ?? true}
            onChange={(e) => act('premoderation', { on: e.currentTarget.checked }, 'premoderation')}
            data-testid="premoderation"
          />{' '}
          Предварительное одобрение: новые вопросы ждут модератора
        </label>
      </p>
      <FeedbackLine feedback={feedback} at="premoderation" />
      {pending.length === 0 ? (
        <p class="muted">Новых вопросов нет.</p>
      ) : (
        <ul class="queue" data-testid="pending-questions">
          {pending.map((q) => (
            <li key={q.id} class="queue__item">
              <span class="queue__text">
                {q.text}
                <br />
                <span class="muted">{q.name}</span>
                <FeedbackLine feedback={feedback} at={`pending-${q.id}`} />
              </span>
              <span class="queue__buttons">
                <button type="button" class="button button--secondary button--small" onClick={() => act('approve', { question: q.id }, `pending-${q.id}`)}>
                  Одобрить
                </button>
                <button type="button" class="button button--danger button--small" onClick={() => act('dismiss', { question: q.id }, `pending-${q.id}`)}>
                  Отклонить
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// Questions the audience flagged (first, with the count) and the ones hidden from it: the
// moderator hides a flagged one, or keeps it shown; a hidden one may be shown again.
function DisputedQuestions({ live, disputed }: { live: SectionLive; disputed: Question[] }) {
  const { act, feedback } = live;
  return (
    <section class="card" aria-labelledby="disputed-title">
      <h2 id="disputed-title">Жалобы и скрытые вопросы</h2>
      {disputed.length === 0 ? (
        <p class="muted">Жалоб нет, скрытых вопросов нет.</p>
      ) : (
        <ul class="queue" data-testid="disputed-questions">
          {disputed.map((q) => (
            <li key={q.id} class="queue__item" data-testid={`disputed-${q.id}`}>
              <span class="queue__text">
                {q.text}
                <br />
                <span class="muted">
                  {q.name}
                  {(q.flags ?? 0) > 0 && <span data-testid="flag-count"> · жалоб: {q.flags}</span>}
                  {q.hidden && <span data-testid="hidden-mark"> · скрыт от участников</span>}
                </span>
                <FeedbackLine feedback={feedback} at={`disputed-${q.id}`} />
              </span>
              <span class="queue__buttons">
                {!q.hidden && (
                  <button type="button" class="button button--danger button--small" onClick={() => act('hide', { question: q.id }, `disputed-${q.id}`)} data-testid="hide-disputed">
                    Скрыть
                  </button>
                )}
                <button type="button" class="button button--secondary button--small" onClick={() => act('show', { question: q.id }, `disputed-${q.id}`)} data-testid="show-disputed">
                  {q.hidden ? 'Показать снова' : 'Оставить'}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FloorControls({ live }: { live: SectionLive }) {
  const state = live.state!;
  const { act, feedback } = live;
  return (
    <section class="card" aria-labelledby="floor-controls-title">
      <h2 id="floor-controls-title">Слово с места</h2>
      <div class="toolbar">
        <button type="button" class="button button--secondary" onClick={() => act('floor', {}, 'floor')} disabled={state.hands.length === 0} data-testid="give-floor">
          Дать слово следующему
        </button>
        <button type="button" class="button button--secondary" onClick={() => act('floor_done', {}, 'floor')} disabled={!state.speaking} data-testid="floor-done">
          Выступил
        </button>
      </div>
      <FeedbackLine feedback={feedback} at="floor" />
    </section>
  );
}
