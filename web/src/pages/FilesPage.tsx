// Every file sent to the event (/events/:id/files), for the organiser: the practice it belongs to,
// its author, what it is for (the agenda's title of its purpose), its size and when it came, with
// a link to open it; filtered by purpose, and downloadable as a table.
import { useState } from 'preact/hooks';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { wordsOf, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { formatBytes } from '../lib/format';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

const kFileState: Record<string, string> = { receiving: 'загружается', complete: 'получен', rejected: 'не принят' };

export function FilesPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Все файлы участников" loginWhat="видеть файлы участников">
      {(ctx) => <Files ctx={ctx} />}
    </OrganiserOnly>
  );
}

function Files({ ctx }: { ctx: EventContext }) {
  const purposes = Object.entries(ctx.agenda.files ?? {});
  const [purpose, setPurpose] = useState('');
  const files = useLoad(`files:${ctx.id}:${purpose}`, (signal) => intake.files(ctx.id, purpose, signal));
  const titleOf = (p: string) => textOf(ctx.agenda.files?.[p]?.title) || 'файл';
  const table = (format: intake.TableFormat) => intake.filesTable(ctx.id, purpose, format);
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="files">
      <Breadcrumbs
        items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { href: `${base}/desk`, title: 'Кабинет организатора' }, { title: 'Все файлы участников' }]}
      />
      <h1>Все файлы участников</h1>
      <div class="card form">
        <label class="field">
          <span class="field__label">Назначение файла</span>
          <select value={purpose} data-testid="files-purpose" onChange={(e) => setPurpose(e.currentTarget.value)}>
            <option value="">все файлы</option>
            {purposes.map(([key, spec]) => (
              <option key={key} value={key}>
                {textOf(spec?.title) || key}
              </option>
            ))}
          </select>
        </label>
        <p>
          Скачать таблицей:{' '}
          <a href={table('xlsx')} download data-testid="files-xlsx">
            Excel (XLSX)
          </a>{' '}
          ·{' '}
          <a href={table('csv')} download data-testid="files-csv">
            CSV
          </a>
        </p>
      </div>
      {files.status === 'loading' && <Loading />}
      {files.status === 'error' && (
        <p class="form__error" role="alert">
          {files.message}
        </p>
      )}
      {files.status === 'ok' && files.data.length === 0 && <p class="muted">Файлов нет.</p>}
      {files.status === 'ok' && files.data.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Файлы участников">
          <table class="table" data-testid="files-table">
            <thead>
              <tr>
                <th scope="col">Файл</th>
                <th scope="col">Назначение</th>
                <th scope="col">{wordsOf(ctx.agenda).One}</th>
                <th scope="col">Автор</th>
                <th scope="col">Размер</th>
                <th scope="col">Загружен</th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((f) => (
                <tr key={f.id} data-testid="file-row">
                  <td>
                    {f.state === 'complete' ? (
                      <a href={f.url} target="_blank" rel="noopener" data-testid="file-open">
                        {f.file_name}
                      </a>
                    ) : (
                      f.file_name
                    )}
                    {f.state !== 'complete' && <span class="muted"> ({kFileState[f.state] ?? 'неизвестно'})</span>}
                  </td>
                  <td data-testid="file-purpose">{titleOf(f.purpose)}</td>
                  <td>{f.practice === null ? '—' : `№ ${f.practice}${f.practice_title ? ` «${f.practice_title}»` : ''}`}</td>
                  <td>
                    {f.owner.full_name || f.owner.email}
                    {f.owner.full_name && <span class="muted"> {f.owner.email}</span>}
                  </td>
                  <td>{formatBytes(f.length)}</td>
                  <td>{formatDateTime(f.created_at, ctx.offset)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
