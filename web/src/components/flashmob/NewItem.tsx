// The form that sends a creative work to the flashmob: its kind, title and institution, and the
// file through the resumable upload.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { fieldErrorsOf, messageOf, type FieldError } from '../../lib/api';
import * as flashmob from '../../lib/endpoints/flashmob';
import type { MyItem } from '../../lib/endpoints/flashmob';
import * as intake from '../../lib/endpoints/intake';
import { useLoad } from '../../lib/hooks';
import type { EventContext } from '../../lib/intake';
import { textOf } from '../../lib/types';
import type { UploadInfo } from '../../lib/uploads';
import { FileUpload } from '../Upload';

export function NewItem({ ctx, kinds, onSent }: { ctx: EventContext; kinds: Array<{ id: string; title?: string }>; onSent: (item: MyItem) => void }) {
  const [kind, setKind] = useState('');
  const [title, setTitle] = useState('');
  const [institution, setInstitution] = useState('');
  const [file, setFile] = useState<UploadInfo | null>(null);
  const [round, setRound] = useState(0); // a new upload component after each sent work
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState('');

  // The institution of the registration form, to save typing on a phone.
  const registration = useLoad(`registration:${ctx.id}`, (signal) => intake.registration(ctx.id, signal));
  const known = registration.status === 'ok' ? registration.data?.answers?.institution : undefined;
  useEffect(() => {
    if (typeof known === 'string') setInstitution((cur) => cur || known);
  }, [known]);

  const errorOf = (path: string) => errors.find((e) => e.path === path)?.message;
  const send = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    if (!file) {
      setErrors([]);
      setMessage('Сначала загрузите файл работы.');
      return;
    }
    setBusy(true);
    try {
      const item = await flashmob.sendItem(ctx.id, { upload: file.id, work_kind: kind, title, institution });
      onSent(item);
      setErrors([]);
      setKind('');
      setTitle('');
      setFile(null);
      setRound((r) => r + 1);
      setMessage('Работа отправлена. Её статус — ниже.');
    } catch (err) {
      setErrors(fieldErrorsOf(err));
      setMessage(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  // A field's error is tied to its control: aria-invalid and aria-describedby name the message.
  const invalid = (path: string) =>
    errorOf(path) ? { 'aria-invalid': 'true' as const, 'aria-describedby': `fm-${path}-error` } : {};
  const field = (path: string, label: string, input: JSX.Element) => (
    <div class={`field${errorOf(path) ? ' field--invalid' : ''}`}>
      <label class="field__label" for={`fm-${path}`}>
        {label} <span class="required-mark" aria-hidden="true">*</span>
      </label>
      {input}
      {errorOf(path) && (
        <p class="field__error" id={`fm-${path}-error`} data-testid="field-error">
          {errorOf(path)}
        </p>
      )}
    </div>
  );

  return (
    <form class="card form" onSubmit={send} noValidate aria-labelledby="new-item-title" data-testid="flashmob-form">
      <h2 id="new-item-title">Отправить работу</h2>
      {field(
        'work_kind',
        'Вид работы',
        <select id="fm-work_kind" data-testid="flashmob-kind" value={kind} aria-required="true" {...invalid('work_kind')} onChange={(e) => setKind(e.currentTarget.value)}>
          <option value="">— выберите —</option>
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {textOf(k.title) || k.id}
            </option>
          ))}
        </select>,
      )}
      {field(
        'title',
        'Название работы',
        <input id="fm-title" data-testid="flashmob-title" value={title} aria-required="true" {...invalid('title')} onInput={(e) => setTitle(e.currentTarget.value)} />,
      )}
      {field(
        'institution',
        'Учреждение',
        <input
          id="fm-institution"
          data-testid="flashmob-institution"
          value={institution}
          aria-required="true"
          {...invalid('institution')}
          onInput={(e) => setInstitution(e.currentTarget.value)}
        />,
      )}
      <FileUpload
        key={round}
        event={ctx.id}
        purpose="flashmob"
        spec={ctx.agenda.files?.flashmob}
        scope={`${ctx.id}/flashmob`}
        label="Видеоролик или презентация"
        testId="flashmob-upload"
        onComplete={setFile}
      />
      {message && (
        <p class={errors.length === 0 && message.startsWith('Работа отправлена') ? 'callout callout--ok' : 'form__error'} role="status" data-testid="flashmob-message">
          {message}
        </p>
      )}
      <button type="submit" class="button button--primary" data-testid="flashmob-send" disabled={busy}>
        {busy ? 'Отправляем…' : 'Отправить работу'}
      </button>
    </form>
  );
}
