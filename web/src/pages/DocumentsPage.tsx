// The organiser's documents after the event (/events/:id/documents): issuing the certificates (a
// background job, followed live through the organiser-only topic certificates:{event}: its
// subscribe reply is the job as it is, so a reconnect reads it again, and each "progress" event
// moves the bar) and their list and archive, the proceedings and the
// letter with their link, and the tables to download (decisions, attendance, certificates).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { useTopic } from '../lib/hooks';
import { eventPath, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/Intake';
import { OrganiserOnly } from '../components/OrganiserOnly';
import { Loading } from '../components/Layout';

interface Job {
  id: number;
  state: 'running' | 'done' | string;
  total: number;
  done: number;
  failed: number;
  percent: number;
  finished_at?: string | null;
}

interface IssuedCertificate {
  number: string;
  user?: { full_name?: string; email?: string };
  email?: string;
  title?: string;
  state: string;
  error?: string | null;
  mail?: string | null;
  url?: string;
}

const kCertificateState: Record<string, string> = { pending: 'готовится', made: 'готов', failed: 'не удалось сделать' };
const kMailState: Record<string, string> = { pending: 'в очереди', sent: 'отправлено', failed: 'не отправлено' };

export function DocumentsPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Сертификаты, сборник и выгрузки" loginWhat="открыть документы мероприятия">
      {(ctx) => <Documents ctx={ctx} />}
    </OrganiserOnly>
  );
}

function exportsOf(ctx: EventContext): Array<{ which: string; title: string }> {
  const list = [
    { which: 'decisions', title: 'Решения по практикам' },
    { which: 'attendance', title: 'Посещаемость секций' },
  ];
  if (ctx.agenda.certificates !== undefined) list.push({ which: 'certificates', title: 'Сертификаты' });
  return list;
}

function Documents({ ctx }: { ctx: EventContext }) {
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="documents">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Сертификаты, сборник и выгрузки' },
        ]}
      />
      <h1>Сертификаты, сборник и выгрузки</h1>
      {ctx.agenda.certificates !== undefined && <Certificates ctx={ctx} />}
      {ctx.agenda.proceedings !== undefined && <Proceedings ctx={ctx} />}
      <section class="card" aria-labelledby="exports-title">
        <h2 id="exports-title">Таблицы для выгрузки</h2>
        <p class="muted">Каждую таблицу можно скачать для Excel (XLSX) или как CSV.</p>
        <ul class="desk__links">
          {exportsOf(ctx).map((e) => (
            <li key={e.which}>
              {e.title}:{' '}
              <a href={eventPath(ctx.id, `/exports/${e.which}?format=xlsx`)} download data-testid={`export-${e.which}-xlsx`}>
                XLSX
              </a>{' '}
              ·{' '}
              <a href={eventPath(ctx.id, `/exports/${e.which}?format=csv`)} download data-testid={`export-${e.which}`}>
                CSV
              </a>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

function Certificates({ ctx }: { ctx: EventContext }) {
  const [list, setList] = useState<IssuedCertificate[] | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [sendMail, setSendMail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [round, setRound] = useState(0);
  const seen = useRef<Job | null>(null); // the job as last told, for telling its end

  useEffect(() => {
    api.get<{ certificates?: IssuedCertificate[]; job?: Job | null }>(eventPath(ctx.id, '/certificates')).then(
      (r) => {
        setList(r.certificates ?? []);
        seen.current = r.job ?? null;
        setJob(r.job ?? null);
      },
      (e) => setError(messageOf(e)),
    );
  }, [ctx.id, round]);

  const running = job?.state === 'running';
  // The topic's subscribe reply (first and after every reconnect) and each pushed "progress" carry
  // the job; the list is read again when a job is seen to have ended.
  const follow = (next: Job | null) => {
    const before = seen.current;
    seen.current = next;
    setJob(next);
    if (before?.state === 'running' && next?.state !== 'running') setRound((x) => x + 1);
  };
  useTopic(`certificates:${ctx.id}`, {
    onSubscribed: (data) => follow((data as { job?: Job | null } | null)?.job ?? null),
    onEvent: (event, data) => {
      if (event === 'progress') follow(data as Job);
    },
  });

  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const r = await api.post<{ job: Job }>(eventPath(ctx.id, '/certificates/jobs'), { send_mail: sendMail });
      // The pushes may have told the end already; the reply does not take the page back.
      if (seen.current?.id !== r.job.id || seen.current?.state === 'running') {
        seen.current = r.job;
        setJob(r.job);
      }
      if (r.job.state !== 'running') setRound((x) => x + 1);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const made = (list ?? []).filter((c) => c.state === 'made').length;
  return (
    <section class="card" aria-labelledby="certificates-title" data-testid="certificates-admin">
      <h2 id="certificates-title">Сертификаты участников</h2>
      <p class="muted">
        Выпуск составляет список участников по правилам программы мероприятия, делает сертификаты, которых ещё нет или которые изменились, и
        рассылает их.
      </p>
      <label class="choice">
        <input type="checkbox" checked={sendMail} data-testid="certificates-send-mail" onChange={(e) => setSendMail(e.currentTarget.checked)} /> Разослать
        сертификаты участникам по электронной почте
      </label>
      <p>
        <button type="button" class="button button--primary" disabled={busy || running} data-testid="certificates-start" onClick={() => void start()}>
          Выпустить сертификаты
        </button>
      </p>
      {job && (
        <progress
          class="progress"
          max={100}
          value={job.percent}
          aria-label="Выпуск сертификатов"
          data-testid="certificates-progress"
          data-percent={job.percent}
          data-state={job.state}
        />
      )}
      {job && (
        <p role="status" data-testid="certificates-job">
          {running
            ? `Идёт выпуск: готово ${job.done} из ${job.total}.`
            : `Выпуск завершён${job.finished_at ? ` ${formatDateTime(job.finished_at, ctx.offset)}` : ''}: готово ${job.done} из ${job.total}${
                job.failed ? `, не удалось — ${job.failed}` : ''
              }.`}
        </p>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="certificates-error">
          {error}
        </p>
      )}
      {list === null ? (
        !error && <Loading />
      ) : list.length === 0 ? (
        <p class="muted" data-testid="certificates-none">
          Сертификаты ещё не выпущены.
        </p>
      ) : (
        <>
          {made > 0 && (
            <p>
              <a href={eventPath(ctx.id, '/certificates/archive')} download data-testid="certificates-archive">
                Скачать все сертификаты одним архивом
              </a>
            </p>
          )}
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Таблица сертификатов">
            <table class="table" data-testid="certificates-table">
              <thead>
                <tr>
                  <th scope="col">Номер</th>
                  <th scope="col">Участник</th>
                  <th scope="col">Документ</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Письмо</th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.number} data-testid={`certificate-${c.number}`}>
                    <td>{c.url && c.state === 'made' ? <a href={c.url}>{c.number}</a> : c.number}</td>
                    <td>
                      {c.user?.full_name}
                      {(c.email ?? c.user?.email) && <span class="muted"> {c.email ?? c.user?.email}</span>}
                    </td>
                    <td>{c.title}</td>
                    <td>
                      {kCertificateState[c.state] ?? 'неизвестно'}
                      {c.error && <span class="muted"> ({c.error})</span>}
                    </td>
                    <td>{c.mail ? (kMailState[c.mail] ?? 'неизвестно') : 'не отправлялось'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Proceedings({ ctx }: { ctx: EventContext }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const send = async () => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const r = await api.post<{ participants: number; queued: number }>(eventPath(ctx.id, '/proceedings/mail'));
      setDone(`Писем со ссылкой на сборник поставлено в очередь: ${r.queued} (участников всего: ${r.participants}).`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="proceedings-title" data-testid="proceedings-admin">
      <h2 id="proceedings-title">Сборник материалов</h2>
      <p class="muted">Сборник составляется из допущенных практик и собирается заново, когда они меняются.</p>
      <ul class="desk__links">
        <li>
          <a class="button button--secondary" href={eventPath(ctx.id, '/proceedings')} target="_blank" rel="noopener" data-testid="proceedings-open">
            Открыть сборник (PDF)
          </a>
        </li>
        <li>
          <button type="button" class="button button--secondary" disabled={busy} data-testid="proceedings-mail" onClick={() => void send()}>
            Разослать ссылку на сборник участникам
          </button>
        </li>
      </ul>
      {done && (
        <p class="callout callout--ok" role="status" data-testid="proceedings-done">
          {done}
        </p>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="proceedings-error">
          {error}
        </p>
      )}
    </section>
  );
}
