// Issuing the certificates: a background job followed live through the organiser-only topic
// certificates:{event} (its subscribe reply is the job as it is, so a reconnect reads it again, and
// each "progress" event moves the bar), and the list of certificates with their archive.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import * as certificates from '../../lib/endpoints/certificates';
import type { Job } from '../../lib/endpoints/certificates';
import { useLoad, useTopic } from '../../lib/hooks';
import type { EventContext } from '../../lib/intake';
import { formatDateTime } from '../../lib/time';
import { Loading } from '../common/Message';

const kCertificateState: Record<string, string> = { pending: 'готовится', made: 'готов', failed: 'не удалось сделать' };
const kMailState: Record<string, string> = { pending: 'в очереди', sent: 'отправлено', failed: 'не отправлено' };

export function IssuedCertificates({ ctx }: { ctx: EventContext }) {
  const issued = useLoad(`certificates:${ctx.id}`, (signal) => certificates.issued(ctx.id, signal));
  const list = issued.status === 'ok' ? (issued.data.certificates ?? []) : null;
  const [job, setJob] = useState<Job | null>(null);
  const [sendMail, setSendMail] = useState(true);
  const [busy, setBusy] = useState(false);
  const [actionError, setError] = useState('');
  const error = actionError || (issued.status === 'error' ? issued.message : '');
  const seen = useRef<Job | null>(null); // the job as last told, for telling its end

  // Each read of the list carries the job as it is then.
  const read = issued.status === 'ok' ? issued.data : null;
  useEffect(() => {
    if (!read) return;
    seen.current = read.job ?? null;
    setJob(read.job ?? null);
  }, [read]);

  const running = job?.state === 'running';
  // The topic's subscribe reply (first and after every reconnect) and each pushed "progress" carry
  // the job; the list is read again when a job is seen to have ended.
  const follow = (next: Job | null) => {
    const before = seen.current;
    seen.current = next;
    setJob(next);
    if (before?.state === 'running' && next?.state !== 'running') issued.reload();
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
      const r = await certificates.startJob(ctx.id, sendMail);
      // The pushes may have told the end already; the reply does not take the page back.
      if (seen.current?.id !== r.job.id || seen.current?.state === 'running') {
        seen.current = r.job;
        setJob(r.job);
      }
      if (r.job.state !== 'running') issued.reload();
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
              <a href={certificates.archiveUrl(ctx.id)} download data-testid="certificates-archive">
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
