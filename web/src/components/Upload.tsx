// The one component that sends a file to the server, for every purpose the agenda names (the
// practice document, photos, payment scans, flashmob media, section materials). It speaks tus 1.0
// through tus-js-client, so a dropped connection resumes by itself where it stopped and a reload
// resumes once the same file is chosen again; it checks the file against the agenda's rules for
// its purpose before sending, shows percent and bytes, pause and resume, and afterwards the
// server's verdict in Russian (rule, where, what was found, what is required).
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as tus from 'tus-js-client';
import { ApiError, messageOf } from '../lib/api';
import { deleteUpload, getUpload, uploadsEndpoint } from '../lib/endpoints/uploads';
import {
  acceptOf,
  durationPrecheck,
  fingerprintFor,
  forgetInterrupted,
  forgetUpload,
  interruptedUploads,
  loadTus,
  precheck,
  uploadIdOf,
  type Finding,
  type Interrupted,
  type UploadInfo,
  type Verdict,
} from '../lib/uploads';
import type { FilePurpose } from '../lib/types';
import { formatBytes, formatDuration } from '../lib/format';
import { Findings } from './FileCheck';

type Phase =
  | 'idle' // nothing chosen
  | 'refused' // the pre-check found the file cannot pass: nothing sent
  | 'sending'
  | 'paused'
  | 'waiting' // the connection dropped: tus retries, and we restart when the browser is online again
  | 'checking' // every byte sent; the server checks the file by its bytes
  | 'done'
  | 'rejected' // the server's check refused the file
  | 'error';

// Retries of one request, then we wait for the 'online' event or a periodic nudge.
const kRetryDelays = [0, 1000, 3000, 5000, 10000, 15000];
const kNudgeMs = 10_000;

export interface FileUploadProps {
  event: string;
  purpose: string;
  spec: FilePurpose | undefined; // the agenda's files[purpose]
  // Where the file belongs on the site, e.g. "practice-12": two practices never resume each other's files.
  scope: string;
  metadata?: Record<string, string>;
  label: string;
  testId: string;
  disabled?: boolean;
  // A complete upload the server accepted; the page attaches it to what it belongs to.
  onComplete?: (upload: UploadInfo) => void;
}

function percentOf(sent: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
}

function findingsOf(verdict: Verdict | null | undefined): Finding[] {
  return (verdict?.findings ?? []).map((f) => ({ ...f, where: f.where || 'файл' }));
}

// A tus error's server answer ({"error":{"code","message","details"}}), when there was one.
function serverError(e: unknown): { status: number; code?: string; message?: string; details?: unknown } | null {
  const res = (e as tus.DetailedError | undefined)?.originalResponse;
  if (!res) return null;
  let body: unknown;
  try {
    body = JSON.parse(res.getBody() || 'null');
  } catch {
    body = null;
  }
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  return { status: res.getStatus(), code: err?.code, message: err?.message, details: err?.details };
}

export function FileUpload(props: FileUploadProps) {
  const { event, purpose, spec, scope, metadata, label, testId, disabled, onComplete } = props;
  const [phase, setPhase] = useState<Phase>('idle');
  const [sent, setSent] = useState(0);
  const [total, setTotal] = useState(0);
  const [fileName, setFileName] = useState('');
  const [resumedFrom, setResumedFrom] = useState(0);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [result, setResult] = useState<UploadInfo | null>(null);
  const [error, setError] = useState('');
  const [interrupted, setInterrupted] = useState<Array<Interrupted & { offset: number }>>([]);
  const upload = useRef<tus.Upload | null>(null);
  const finishing = useRef<tus.Upload | null>(null); // sent in full, the verdict not yet read
  const chosen = useRef<File | null>(null); // the file start() last began with
  const phaseRef = useRef<Phase>('idle');
  const finishRef = useRef<(u: tus.Upload) => Promise<void>>(async () => undefined);
  const completed = useRef(onComplete);
  completed.current = onComplete;
  const inputId = `upload-${testId}`;

  const go = (p: Phase) => {
    phaseRef.current = p;
    setPhase(p);
  };

  // Interrupted uploads of this place, left by an earlier visit: shown with their offset so the
  // person knows choosing the same file again continues from there. One the server finished
  // meanwhile (the page was closed while it checked) is handed over as complete.
  useEffect(() => {
    let live = true;
    void (async () => {
      const found: Array<Interrupted & { offset: number }> = [];
      for (const u of await interruptedUploads(scope)) {
        try {
          const info = await getUpload(u.uploadId);
          if (info.state === 'receiving') found.push({ ...u, offset: info.offset ?? 0, size: info.length ?? u.size });
          else {
            await forgetInterrupted(u.storageKey);
            if (info.state === 'complete' && live && phaseRef.current === 'idle') {
              setFileName(info.file_name ?? u.fileName);
              setResult(info);
              setTotal(info.length ?? 0);
              setSent(info.length ?? 0);
              go('done');
              completed.current?.(info);
            }
          }
        } catch (e) {
          // Gone from the server (or someone else's on a shared phone); offline keeps it for later.
          if (e instanceof ApiError && e.status === 404) await forgetInterrupted(u.storageKey);
        }
      }
      if (live) setInterrupted(found);
    })();
    return () => {
      live = false;
    };
  }, [scope]);

  // Back online: an upload that gave up waiting starts again (tus asks the server for the offset).
  useEffect(() => {
    const nudge = () => {
      if (phaseRef.current === 'waiting' && finishing.current) {
        go('checking');
        void finishRef.current(finishing.current);
      } else if (phaseRef.current === 'waiting' && upload.current) {
        go('sending');
        upload.current.start();
      }
    };
    window.addEventListener('online', nudge);
    const timer = setInterval(nudge, kNudgeMs);
    return () => {
      window.removeEventListener('online', nudge);
      clearInterval(timer);
    };
  }, []);

  // Leaving the page stops sending; the bytes on the server stay for the next visit.
  useEffect(
    () => () => {
      void upload.current?.abort();
    },
    [],
  );

  const finish = async (u: tus.Upload) => {
    const id = uploadIdOf(u.url);
    if (!id) {
      setError('Сервер не сообщил адрес загрузки.');
      go('error');
      return;
    }
    finishing.current = null;
    try {
      const info = await getUpload(id);
      setResult(info);
      if (info.state === 'complete') {
        setFindings(findingsOf(info.verdict));
        go('done');
        completed.current?.(info);
      } else {
        setFindings(findingsOf(info.verdict));
        go('rejected');
      }
    } catch (e) {
      if (e instanceof ApiError && (e.status === 0 || e.status >= 500)) {
        // Every byte is in; only the verdict is missing: ask again when the network is back.
        finishing.current = u;
        go('waiting');
        return;
      }
      setError(messageOf(e));
      go('error');
    }
  };

  finishRef.current = finish;

  const start = async (file: File) => {
    finishing.current = null;
    await upload.current?.abort();
    upload.current = null;
    setFileName(file.name);
    setTotal(file.size);
    setSent(0);
    setResumedFrom(0);
    setResult(null);
    setError('');
    chosen.current = file;
    const pre = precheck(file, spec);
    setFindings(pre);
    if (pre.length > 0) {
      go('refused');
      return;
    }
    const tooLong = await durationPrecheck(file, spec);
    if (chosen.current !== file) return; // another file was chosen meanwhile
    if (tooLong.length > 0) {
      setFindings(tooLong);
      go('refused');
      return;
    }
    go('sending');
    let lib: typeof tus;
    try {
      lib = await loadTus();
    } catch {
      setError('Не удалось загрузить программу отправки файлов. Обновите страницу.');
      go('error');
      return;
    }
    const u = new lib.Upload(file, {
      endpoint: uploadsEndpoint(event, purpose),
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', purpose, ...metadata },
      fingerprint: fingerprintFor(scope) as (file: File) => Promise<string>,
      retryDelays: kRetryDelays,
      removeFingerprintOnSuccess: true,
      // Our server answers 409 upload_busy while another tab appends, and offset_mismatch with the
      // right offset: both are worth a retry; any other 4xx (rejected, quota, deadline) is final.
      onShouldRetry: (err) => {
        const server = serverError(err);
        const status = server?.status ?? 0;
        const again = status === 0 || status >= 500 || status === 423 || (status === 409 && server?.code !== 'upload_finished' && server?.code !== 'deadline_passed');
        return again && navigator.onLine !== false;
      },
      onProgress: (bytes, size) => {
        setSent(bytes);
        setTotal(size);
        if (bytes >= size && phaseRef.current === 'sending') go('checking');
      },
      onChunkComplete: (_chunk, accepted, size) => {
        setSent(accepted);
        setTotal(size);
      },
      onSuccess: () => void finish(u),
      onError: (e) => {
        const server = serverError(e);
        if (server?.code === 'file_rejected' || server?.code === 'upload_finished') {
          // The server removed the file: choosing it again must start a new upload.
          const id = uploadIdOf(u.url);
          if (id) void forgetUpload(id);
        }
        if (server?.code === 'upload_finished') {
          setError('Эта загрузка уже завершена. Выберите файл ещё раз.');
          go('error');
          upload.current = null;
          return;
        }
        if (server?.code === 'file_rejected') {
          setResult({ id: uploadIdOf(u.url) ?? '', state: 'rejected', verdict: server.details as Verdict });
          setFindings(findingsOf(server.details as Verdict));
          go('rejected');
          return;
        }
        if (!server || server.status === 0 || server.status >= 500 || navigator.onLine === false) {
          // Still resumable: keep the upload and try again when the network is back.
          go('waiting');
          return;
        }
        setError(server.message || messageOf(e));
        go('error');
      },
    });
    upload.current = u;
    try {
      const previous = await u.findPreviousUploads();
      if (previous.length > 0) {
        const last = previous[previous.length - 1]!;
        u.resumeFromPreviousUpload(last);
        const id = uploadIdOf(last.uploadUrl);
        const known = interrupted.find((x) => x.uploadId === id);
        if (known) setResumedFrom(known.offset);
      }
    } catch {
      // No storage: a fresh upload.
    }
    if (upload.current !== u) return;
    setInterrupted((list) => list.filter((x) => x.size !== file.size));
    u.start();
  };

  const pause = () => {
    if (!upload.current) return;
    go('paused');
    void upload.current.abort();
  };
  const resume = () => {
    if (!upload.current) return;
    go('sending');
    upload.current.start();
  };
  const cancel = async () => {
    const u = upload.current;
    upload.current = null;
    go('idle');
    setFindings([]);
    setSent(0);
    if (u) {
      try {
        await u.abort(true);
      } catch {
        // Already gone on the server.
      }
    }
  };
  const dropInterrupted = async (x: Interrupted) => {
    try {
      await deleteUpload(x.uploadId);
    } catch {
      // The server forgets it at the latest with the quota; the browser forgets it now.
    }
    await forgetInterrupted(x.storageKey);
    setInterrupted((list) => list.filter((y) => y.storageKey !== x.storageKey));
  };

  const percent = phase === 'done' ? 100 : percentOf(sent, total);
  const busy = phase === 'sending' || phase === 'waiting' || phase === 'checking' || phase === 'paused';
  const verdict = result?.verdict ?? null;
  const kinds = spec?.kinds ?? [];

  return (
    <div class="upload-box" data-testid={testId} data-phase={phase} data-percent={percent} data-upload={result?.id ?? ''}>
      {!busy && !disabled && (
        <div class="field">
          <label class="field__label" for={inputId}>
            {label}
          </label>
          <input
            type="file"
            id={inputId}
            data-testid={`${testId}-file`}
            accept={acceptOf(spec)}
            aria-describedby={`${inputId}-rules`}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void start(file);
            }}
          />
          {kinds.length > 0 && (
            <p class="field__hint" id={`${inputId}-rules`}>
              {kinds
                .map((k) => `${k.title ?? k.id}: ${(k.extensions ?? []).map((x) => `.${x}`).join(', ')}${k.max_bytes ? `, до ${formatBytes(k.max_bytes)}` : ''}`)
                .join('; ')}
              .
            </p>
          )}
        </div>
      )}

      {interrupted.length > 0 && phase === 'idle' && (
        <ul class="upload__interrupted" data-testid={`${testId}-interrupted`}>
          {interrupted.map((x) => (
            <li key={x.storageKey} data-offset={x.offset}>
              Загрузка «{x.fileName}» прервана: получено {formatBytes(x.offset)} из {formatBytes(x.size)} ({percentOf(x.offset, x.size)}%).
              Выберите этот же файл ещё раз — загрузка продолжится с места остановки.{' '}
              <button type="button" class="button button--secondary button--small" onClick={() => void dropInterrupted(x)}>
                Не продолжать
              </button>
            </li>
          ))}
        </ul>
      )}

      {phase !== 'idle' && phase !== 'refused' && (
        <div class="upload" data-testid={`${testId}-progress`} data-phase={phase} data-percent={percent} data-resumed-from={resumedFrom}>
          <label class="upload__label">
            <span class="upload__name">{fileName}</span>
            <progress max={100} value={percent} aria-valuetext={`${percent}%`} />
          </label>
          <p class="upload__status" role="status" aria-live="polite" data-testid={`${testId}-status`}>
            {phase === 'sending' && `Загружено ${formatBytes(sent)} из ${formatBytes(total)} — ${percent}%`}
            {phase === 'paused' && `Пауза: загружено ${formatBytes(sent)} из ${formatBytes(total)} — ${percent}%`}
            {phase === 'waiting' && `Нет связи с сервером. Загрузка продолжится сама, когда связь появится (${percent}%).`}
            {phase === 'checking' && 'Файл загружен, сервер проверяет его…'}
            {phase === 'done' && `Файл загружен: ${formatBytes(total)}.`}
            {phase === 'rejected' && 'Файл загружен, но не принят: он не соответствует требованиям.'}
            {phase === 'error' && `Загрузка остановлена: ${error}`}
            {resumedFrom > 0 && (phase === 'sending' || phase === 'checking') && ` Продолжено с ${formatBytes(resumedFrom)}.`}
          </p>
          <div class="upload__buttons">
            {phase === 'sending' && (
              <button type="button" class="button button--secondary button--small" data-testid={`${testId}-pause`} onClick={pause}>
                Пауза
              </button>
            )}
            {(phase === 'paused' || phase === 'error' || phase === 'waiting') && upload.current && (
              <button type="button" class="button button--secondary button--small" data-testid={`${testId}-resume`} onClick={resume}>
                Продолжить
              </button>
            )}
            {(phase === 'sending' || phase === 'paused' || phase === 'waiting' || phase === 'error') && (
              <button type="button" class="button button--secondary button--small" data-testid={`${testId}-cancel`} onClick={() => void cancel()}>
                Отменить
              </button>
            )}
          </div>
        </div>
      )}

      {phase === 'refused' && (
        <div class="callout callout--error" role="alert" data-testid={`${testId}-refused`}>
          <p>Файл «{fileName}» не отправлен: он не подходит по требованиям.</p>
          <Findings findings={findings} testId={`${testId}-findings`} />
        </div>
      )}

      {(phase === 'done' || phase === 'rejected') && verdict && (
        <div aria-live="polite" data-testid={`${testId}-verdict`} data-ok={phase === 'done' ? 'yes' : 'no'}>
          {phase === 'done' ? (
            <p class="callout callout--ok">Файл принят.</p>
          ) : (
            <p class="callout callout--error" role="alert">
              Файл не принят и не сохранён. Исправьте и загрузите снова.
            </p>
          )}
          <Measured verdict={verdict} spec={spec} testId={testId} />
          {findings.length > 0 && <Findings findings={findings} testId={`${testId}-findings`} />}
        </div>
      )}
    </div>
  );
}

// What the server measured: kind, size, duration, slides.
export function Measured({ verdict, spec, testId }: { verdict: Verdict; spec: FilePurpose | undefined; testId: string }) {
  const kind = (spec?.kinds ?? []).find((k) => k.id === verdict.kind);
  return (
    <dl class="facts" data-testid={`${testId}-measured`}>
      {verdict.kind && (
        <>
          <dt>Тип</dt>
          <dd>{kind?.title ?? verdict.kind}</dd>
        </>
      )}
      {typeof verdict.bytes === 'number' && (
        <>
          <dt>Размер</dt>
          <dd>{formatBytes(verdict.bytes)}</dd>
        </>
      )}
      {typeof verdict.duration_s === 'number' && (
        <>
          <dt>Длительность</dt>
          <dd data-testid={`${testId}-duration`}>{formatDuration(verdict.duration_s)}</dd>
        </>
      )}
      {typeof verdict.slides === 'number' && (
        <>
          <dt>Слайдов</dt>
          <dd data-testid={`${testId}-slides`}>{verdict.slides}</dd>
        </>
      )}
    </dl>
  );
}
