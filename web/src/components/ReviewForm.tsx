// The expert's decision on one practice: the event's own decisions as labelled radio cards, a
// reason where the agenda asks for one (asked for at the reason before anything is sent), scores
// by the agenda's criteria; «Решение сохранено» once the server has it, its refusal beside the button.
import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as review from '../lib/endpoints/review';
import type { Criterion, ExpertReview } from '../lib/endpoints/review';
import type { EventContext } from '../lib/intake';
import { decisionsOf } from '../lib/review';
import { formatDateTime } from '../lib/time';

export function ReviewForm(props: { ctx: EventContext; n: string; review: ExpertReview | null; criteria: Criterion[]; open: boolean }) {
  const decisions = decisionsOf(props.ctx.agenda);
  const [decision, setDecision] = useState(props.review?.decision ?? '');
  const [reason, setReason] = useState(props.review?.reason ?? '');
  const [scores, setScores] = useState<Record<string, number>>(props.review?.scores ?? {});
  // A missing reason is shown at the reason; the server's refusal beside the button that sent it.
  const [reasonError, setReasonError] = useState('');
  const [error, setError] = useState('');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonInput = useRef<HTMLTextAreaElement>(null);
  const needsReason = decisions.find((d) => d.id === decision)?.needsReason ?? false;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setReasonError('');
    setSavedAt(null);
    if (needsReason && !reason.trim()) {
      setReasonError('Укажите причину этого решения.');
      reasonInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await review.saveReview(props.ctx.id, props.n, { decision, reason: reason.trim(), scores });
      setSavedAt(saved?.updated_at ?? new Date().toISOString());
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const updated = savedAt ?? props.review?.updated_at;
  return (
    <form class="card form" onSubmit={submit} data-testid="review-form" noValidate>
      <h2>Ваше решение</h2>
      {!props.open && (
        <p class="callout callout--closed" data-testid="review-form-closed">
          Этап экспертизы сейчас не идёт: решение можно только просмотреть.
        </p>
      )}
      {updated && !savedAt && (
        <p class="muted" data-testid="review-saved-at">
          Сохранено {formatDateTime(updated, props.ctx.offset)}.
        </p>
      )}
      <fieldset class="form form__plain" disabled={!props.open || busy}>
        <fieldset class="group">
          <legend class="group__legend">Решение</legend>
          <div class="options">
            {decisions.map((d) => (
              <label key={d.id} class="option">
                <input
                  type="radio"
                  name="decision"
                  value={d.id}
                  checked={decision === d.id}
                  data-testid={`decision-${d.id}`}
                  onChange={() => {
                    setDecision(d.id);
                    setReasonError('');
                  }}
                />
                <span class="option__title">{d.title}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div class={`field${reasonError ? ' field--invalid' : ''}`}>
          <label class="field__label" for="review-reason">
            Причина
            {needsReason ? <span class="required-mark"> (обязательно)</span> : <span class="muted"> (по желанию)</span>}
          </label>
          <textarea
            id="review-reason"
            ref={reasonInput}
            rows={3}
            data-testid="review-reason"
            aria-invalid={reasonError ? 'true' : undefined}
            aria-describedby={reasonError ? 'review-reason-error' : undefined}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          {reasonError && (
            <p class="field__error" id="review-reason-error" role="alert" data-testid="review-error">
              {reasonError}
            </p>
          )}
        </div>
        {props.criteria.length > 0 && (
          <fieldset class="group">
            <legend class="group__legend">Оценки</legend>
            {props.criteria.map((c) => (
              <div key={c.id} class="field">
                <label class="field__label" for={`score-${c.id}`}>
                  {c.title} <span class="muted">(от 0 до {c.max})</span>
                </label>
                <input
                  id={`score-${c.id}`}
                  type="number"
                  class="input--short"
                  min={0}
                  max={c.max}
                  data-testid={`score-${c.id}`}
                  value={scores[c.id] ?? ''}
                  onInput={(e) => {
                    const v = e.currentTarget.value;
                    const next = { ...scores };
                    if (v === '') delete next[c.id];
                    else next[c.id] = Number(v);
                    setScores(next);
                  }}
                />
              </div>
            ))}
          </fieldset>
        )}
        {error && (
          <p class="form__error" role="alert" data-testid="review-error">
            {error}
          </p>
        )}
        {savedAt && (
          <p class="callout callout--ok" role="status" data-testid="review-saved">
            Решение сохранено.
          </p>
        )}
        {savedAt && (
          <p class="muted" data-testid="review-saved-at">
            Сохранено {formatDateTime(savedAt, props.ctx.offset)}.
          </p>
        )}
        <div class="form__row">
          <button type="submit" class="button button--primary" disabled={!decision} data-testid="review-submit">
            {busy ? 'Сохраняем…' : 'Сохранить решение'}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
