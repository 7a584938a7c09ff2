// The files of one practice on its editor page: the Word document of the description with the
// server's clause 6.5 findings (replaced by sending a new one), photos when the agenda has a
// purpose for them, every other purpose of the agenda (the contest's signed letter and
// subscription scan, marked when required at submission), the files answering one item of the
// form (agenda `attachments`), and — where the agenda charges a fee — the payment: its state, the
// contract for the chosen payment form, the scan of the payment document and sending it.
import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import { formattingInWords } from '../lib/forms';
import { acceptsFiles, chargesFees, contractReady, kContractNotReady, rub, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf, type FormField, type Practice } from '../lib/types';
import type { PracticeFile, UploadInfo } from '../lib/uploads';
import { deleteUpload } from '../lib/endpoints/uploads';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { formatBytes } from '../lib/format';
import { Findings } from './FileCheck';
import { FileUpload } from './Upload';

function filesOf(practice: Practice, purpose: string): PracticeFile[] {
  return ((practice.files ?? []) as PracticeFile[]).filter((f) => f.purpose === purpose && f.state === 'complete');
}

function scopeOf(ctx: EventContext, practice: Practice, purpose: string): string {
  return `${ctx.id}/practice-${practice.id}/${purpose}`;
}

export function PracticeDocument(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  const { ctx, practice, reload } = props;
  const readOnly = !(props.owner && acceptsFiles(ctx, 'document'));
  const spec = ctx.agenda.files?.document;
  const [error, setError] = useState('');
  if (!spec) return null;
  const docs = filesOf(practice, 'document'); // newest first
  const current = docs[0];
  const formatting = current?.verdict?.formatting;
  const findings = formatting?.findings ?? [];

  // The newest document replaces the others: a practice has one description.
  const onComplete = async (u: UploadInfo) => {
    setError('');
    try {
      for (const old of docs) if (old.id !== u.id) await deleteUpload(old.id);
    } catch (e) {
      setError(messageOf(e));
    }
    await reload();
  };

  return (
    <section class="card" aria-labelledby="document-title" data-testid="practice-document">
      <h2 id="document-title">{textOf(spec?.title) || 'Документ'} (файл Word)</h2>
      {formattingInWords(spec?.formatting) && (
        <p class="muted" data-testid="formatting-rules">
          Оформление проверяется по требованиям положения: {formattingInWords(spec?.formatting)}.
        </p>
      )}
      {current ? (
        <div data-testid="document-current" data-upload={current.id} data-ok={formatting?.ok ? 'yes' : 'no'}>
          <p>
            Прикреплён файл:{' '}
            <a href={current.url} data-testid="document-link">
              {current.file_name}
            </a>{' '}
            <span class="muted">({formatBytes(current.length)})</span>
          </p>
          {!formatting ? (
            <p class="muted">Оформление этого файла не проверялось.</p>
          ) : formatting.error ? (
            <p class="callout callout--error" data-testid="document-format-error">
              Оформление проверить не удалось: {formatting.error.message}
            </p>
          ) : formatting.ok ? (
            <p class="callout callout--ok" data-testid="document-format-ok">
              Оформление соответствует требованиям.
            </p>
          ) : (
            <>
              <p class="callout callout--error" data-testid="document-format-summary">
                Найдены отступления от требований к оформлению: {findings.length}. Исправьте их в файле и загрузите его снова — организатор
                увидит этот список.
              </p>
              <Findings findings={findings} testId="document-findings" />
            </>
          )}
        </div>
      ) : (
        <p class={spec.required_at_submission ? 'callout' : 'muted'} data-testid="document-none">
          Файл описания ещё не прикреплён.
          {spec.required_at_submission && ` Обязательно: без него ${wordsOf(ctx.agenda).one} не отправляется.`}
        </p>
      )}
      {!readOnly && (
        <FileUpload
          event={ctx.id}
          purpose="document"
          spec={spec}
          scope={scopeOf(ctx, practice, 'document')}
          metadata={{ practice: String(practice.id) }}
          label={current ? 'Заменить файл описания' : 'Прикрепить файл описания'}
          testId="document-upload"
          onComplete={(u) => void onComplete(u)}
        />
      )}
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

// A practice's complete files of one purpose: each with its size, removable and added to while
// `editable` (up to the purpose's max_files).
type FileListProps = {
  ctx: EventContext;
  practice: Practice;
  purpose: string;
  editable: boolean;
  reload: () => Promise<void>;
  text: { title: string; empty: string; confirm: (name: string) => string; add: string; note?: string };
  testIds: { section: string; item: string; upload: string };
  field?: string; // only the files answering this item of the form (upload metadata "field")
  compact?: boolean; // inside a form field: no card, no heading
};

function PracticeFileList({ ctx, practice, purpose, editable, reload, text, testIds, field, compact }: FileListProps) {
  const spec = ctx.agenda.files?.[purpose];
  const [error, setError] = useState('');
  if (!spec) return null;
  const files = filesOf(practice, purpose).filter((f) => field === undefined || f.field === field);
  const room = spec.max_files === undefined || files.length < spec.max_files;
  const titleId = `${testIds.section}-title`;
  const remove = async (f: PracticeFile) => {
    if (!window.confirm(text.confirm(f.file_name ?? ''))) return;
    setError('');
    try {
      await deleteUpload(f.id);
      await reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const Frame = compact ? 'div' : 'section';
  return (
    <Frame
      class={compact ? 'field__files' : 'card'}
      aria-labelledby={compact ? undefined : titleId}
      data-testid={testIds.section}
      data-count={files.length}
    >
      {!compact && <h2 id={titleId}>{textOf(spec.title) || text.title}</h2>}
      {text.note && <p class={spec.required_at_submission ? 'callout' : 'muted'}>{text.note}</p>}
      {files.length === 0 ? (
        <p class="muted">{text.empty}</p>
      ) : (
        <ul class="file-list">
          {files.map((f) => (
            <li key={f.id} data-testid={testIds.item}>
              <a href={f.url}>{f.file_name}</a> <span class="muted">({formatBytes(f.length)})</span>{' '}
              {editable && (
                <button type="button" class="button button--secondary button--small" aria-label={`Удалить ${f.file_name}`} onClick={() => void remove(f)}>
                  Удалить
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && room && (
        <FileUpload
          event={ctx.id}
          purpose={purpose}
          spec={spec}
          scope={scopeOf(ctx, practice, purpose)}
          metadata={field === undefined ? { practice: String(practice.id) } : { practice: String(practice.id), field }}
          label={text.add}
          testId={testIds.upload}
          onComplete={() => void reload()}
        />
      )}
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
    </Frame>
  );
}

// Purposes with their own block on the page (or none: flashmob works have their own pages).
const kOwnBlocks = new Set(['document', 'photo', 'presentation', 'payment', 'flashmob']);

// Every other purpose the agenda has for a practice, e.g. the contest's signed letter and the
// subscription scan: listed with the purpose's title, marked when a submission needs it.
export function PracticeOtherFiles(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  const { ctx, practice, owner, reload } = props;
  const words = wordsOf(ctx.agenda);
  const attachments = new Set((ctx.agenda.practice?.fields ?? []).map((f) => f.attachments).filter(Boolean));
  const purposes = Object.entries(ctx.agenda.files ?? {}).filter(([id]) => !kOwnBlocks.has(id) && !attachments.has(id));
  return (
    <>
      {purposes.map(([id, spec]) => (
        <PracticeFileList
          key={id}
          ctx={ctx}
          practice={practice}
          purpose={id}
          editable={owner && acceptsFiles(ctx, id)}
          reload={reload}
          text={{
            title: textOf(spec.title) || 'Файлы',
            empty: 'Файл ещё не загружен.',
            confirm: (name) => `Удалить файл «${name}»?`,
            add: 'Загрузить файл',
            note: spec.required_at_submission ? `Обязательно: без этого файла ${words.one} не отправляется.` : undefined,
          }}
          testIds={{ section: `files-${id}`, item: `file-${id}`, upload: `upload-${id}` }}
        />
      ))}
    </>
  );
}

// The files answering one item of the form (its `attachments` purpose), under the item.
export function FieldAttachments(props: {
  ctx: EventContext;
  practice: Practice;
  field: FormField;
  path: string;
  owner: boolean;
  reload: () => Promise<void>;
}) {
  const { ctx, practice, field, path, owner, reload } = props;
  const purpose = field.attachments;
  if (!purpose || !ctx.agenda.files?.[purpose]) return null;
  const item = field.number ? `пункту ${field.number}` : 'этому пункту';
  return (
    <PracticeFileList
      ctx={ctx}
      practice={practice}
      purpose={purpose}
      field={path}
      compact
      editable={owner && acceptsFiles(ctx, purpose)}
      reload={reload}
      text={{
        title: 'Файлы',
        empty: `Файлов к ${item} нет.`,
        confirm: (name) => `Удалить файл «${name}»?`,
        add: `Приложить файл к ${item}`,
      }}
      testIds={{ section: `attachments-${path}`, item: `attachment-${path}`, upload: `attach-${path}` }}
    />
  );
}

export function PracticePhotos(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  return (
    <PracticeFileList
      ctx={props.ctx}
      practice={props.practice}
      purpose="photo"
      editable={props.owner && acceptsFiles(props.ctx, 'photo')}
      reload={props.reload}
      text={{ title: 'Фотографии', empty: 'Фотографий нет.', confirm: (name) => `Удалить фотографию «${name}»?`, add: 'Добавить фотографию' }}
      testIds={{ section: 'practice-photos', item: 'photo', upload: 'photo-upload' }}
    />
  );
}

// Materials for the talk on the section day (Appendix 2), accepted in the later stages: any
// number of files, shown to the section's audience from the running order.
export function PracticeMaterials(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  const { ctx, practice, owner } = props;
  const spec = ctx.agenda.files?.presentation;
  if (!spec) return null;
  const accepting = acceptsFiles(ctx, 'presentation');
  if (filesOf(practice, 'presentation').length === 0 && !(owner && accepting)) return null;
  return (
    <PracticeFileList
      ctx={ctx}
      practice={practice}
      purpose="presentation"
      editable={owner && accepting}
      reload={props.reload}
      text={{ title: 'Материалы для выступления', empty: 'Материалов нет.', confirm: (name) => `Удалить файл «${name}»?`, add: 'Добавить файл' }}
      testIds={{ section: 'practice-materials', item: 'material', upload: 'materials-upload' }}
    />
  );
}

export const kPaymentStateTitle: Record<string, string> = {
  awaiting_proof: 'ожидается документ об оплате',
  proof_sent: 'документ отправлен, организатор проверяет',
  confirmed: 'оплата подтверждена',
  returned: 'документ возвращён организатором',
};

export function PracticePayment(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  const { ctx, practice, owner, reload } = props;
  if (!chargesFees(ctx.agenda)) return null;
  return <Payment ctx={ctx} practice={practice} owner={owner} reload={reload} />;
}

function Payment(props: { ctx: EventContext; practice: Practice; owner: boolean; reload: () => Promise<void> }) {
  const { ctx, practice, owner, reload } = props;
  const forms = ctx.agenda.fees?.payment_forms ?? [];
  const spec = ctx.agenda.files?.payment;
  const payment = practice.payment ?? {};
  const state = payment.state ?? 'awaiting_proof';
  const [picked, setPicked] = useState<string | null>(null);
  const [scan, setScan] = useState<UploadInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  // The form chosen in the registration form, when there is one; the choice is shown only once that answer
  // is in, so a slow phone never shows the first form and then another.
  const registration = useLoad(`registration:${ctx.id}`, (signal) => intake.registration(ctx.id, signal));
  const chosen = registration.status === 'ok' ? registration.data?.answers?.payment_form : undefined;
  const registered = typeof chosen === 'string' && forms.some((f) => f.id === chosen) ? chosen : undefined;
  const form = picked ?? registered ?? forms[0]?.id ?? '';

  if (practice.state !== 'submitted') {
    return (
      <section class="card" aria-labelledby="payment-title" id="payment" data-testid="practice-payment" data-state="not_submitted">
        <h2 id="payment-title">Оплата</h2>
        <p class="muted">
          Организационный взнос — {rub(payment.amount ?? ctx.agenda.fees?.per_practice)} за практику. Договор и оплата станут доступны после
          отправки практики на экспертизу.
        </p>
      </section>
    );
  }

  const send = async () => {
    if (!scan) return;
    setBusy(true);
    setError('');
    setMessage('');
    try {
      await intake.sendPaymentProof(ctx.id, practice.id, scan.id);
      setScan(null);
      setMessage('Документ об оплате отправлен организатору.');
      await reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const contract = intake.contractUrl(ctx.id, form);
  const canSend = owner && state !== 'confirmed';
  return (
    <section class="card" aria-labelledby="payment-title" id="payment" data-testid="practice-payment" data-state={state}>
      <h2 id="payment-title">Оплата</h2>
      <p class="fee">
        Организационный взнос за эту практику: <strong data-testid="payment-amount">{rub(payment.amount)}</strong>
      </p>
      <p>
        Состояние:{' '}
        <span class={`badge badge--${state === 'confirmed' ? 'open' : state === 'returned' ? 'closed' : 'upcoming'}`} data-testid="payment-state">
          {kPaymentStateTitle[state] ?? state}
        </span>
        {payment.sent_at && state !== 'awaiting_proof' && <span class="muted"> · отправлен {formatDateTime(payment.sent_at, ctx.offset)}</span>}
      </p>
      {state === 'returned' && (
        <p class="callout callout--error" data-testid="payment-reason">
          Причина: {payment.reason || 'не указана'}. Загрузите исправленный документ и отправьте его снова.
        </p>
      )}
      {state === 'proof_sent' && <p class="muted">Организатор проверит документ и подтвердит оплату. Можно отправить другой документ вместо этого.</p>}

      {forms.length > 0 && state !== 'confirmed' && registration.status !== 'loading' && (
        <div class="form__row">
          <div class="field">
            <label class="field__label" for={`payment-form-${practice.id}`}>
              Форма оплаты
            </label>
            <select id={`payment-form-${practice.id}`} data-testid="payment-form" value={form} onChange={(e) => setPicked(e.currentTarget.value)}>
              {forms.map((f) => (
                <option key={f.id} value={f.id}>
                  {textOf(f.title) || f.id}
                </option>
              ))}
            </select>
          </div>
          {contractReady(ctx.agenda) ? (
            <a class="button button--secondary" href={contract} download data-testid="contract-link">
              Скачать договор (PDF)
            </a>
          ) : (
            <p class="callout" data-testid="contract-not-ready">
              {kContractNotReady}
            </p>
          )}
        </div>
      )}
      {ctx.agenda.fees?.payment_proof && state !== 'confirmed' && <p class="muted">{ctx.agenda.fees.payment_proof}</p>}

      {canSend && (
        <>
          <FileUpload
            event={ctx.id}
            purpose="payment"
            spec={spec}
            scope={`${ctx.id}/practice-${practice.id}/payment`}
            metadata={{ practice: String(practice.id) }}
            label="Скан документа об оплате (PDF, JPEG или PNG)"
            testId="payment-upload"
            onComplete={(u) => {
              setScan(u);
              setMessage('');
            }}
          />
          <button type="button" class="button button--primary" data-testid="payment-send" disabled={!scan || busy} onClick={() => void send()}>
            {busy ? 'Отправляем…' : 'Отправить документ организатору'}
          </button>
        </>
      )}
      {message && (
        <p class="callout callout--ok" role="status" data-testid="payment-message">
          {message}
        </p>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="payment-error">
          {error}
        </p>
      )}
    </section>
  );
}
