// The pieces the audience's section page and the moderator's console share: who speaks with the
// speaker timer, the floor (hands and questions), and the line that confirms an action or shows
// the server's refusal beside the control that caused it.
import { useState } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import { formatDateTime } from '../lib/time';
import {
  clock,
  kStatus,
  timerState,
  titleOf,
  useTimeLeft,
  type Feedback,
  type SectionLive,
  type SectionState,
} from '../lib/sectionLive';

// The confirmation or the refusal of the last action done at `at`; nothing otherwise.
export function FeedbackLine({ feedback, at, testId }: { feedback: Feedback | null; at: string; testId?: string }) {
  if (!feedback || feedback.at !== at) return null;
  const base = testId ?? `feedback-${at}`;
  return feedback.kind === 'error' ? (
    <p class="form__error" role="alert" data-testid={`${base}-error`}>
      {feedback.text}
    </p>
  ) : (
    <p class="callout callout--ok" role="status" data-testid={`${base}-done`}>
      {feedback.text}
    </p>
  );
}

const kTimerHint: Record<ReturnType<typeof timerState>, string> = {
  ok: '',
  warning: 'Скоро конец выступления',
  last: 'Заканчивайте выступление',
  over: 'Время выступления истекло',
};

// Large, and its colour follows the agenda's warnings: calm, then amber after the first warning,
// red after the last, dark red over time.
function Timer({ live }: { live: SectionLive }) {
  const left = useTimeLeft(live.state);
  if (!live.state?.current || left === null) return null;
  const state = timerState(left, live.warn, live.pushed);
  const hint =
    state === 'ok' && live.warn.length > 0 ? `Предупреждение — за ${[...live.warn].sort((a, b) => b - a).join(' и ')} мин до конца` : kTimerHint[state];
  return (
    <div class={`timer timer--${state}`} data-testid="timer" data-state={state} role="timer">
      <span class="timer__label">{left < 0 ? 'Сверх времени' : 'Осталось'}</span>
      <strong class="timer__value" data-testid="time-left">
        {clock(left)}
      </strong>
      {hint && <span class="timer__hint">{hint}</span>}
    </div>
  );
}

export function Presenter({ live }: { live: SectionLive }) {
  const state = live.state!;
  const current = state.current;
  return (
    <section class="card section-now" aria-labelledby="now-title">
      {state.rehearsal && (
        <p class="callout" role="status" data-testid="rehearsal">
          Репетиция: организатор проверяет секцию, настоящая работа начнётся позже.
        </p>
      )}
      <p class="section-now__status">
        Секция{' '}
        <span class={`badge badge--${state.status === 'running' ? 'open' : state.status === 'closed' ? 'closed' : 'upcoming'}`} data-testid="section-status">
          {kStatus[state.status]}
        </span>{' '}
        {state.room_url && (
          <a class="button button--secondary button--small" href={state.room_url} target="_blank" rel="noopener noreferrer" data-testid="room-link">
            Видеокомната
          </a>
        )}
      </p>
      <h2 id="now-title">Выступает</h2>
      <p class="section-now__speaker" data-testid="current-presenter">
        {current ? titleOf(current) : 'никто'}
      </p>
      <Timer live={live} />
      {live.alert && (
        <p class="callout callout--error" role="alert" data-testid="timer-alert">
          {live.alert}
        </p>
      )}
      {current?.materials && current.materials.length > 0 && (
        <ul class="file-list" data-testid="materials">
          {current.materials.map((m) => (
            <li key={m.id}>
              <a href={m.url}>{m.file_name}</a>
            </li>
          ))}
        </ul>
      )}
      <h3>Следующий</h3>
      <p data-testid="next-presenter">{titleOf(state.next)}</p>
    </section>
  );
}

export function Floor({ live, moderator }: { live: SectionLive; moderator: boolean }) {
  const { me } = useAuth();
  const [text, setText] = useState('');
  const state = live.state!;
  const { act, feedback } = live;
  const audience = me && !moderator;
  return (
    <section class="card section-floor" aria-labelledby="floor-title">
      <h2 id="floor-title">Слово и вопросы</h2>
      {state.speaking && <p data-testid="speaking">Говорит: {state.speaking.name}</p>}
      <p>Подняли руку: {state.hands.length ? state.hands.map((h) => h.name).join(', ') : 'никто'}</p>
      {audience && (
        <div class="queue__controls">
          <button type="button" class="button button--secondary" onClick={() => act('hand', {}, 'hand')} data-testid="raise-hand">
            Поднять руку
          </button>
          <button type="button" class="button button--quiet" onClick={() => act('lower', {}, 'hand')}>
            Опустить руку
          </button>
        </div>
      )}
      <FeedbackLine feedback={feedback} at="hand" />
      {audience && state.premoderation && (
        <p class="muted" data-testid="premoderation-note">
          Вопросы появляются здесь после одобрения модератора.
        </p>
      )}
      <ol class="queue" data-testid="questions">
        {state.questions.map((q) => (
          <li key={q.id} class="queue__item" data-testid={`question-${q.id}`}>
            <span class="queue__text">
              {q.text}
              <br />
              <span class="muted">
                {q.name} · голосов: {q.votes}
              </span>
              <FeedbackLine feedback={feedback} at={`question-${q.id}`} />
            </span>
            <span class="queue__buttons">
              {audience && (
                <>
                  <button type="button" class="button button--secondary button--small" onClick={() => act('vote', { question: q.id }, `question-${q.id}`)}>
                    +1
                  </button>
                  <button
                    type="button"
                    class="button button--quiet button--small"
                    onClick={() => act('flag', { question: q.id }, `question-${q.id}`)}
                    aria-label={`Пожаловаться на вопрос: ${q.text}`}
                    data-testid="flag-question"
                  >
                    Пожаловаться
                  </button>
                </>
              )}
              {moderator && (
                <>
                  <button type="button" class="button button--secondary button--small" onClick={() => act('answer', { question: q.id }, `question-${q.id}`)}>
                    Отвечен
                  </button>
                  <button type="button" class="button button--quiet button--small" onClick={() => act('hide', { question: q.id }, `question-${q.id}`)} data-testid="hide-question">
                    Скрыть
                  </button>
                  <button type="button" class="button button--danger button--small" onClick={() => act('dismiss', { question: q.id }, `question-${q.id}`)}>
                    Отклонить
                  </button>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
      {audience && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('ask', { text }, 'ask').then((ok) => ok && setText(''));
          }}
        >
          <div class="field">
            <label class="field__label" for="question-text">
              Вопрос выступающему
            </label>
            <textarea id="question-text" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="question-text" />
          </div>
          <FeedbackLine feedback={feedback} at="ask" />
          <div class="form__row">
            <button type="submit" class="button button--primary" data-testid="ask-question">
              Отправить вопрос
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

// Before the window opens (or after it) the console says when the section may run, instead of
// letting the moderator find out from a refusal.
export function WindowNote({ state }: { state: SectionState }) {
  const w = state.window;
  const now = state.now ? Date.parse(state.now) : NaN;
  if (!w || Number.isNaN(now)) return null;
  if (now < Date.parse(w.opens)) {
    return (
      <p class="callout" data-testid="window-note">
        Секцию можно начать с {formatDateTime(w.opens, null)}.
        {w.rehearsal_from && ` Организатор может провести репетицию с ${formatDateTime(w.rehearsal_from, null)}.`}
      </p>
    );
  }
  if (now >= Date.parse(w.closes)) {
    return (
      <p class="callout callout--closed" data-testid="window-note">
        Работа секций завершилась {formatDateTime(w.closes, null)}.
      </p>
    );
  }
  return null;
}
