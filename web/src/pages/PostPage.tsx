// The contest's printed documents sent by post (/events/:id/post): the address list of every
// laureate and participant (GET /api/events/{id}/post), each with the document the agenda names
// for its decision, a mark «отправлено» with its day (PUT, and DELETE to undo), the count still to
// send and the deadline as the regulations say it («до 1 марта 2025 г.»), highlighted from the
// milestone's warning window on. The list downloads as CSV for the post office's labels.
import { useState } from 'preact/hooks';
import * as desk from '../lib/endpoints/desk';
import type { PostDeadline, Recipient } from '../lib/endpoints/desk';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { parseInstant } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';
import { useAction } from '../components/common/useAction';

export function PostPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Рассылка дипломов и сертификатов" loginWhat="отметить отправленные документы">
      {(ctx) => <Post ctx={ctx} />}
    </OrganiserOnly>
  );
}

// 'near' from the warning window on, 'passed' from the deadline on, by the event's clock.
function deadlineState(deadline: PostDeadline, now: string | undefined): 'far' | 'near' | 'passed' {
  const at = parseInstant(deadline.at);
  const current = parseInstant(now);
  const warn = parseInstant(deadline.warn_from);
  if (at === null || current === null) return 'far';
  if (current >= at) return 'passed';
  if (warn !== null && current >= warn) return 'near';
  return 'far';
}

// The event's calendar day of its clock: «сегодня» for the mark.
function todayOf(now: string | undefined): string {
  return typeof now === 'string' && /^\d{4}-\d{2}-\d{2}/.test(now) ? now.slice(0, 10) : '';
}

function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : day;
}

function Post({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`post:${ctx.id}`, (signal) => desk.post(ctx.id, signal));
  const list = loaded.status === 'ok' ? loaded.data : null;
  const error = loaded.status === 'error' ? loaded.message : '';
  const base = eventBase(ctx.id);

  const replace = (next: Recipient) => {
    if (!list) return;
    const recipients = list.recipients.map((r) => (r.practice === next.practice ? next : r));
    loaded.set({ ...list, recipients, to_send: recipients.filter((r) => !r.sent_on).length });
  };

  const state = list ? deadlineState(list.deadline, ctx.now) : 'far';
  return (
    <article class="intake intake--wide" data-testid="post">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Рассылка дипломов и сертификатов' },
        ]}
      />
      <h1>Рассылка дипломов и сертификатов</h1>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {list === null ? (
        !error && <Loading />
      ) : (
        <>
          <p class={state === 'far' ? 'muted' : 'notice notice--warning'} data-testid="post-deadline" data-state={state}>
            {list.deadline.title} — {list.deadline.text}
            {state === 'passed' && list.to_send > 0 && '. Срок прошёл.'}
          </p>
          <p data-testid="post-to-send" data-count={list.to_send}>
            {list.to_send === 0 ? 'Все документы отправлены.' : `Осталось отправить: ${list.to_send} из ${list.recipients.length}.`}
          </p>
          <p>
            <a class="button button--secondary" href={desk.postTable(ctx.id, 'csv')} data-testid="post-export">
              Список адресов (CSV)
            </a>{' '}
            <a class="button button--secondary" href={desk.postTable(ctx.id, 'xlsx')}>
              XLSX
            </a>
          </p>
          {list.recipients.length === 0 ? (
            <p class="muted" data-testid="post-empty">
              Получателей пока нет: жюри ещё не приняло решений.
            </p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Адреса получателей">
              <table class="table" data-testid="post-table">
                <thead>
                  <tr>
                    <th scope="col">№ заявки</th>
                    <th scope="col">Учреждение и руководитель</th>
                    <th scope="col">Почтовый адрес</th>
                    <th scope="col">Документ</th>
                    <th scope="col">Отправка</th>
                  </tr>
                </thead>
                <tbody>
                  {list.recipients.map((r) => (
                    <PostRow key={r.practice} ctx={ctx} recipient={r} onChange={replace} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </article>
  );
}

function PostRow({ ctx, recipient, onChange }: { ctx: EventContext; recipient: Recipient; onChange: (r: Recipient) => void }) {
  const [day, setDay] = useState(todayOf(ctx.now));
  const { busy, error, run } = useAction();
  const testId = `post-${recipient.practice}`;

  const act = (send: () => Promise<Recipient>) =>
    run(async () => {
      onChange(await send());
      return '';
    });

  return (
    <tr data-testid={testId} data-sent={recipient.sent_on ?? ''}>
      <td>{recipient.practice}</td>
      <td>
        {recipient.institution}
        {recipient.head && <div class="muted">{recipient.head}</div>}
      </td>
      <td>{recipient.address}</td>
      <td data-testid={`${testId}-document`}>{recipient.document}</td>
      <td>
        {recipient.sent_on ? (
          <>
            <span data-testid={`${testId}-sent`}>Отправлен {formatDay(recipient.sent_on)}</span>{' '}
            <button
              type="button"
              class="button button--secondary"
              disabled={busy}
              data-testid={`${testId}-undo`}
              onClick={() => act(() => desk.unmarkSent(ctx.id, recipient.practice))}
            >
              Отменить отметку
            </button>
          </>
        ) : (
          <>
            <label class="field">
              <span class="field__label">День отправки</span>
              <input type="date" value={day} max={todayOf(ctx.now)} data-testid={`${testId}-day`} onInput={(e) => setDay(e.currentTarget.value)} />
            </label>
            <button
              type="button"
              class="button"
              disabled={busy}
              data-testid={`${testId}-mark`}
              onClick={() => act(() => desk.markSent(ctx.id, recipient.practice, day))}
            >
              Отправлен
            </button>
          </>
        )}
        {error && (
          <p class="form__error" role="alert" data-testid={`${testId}-error`}>
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
