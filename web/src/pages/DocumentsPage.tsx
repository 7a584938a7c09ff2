// The organiser's documents after the event (/events/:id/documents): issuing the certificates (a
// background job, followed here until it ends) and their list and archive, the proceedings and the
// letter with their link, and the tables to download (decisions, attendance, certificates).
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api';
import { eventPath, wordsOf, type EventContext } from '../lib/intake';
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
      {ctx.agenda.order !== undefined && (
        <section class="card" aria-labelledby="order-title">
          <h2 id="order-title">Распорядительный документ об итогах</h2>
          <p class="muted">
            Распорядительный документ по результатам на основе заключения экспертов: допущенные {wordsOf(ctx.agenda).many} по секциям с
            авторами и учреждениями, по окончательным решениям на сегодня.
          </p>
          <a class="button button--secondary" href={eventPath(ctx.id, '/order')} target="_blank" rel="noopener" data-testid="order-link">
            Открыть документ (PDF)
          </a>
        </section>
      )}
      <section class="card" aria-labelledby="exports-title">
        <h2 id="exports-title">Таблицы для выгрузки</h2>
        <ul class="desk__links">
          <li>
            <a class="button button--secondary" href={eventPath(ctx.id, '/exports/decisions?format=csv')} download data-testid="export-decisions">
              Решения по {wordsOf(ctx.agenda).dativePlural} (CSV)
            </a>
          </li>
          <li>
            <a class="button button--secondary" href={eventPath(ctx.id, '/exports/attendance?format=csv')} download data-testid="export-attendance">
              Посещаемость секций (CSV)
            </a>
          </li>
          {ctx.agenda.certificates !== undefined && (
            <li>
              <a class="button button--secondary" href={eventPath(ctx.id, '/exports/certificates?format=csv')} download data-testid="export-certificates">
                Сертификаты (CSV)
              </a>
            </li>
          )}
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

  useEffect(() => {
    api.get<{ certificates?: IssuedCertificate[]; job?: Job | null }>(eventPath(ctx.id, '/certificates')).then(
      (r) => {
        setList(r.certificates ?? []);
        setJob(r.job ?? null);
      },
      (e) => setError(messageOf(e)),
    );
  }, [ctx.id, round]);

  // While a job runs, its progress is read again every two seconds; the list once it ends.
  const running = job?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api.get<{ job: Job | null }>(eventPath(ctx.id, '/certificates/jobs/current')).then(
        (r) => {
          setJob(r.job);
          if (r.job?.state !== 'running') setRound((x) => x + 1);
        },
        (e) => setError(messageOf(e)),
      );
    }, 2000);
    return () => clearInterval(timer);
  }, [ctx.id, running]);

  const start = async () => {
    setBusy(true);
    setError('');
    try {
      const r = await api.post<{ job: Job }>(eventPath(ctx.id, '/certificates/jobs'), { send_mail: sendMail });
      setJob(r.job);
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
      <p class="muted">
        Сборник составляется из допущенных {wordsOf(ctx.agenda).genitivePlural} и собирается заново, когда они меняются.
      </p>
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
