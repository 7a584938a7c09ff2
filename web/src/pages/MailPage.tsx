// The organiser's outbox: every letter of the event (decisions, certificates, the proceedings),
// its state, attempts and last error, and a warning while the server has no mail server to send
// through, so «письма отправляются» is never said of letters that only wait. A failed or waiting
// letter can be sent again at once («Отправить ещё раз»); while any letter waits, the list is read
// again every few seconds so its state follows the sender.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as events from '../lib/endpoints/events';
import * as review from '../lib/endpoints/review';
import type { Letter } from '../lib/endpoints/review';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

const kLetterState: Record<string, string> = { pending: 'ждёт отправки', sent: 'отправлено', failed: 'не отправлено' };

export function MailPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Письма участникам" loginWhat="видеть письма участникам">
      {(ctx) => <Mail ctx={ctx} />}
    </OrganiserOnly>
  );
}

const kRefreshMs = 3000;

function Mail({ ctx }: { ctx: EventContext }) {
  const [actionError, setError] = useState('');
  const [resent, setResent] = useState('');
  const outbox = useLoad(`mail:${ctx.id}`, async (signal) => {
    const [mail, health] = await Promise.all([review.mail(ctx.id, signal), events.health(signal)]);
    return { letters: mail.messages, configured: health.mail?.configured ?? false };
  });
  // The outbox as last read: a failed refresh leaves it on screen with the error above it.
  const shown = useRef<{ letters: Letter[]; configured: boolean } | null>(null);
  if (outbox.status === 'ok') shown.current = outbox.data;
  const letters = shown.current?.letters ?? null;
  const configured = shown.current?.configured ?? null;
  const error = actionError || (outbox.status === 'error' ? outbox.message : '');
  const waiting = (letters ?? []).some((l) => l.state === 'pending');
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => outbox.reload(), kRefreshMs);
    return () => clearTimeout(timer);
  }, [waiting, letters]);

  const resend = async (l: Letter) => {
    setError('');
    setResent('');
    try {
      await review.resendMail(ctx.id, l.id);
      setResent(`Письмо «${l.subject}» поставлено в очередь на отправку.`);
      outbox.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const title = textOf(ctx.agenda.title) || ctx.id;
  return (
    <article class="intake" data-testid="mail">
      <Breadcrumbs
        items={[{ href: eventBase(ctx.id), title }, { href: `${eventBase(ctx.id)}/desk`, title: 'Кабинет организатора' }, { title: 'Письма участникам' }]}
      />
      <h1>Письма участникам</h1>
      {configured === false && (
        <p class="callout callout--error" role="alert" data-testid="mail-not-configured">
          Почтовый сервер не настроен: письма не уходят, а ждут в очереди. Они будут отправлены, как только
          администратор сервера укажет почтовый сервер.
        </p>
      )}
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {resent && (
        <p class="callout callout--ok" role="status" data-testid="mail-resent">
          {resent}
        </p>
      )}
      {!letters && !error && <Loading />}
      {letters && letters.length === 0 && <p class="muted">Писем пока не было.</p>}
      {letters && letters.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="mail-table">
            <thead>
              <tr>
                <th>Кому</th>
                <th>Тема</th>
                <th>Состояние</th>
                <th>Попыток</th>
                <th>Создано</th>
                <th>Отправлено</th>
                <th>
                  <span class="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => (
                <tr key={l.id} data-testid="mail-row">
                  <td>{l.recipients.join(', ')}</td>
                  <td>{l.subject}</td>
                  <td>
                    <span data-testid="mail-state">{kLetterState[l.state] ?? 'неизвестно'}</span>
                    {l.last_error && (
                      <div class="muted" data-testid="mail-error">
                        Последняя ошибка: {l.last_error}
                      </div>
                    )}
                  </td>
                  <td data-testid="mail-attempts">{l.attempts}</td>
                  <td>{formatDateTime(l.created_at, ctx.offset)}</td>
                  <td>{l.sent_at ? formatDateTime(l.sent_at, ctx.offset) : '—'}</td>
                  <td>
                    {l.state !== 'sent' && (
                      <button class="button button--secondary" type="button" onClick={() => void resend(l)} data-testid="mail-resend">
                        Отправить ещё раз
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
