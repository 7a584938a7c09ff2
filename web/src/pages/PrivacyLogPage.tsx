// The organiser's log of personal-data requests (/events/:id/privacy-log, 152-ФЗ): who downloaded
// their data and who withdrew consent, newest first. People are named by their account's number
// only: after a withdrawal nothing else is kept.
import * as privacy from '../lib/endpoints/privacy';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

const kKind: Record<string, string> = {
  export: 'Скачал(а) свои данные',
  withdrawal: 'Отозвал(а) согласие, данные обезличены',
};

export function PrivacyLogPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Запросы о персональных данных" loginWhat="видеть запросы о персональных данных">
      {(ctx) => <PrivacyLog ctx={ctx} />}
    </OrganiserOnly>
  );
}

function PrivacyLog({ ctx }: { ctx: EventContext }) {
  const log = useLoad(`privacy-log:${ctx.id}`, (signal) => privacy.requests(ctx.id, signal));
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="privacy-log">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Запросы о персональных данных' },
        ]}
      />
      <h1>Запросы о персональных данных</h1>
      <p class="muted">Кто из участников скачал свои данные и кто отозвал согласие на их обработку (152-ФЗ).</p>
      {log.status === 'loading' && <Loading />}
      {log.status === 'error' && (
        <p class="form__error" role="alert">
          {log.message}
        </p>
      )}
      {log.status === 'ok' && log.data.requests.length === 0 && <p class="muted">Запросов пока не было.</p>}
      {log.status === 'ok' && log.data.requests.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Запросы о персональных данных">
          <table class="table" data-testid="privacy-log-table">
            <thead>
              <tr>
                <th scope="col">Когда</th>
                <th scope="col">Учётная запись</th>
                <th scope="col">Запрос</th>
              </tr>
            </thead>
            <tbody>
              {log.data.requests.map((r) => (
                <tr key={r.id} data-testid="privacy-log-row" data-kind={r.kind}>
                  <td>{formatDateTime(r.at, ctx.offset)}</td>
                  <td>№ {r.user}</td>
                  <td>{kKind[r.kind] ?? r.kind}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
