// The end of the practice editor: sending it for review with what is still missing (fields and
// files), the answer to the last attempt, and deleting it.
import type { FieldError } from '../../lib/api';
import type { Words } from '../../lib/intake';
import type { FormField } from '../../lib/types';
import { ErrorSummary } from '../common/ErrorSummary';

export function SubmitCard(props: {
  state: string;
  missing: FieldError[];
  missingFiles: Array<{ id: string; title: string }>;
  submitMessage: string;
  submitErrors: FieldError[];
  readOnly: boolean;
  busy: boolean;
  words: Words;
  fields: FormField[];
  onSubmit: () => void;
  onDelete: () => void;
}) {
  const { state, missing, missingFiles, submitMessage, submitErrors, readOnly, busy, words, fields, onSubmit, onDelete } = props;
  return (
    <section class="card submit" aria-labelledby="submit-title">
      <h2 id="submit-title">Отправка {words.toReview}</h2>
      {state === 'submitted' ? (
        <p data-testid="submitted-note">
          {words.One} {words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })} {words.toReview}. До окончания приёма{' '}
          {words.agree({ f: 'её', m: 'его', n: 'его' })} можно исправлять —{' '}
          {words.agree({ f: 'она должна оставаться заполненной', m: 'он должен оставаться заполненным', n: 'оно должно оставаться заполненным' })}{' '}
          полностью.
        </p>
      ) : missing.length > 0 ? (
        <details class="missing" data-testid="missing" data-count={missing.length}>
          <summary>Не заполнено обязательных полей: {missing.length}</summary>
          <ErrorSummary title="Что ещё нужно заполнить" errors={missing} fields={fields} testId="missing-list" tone="info" />
        </details>
      ) : (
        <p data-testid="missing" data-count="0">
          Все обязательные поля заполнены.
        </p>
      )}
      {state !== 'submitted' && missingFiles.length > 0 && (
        <p class="callout" data-testid="missing-files" data-count={missingFiles.length}>
          Не загружены обязательные файлы: {missingFiles.map((f) => `«${f.title}»`).join(', ')}.
        </p>
      )}
      {submitMessage && (
        <p class={state === 'submitted' && submitErrors.length === 0 ? 'callout callout--ok' : 'form__error'} role="status" data-testid="submit-message">
          {submitMessage}
        </p>
      )}
      {!readOnly && state !== 'submitted' && (
        <button type="button" class="button button--primary" data-testid="submit-practice" disabled={busy} onClick={onSubmit}>
          {busy ? 'Отправляем…' : `Отправить ${words.toReview}`}
        </button>
      )}
      {!readOnly && (
        <button type="button" class="button button--danger" data-testid="delete-practice" onClick={onDelete}>
          Удалить {words.accusative}
        </button>
      )}
    </section>
  );
}
