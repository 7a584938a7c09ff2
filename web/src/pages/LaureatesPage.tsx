// The public laureate list of a contest (GET /api/events/{id}/laureates): open to everyone from
// the instant the agenda names; before it, a notice with that date (the organiser sees a preview
// and the link to the export by region for the regional authorities).
import { useEffect } from 'preact/hooks';
import * as contest from '../lib/endpoints/contest';
import { useAuth } from '../lib/auth';
import { useLoad } from '../lib/hooks';
import { formatDateTime } from '../lib/time';
import { isOrganiser } from '../lib/roles';
import { Loading, Message } from '../components/common/Message';

function offsetOf(instant: string): string {
  const m = /([+-]\d{2}:\d{2}|Z)$/.exec(instant);
  return m ? m[1]! : 'Z';
}

export function LaureatesPage({ id }: { id: string }) {
  const auth = useAuth();
  const list = useLoad(`laureates:${id}:${auth.me?.user?.id ?? ''}`, (signal) => contest.laureates(id, signal));
  useEffect(() => {
    document.title = 'Лауреаты конкурса';
  }, []);
  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') {
    return (
      <Message title="Перечень лауреатов недоступен">
        <p>{list.message}</p>
      </Message>
    );
  }
  const data = list.data;
  const when = formatDateTime(data.public_from, offsetOf(data.public_from));
  const organiser = isOrganiser(auth.me, id);
  const exportHref = (format: string) => contest.laureatesExportUrl(id, format);
  return (
    <article class="intake intake--wide" data-testid="laureates">
      <p>
        <a href={`/events/${encodeURIComponent(id)}`}>{data.title}</a>
      </p>
      <h1>Лауреаты конкурса</h1>
      {!data.published && (
        <p class="notice" data-testid="laureates-not-published">
          Перечень лауреатов будет опубликован {when}.
          {organiser && ' Вы видите его заранее как организатор.'}
        </p>
      )}
      {organiser && (
        <p>
          <a class="button button--secondary" href={exportHref('xlsx')} data-testid="laureates-export">
            Выгрузка по регионам (XLSX)
          </a>{' '}
          <a class="button button--secondary" href={exportHref('csv')}>
            CSV
          </a>
        </p>
      )}
      {data.laureates.length === 0 ? (
        data.published && <p class="muted">Лауреаты пока не названы.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Перечень лауреатов">
          <table class="table" data-testid="laureates-table">
            <thead>
              <tr>
                <th scope="col">№</th>
                {data.columns.map((c) => (
                  <th scope="col" key={c.field}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.laureates.map((l, i) => (
                <tr key={l.practice}>
                  <td>{i + 1}</td>
                  {data.columns.map((c) => (
                    <td key={c.field}>{l.values[c.field] ?? ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
