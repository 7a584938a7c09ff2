// The organiser's page of the participants' reminders (/events/:id/reminders): each kind the
// agenda describes (drafts, payment, speakers, certificates) with who gets it and when, its next
// sending and how many people get a letter then, and a switch that turns the kind off or on for
// this event. The letters themselves are in «Письма участникам».
import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as reminders from '../lib/endpoints/reminders';
import type { ReminderKind } from '../lib/endpoints/reminders';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

export function RemindersPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Напоминания участникам" loginWhat="видеть напоминания участникам">
      {(ctx) => <Reminders ctx={ctx} />}
    </OrganiserOnly>
  );
}

function nextText(k: ReminderKind, offset: unknown): string {
  if (!k.next_at) return k.kind === 'certificate' ? 'когда выпущен сертификат' : 'больше не запланировано';
  return formatDateTime(k.next_at, offset);
}

function Reminders({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`reminders:${ctx.id}`, (signal) => reminders.kinds(ctx.id, signal));
  const [changed, setChanged] = useState<ReminderKind[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');
  const list = changed ?? (loaded.status === 'ok' ? loaded.data : null);

  const toggle = async (k: ReminderKind) => {
    setError('');
    setBusy(k.kind);
    try {
      setChanged(await reminders.setEnabled(ctx.id, k.kind, !k.enabled));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy('');
    }
  };

  const title = textOf(ctx.agenda.title) || ctx.id;
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="reminders">
      <Breadcrumbs
        items={[{ href: base, title }, { href: `${base}/desk`, title: 'Кабинет организатора' }, { title: 'Напоминания участникам' }]}
      />
      <h1>Напоминания участникам</h1>
      <p>
        Письма уходят сами, каждому участнику — не больше одного раза на каждый повод. Выключенное напоминание не
        отправляется, пока вы его снова не включите. Отправленные письма — на странице{' '}
        <a href={`${base}/mail`}>«Письма участникам»</a>.
      </p>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {loaded.status === 'error' && !list && (
        <p class="form__error" role="alert">
          {loaded.message}
        </p>
      )}
      {!list && loaded.status !== 'error' && <Loading />}
      {list && list.length === 0 && <p class="muted">В программе этого мероприятия напоминаний нет.</p>}
      {list && list.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="reminders-table">
            <thead>
              <tr>
                <th>Напоминание</th>
                <th>Следующая отправка</th>
                <th>Получат писем</th>
                <th>Уже отправлено</th>
                <th>Включено</th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.kind} data-testid={`reminder-${k.kind}`} data-enabled={k.enabled ? 'yes' : 'no'}>
                  <td>
                    <strong>{k.title}</strong>
                    {k.description && <div class="muted">{k.description}</div>}
                  </td>
                  <td data-testid="reminder-next">{k.enabled ? nextText(k, ctx.offset) : `выключено (${nextText(k, ctx.offset)})`}</td>
                  <td data-testid="reminder-people">{k.people}</td>
                  <td data-testid="reminder-sent">{k.sent}</td>
                  <td>
                    <label>
                      <input
                        type="checkbox"
                        checked={k.enabled}
                        disabled={busy === k.kind}
                        onChange={() => void toggle(k)}
                        data-testid="reminder-switch"
                      />{' '}
                      {k.enabled ? 'включено' : 'выключено'}
                    </label>
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
