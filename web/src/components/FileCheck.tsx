// Checks of files before they are sent: the clause 6.5 check of a practice description (.docx)
// and the media check of flashmob videos, presentations, photos and payment scans. The file is
// uploaded as the request body with a progress bar; the server's findings are shown by rule.
import { useRef, useState } from 'preact/hooks';
import { messageOf, type UploadOptions } from '../lib/api';
import { checkDocument, checkMedia } from '../lib/endpoints/intake';
import { formattingInWords } from '../lib/forms';
import type { EventContext } from '../lib/intake';
import { textOf, type FileKind, type FilePurpose } from '../lib/types';
import { formatBytes, formatDuration } from '../lib/format';
import type { Finding, Formatting, Verdict } from '../lib/uploads';

// What the checks answer: the document's is a verdict's clause 6.5 part with the file's kind and
// size, the media check's a verdict (lib/uploads.ts) without it.
type DocumentResult = Omit<Formatting, 'error'> & { kind?: string | null; bytes?: number };
type MediaResult = Omit<Verdict, 'formatting'>;

export const kRuleTitle: Record<string, string> = {
  format: 'Формат файла',
  archive: 'Архив вместо документа',
  font: 'Шрифт',
  font_size: 'Размер шрифта',
  line_spacing: 'Межстрочный интервал',
  alignment: 'Выравнивание текста',
  first_line_indent: 'Абзацный отступ',
  bold_headings: 'Заголовки',
  caption: 'Подписи к рисункам и таблицам',
  references: 'Ссылки на литературу',
  margins: 'Поля страницы',
  type: 'Тип файла',
  size: 'Размер файла',
  duration: 'Длительность',
  slides: 'Число слайдов',
  unreadable: 'Файл не читается',
};

const kMediaPurposes = ['flashmob', 'presentation', 'photo', 'payment'];

function acceptOf(purpose: FilePurpose | undefined): string | undefined {
  const ext = (purpose?.kinds ?? []).flatMap((k) => k.extensions ?? []);
  return ext.length ? ext.map((e) => `.${e}`).join(',') : undefined;
}

type Phase = 'idle' | 'uploading' | 'checking' | 'done' | 'error';

// One upload with its progress, shared by both checks.
function useUpload<T>() {
  const [phase, setPhase] = useState<Phase>('idle');
  const [percent, setPercent] = useState(0);
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState('');
  const [fileName, setFileName] = useState('');
  const controller = useRef<AbortController | null>(null);

  const start = async (send: (file: File, options: UploadOptions) => Promise<T>, file: File) => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setFileName(file.name);
    setPhase('uploading');
    setPercent(0);
    setResult(null);
    setError('');
    try {
      const r = await send(file, {
        signal: c.signal,
        onProgress: (sent, total) => {
          const p = total > 0 ? Math.min(100, Math.round((sent / total) * 100)) : 100;
          setPercent(p);
          if (p >= 100) setPhase('checking');
        },
      });
      if (c.signal.aborted) return;
      setPercent(100);
      setResult(r);
      setPhase('done');
    } catch (e) {
      if (c.signal.aborted) return;
      setError(messageOf(e));
      setPhase('error');
    }
  };
  return { phase, percent, result, error, fileName, start };
}

function Progress({ phase, percent, fileName, testId }: { phase: Phase; percent: number; fileName: string; testId: string }) {
  if (phase === 'idle') return null;
  return (
    <div class="upload" data-testid={testId} data-phase={phase} data-percent={percent}>
      <label class="upload__label">
        <span>
          {fileName}:{' '}
          {phase === 'uploading' ? `загружено ${percent}%` : phase === 'checking' ? 'загружен, проверяем…' : phase === 'done' ? 'проверен' : 'ошибка'}
        </span>
        <progress max={100} value={percent} aria-valuetext={`${percent}%`} />
      </label>
    </div>
  );
}

export function Findings({ findings, testId }: { findings: Finding[]; testId: string }) {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const rule = f.rule ?? 'other';
    groups.set(rule, [...(groups.get(rule) ?? []), f]);
  }
  return (
    <div class="findings" data-testid={testId}>
      {[...groups.entries()].map(([rule, list]) => (
        <section class="finding" key={rule} data-testid={`finding-${rule}`} data-count={list.length}>
          <h4 class="finding__title">
            {kRuleTitle[rule] ?? rule} <span class="muted">({list.length})</span>
          </h4>
          <ul class="finding__list">
            {list.map((f, i) => (
              <li key={i}>
                {f.where && (
                  <span class="finding__where">
                    <span class="finding__key">Где:</span> {f.where}
                  </span>
                )}
                {f.found && (
                  <span>
                    <span class="finding__key">Найдено:</span> {f.found}
                  </span>
                )}
                {f.expected && (
                  <span>
                    <span class="finding__key">Требуется:</span> {f.expected}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function DocumentCheck({ ctx }: { ctx: EventContext }) {
  const purpose = ctx.agenda.files?.document;
  const u = useUpload<DocumentResult>();
  const inputId = 'doc-check-file';
  const r = u.result;
  return (
    <section class="card filecheck" aria-labelledby="doc-check-title" data-testid="document-check">
      <h2 id="doc-check-title">Проверка оформления: {textOf(purpose?.title).toLowerCase() || 'документ'}</h2>
      <p class="muted" data-testid="formatting-rules">
        {formattingInWords(purpose?.formatting) ? `Файл Word (.docx): ${formattingInWords(purpose?.formatting)}. ` : ''}Файл только
        проверяется и никуда не отправляется.
      </p>
      <div class="field">
        <label class="field__label" for={inputId}>
          Выберите файл {textOf(purpose?.title) ? `(${textOf(purpose?.title).toLowerCase()})` : ''}
        </label>
        <input
          type="file"
          id={inputId}
          data-testid="document-file"
          accept={acceptOf(purpose)}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void u.start((f, options) => checkDocument(ctx.id, f, options), file);
          }}
        />
      </div>
      <Progress phase={u.phase} percent={u.percent} fileName={u.fileName} testId="document-progress" />
      {u.error && (
        <p class="form__error" role="alert" data-testid="document-error">
          {u.error}
        </p>
      )}
      {r && (
        <div aria-live="polite" data-testid="document-result" data-ok={r.ok ? 'yes' : 'no'}>
          {r.ok ? (
            <p class="callout callout--ok" data-testid="document-ok">
              Оформление соответствует требованиям.
            </p>
          ) : (
            <p class="callout callout--error">Найдены отступления от требований к оформлению: {(r.findings ?? []).length}.</p>
          )}
          <p class="muted">
            Абзацев: {r.paragraphs ?? 0}, таблиц: {r.tables ?? 0}, рисунков: {r.images ?? 0}, размер {formatBytes(r.bytes)}.
          </p>
          {(r.findings ?? []).length > 0 && <Findings findings={r.findings ?? []} testId="document-findings" />}
        </div>
      )}
    </section>
  );
}

export function MediaCheck({ ctx }: { ctx: EventContext }) {
  const files = ctx.agenda.files ?? {};
  const purposes = kMediaPurposes.filter((p) => files[p]);
  const [purpose, setPurpose] = useState(purposes[0] ?? 'flashmob');
  const u = useUpload<MediaResult>();
  const spec = files[purpose];
  const r = u.result;
  const kind: FileKind | undefined = (spec?.kinds ?? []).find((k) => k.id === r?.kind);
  return (
    <section class="card filecheck" aria-labelledby="media-check-title" data-testid="media-check">
      <h2 id="media-check-title">Проверка материалов</h2>
      <div class="field">
        <label class="field__label" for="media-purpose">
          Что проверяем
        </label>
        <select id="media-purpose" data-testid="media-purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value)}>
          {purposes.map((p) => (
            <option key={p} value={p}>
              {textOf(files[p]?.title) || p}
            </option>
          ))}
        </select>
      </div>
      {(spec?.kinds ?? []).length > 0 && (
        <ul class="muted kinds">
          {(spec?.kinds ?? []).map((k) => (
            <li key={k.id}>
              {textOf(k.title) || k.id}: {(k.extensions ?? []).join(', ')}
              {k.max_bytes ? `, до ${formatBytes(k.max_bytes)}` : ''}
            </li>
          ))}
        </ul>
      )}
      <div class="field">
        <label class="field__label" for="media-file">
          Выберите файл
        </label>
        <input
          type="file"
          id="media-file"
          data-testid="media-file"
          accept={acceptOf(spec)}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) {
              void u.start((f, options) => checkMedia(ctx.id, purpose, f, options), file);
            }
          }}
        />
      </div>
      <Progress phase={u.phase} percent={u.percent} fileName={u.fileName} testId="media-progress" />
      {u.error && (
        <p class="form__error" role="alert" data-testid="media-error">
          {u.error}
        </p>
      )}
      {r && (
        <div aria-live="polite" data-testid="media-result" data-ok={r.ok ? 'yes' : 'no'}>
          {r.ok ? (
            <p class="callout callout--ok" data-testid="media-ok">
              Файл соответствует требованиям.
            </p>
          ) : (
            <p class="callout callout--error">Файл не соответствует требованиям.</p>
          )}
          <dl class="facts">
            <dt>Тип</dt>
            <dd data-testid="media-kind">{kind ? textOf(kind.title) || kind.id : r.kind ?? 'не распознан'}</dd>
            <dt>Размер</dt>
            <dd data-testid="media-size">{formatBytes(r.bytes)}</dd>
            {typeof r.duration_s === 'number' && (
              <>
                <dt>Длительность</dt>
                <dd data-testid="media-duration">{formatDuration(r.duration_s)}</dd>
              </>
            )}
            {typeof r.slides === 'number' && (
              <>
                <dt>Слайдов</dt>
                <dd data-testid="media-slides">{r.slides}</dd>
              </>
            )}
          </dl>
          {(r.findings ?? []).length > 0 && <Findings findings={r.findings ?? []} testId="media-findings" />}
        </div>
      )}
    </section>
  );
}
