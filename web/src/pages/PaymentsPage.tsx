// The organiser's payments (/events/:id/payments): the submitted practices filtered by the state of
// their payment, each with the author's scan shown inline (an image) or opened in a new tab (a
// PDF), and the two decisions of POST /api/events/{id}/intake/practices/{n}/payment: confirm, or
// return with a reason asked for before anything is sent.
import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { kPaymentStateForOrganiser, rub, wordsOf, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf, type Practice } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

const kBadge: Record<string, string> = { confirmed: 'open', not_required: 'open', returned: 'closed' };

const kFilterOrder = ['proof_sent', 'awaiting_proof', 'returned', 'confirmed'];

export function PaymentsPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Оплата — организатору" loginWhat="проверить оплату">
      {(ctx) => <Payments ctx={ctx} />}
    </OrganiserOnly>
  );
}

function Payments({ ctx }: { ctx: EventContext }) {
  const [filter, setFilter] = useState('proof_sent');
  const base = eventBase(ctx.id);

  const list = useLoad(`payments:${ctx.id}:${filter}`, (signal) => intake.adminPractices(ctx.id, { state: 'submitted', payment: filter }, signal));
  const practices = list.status === 'ok' ? list.data : null;
  const error = list.status === 'error' ? list.message : '';

  const replace = (next: Practice) => list.set((practices ?? []).map((p) => (p.id === next.id ? next : p)));

  return (
    <article class="intake" data-testid="payments">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Оплата' },
        ]}
      />
      <h1>Оплата</h1>
      {ctx.agenda.fees?.per_practice !== undefined && (
        <p class="muted">
          Организационный взнос — {rub(ctx.agenda.fees.per_practice)} за {wordsOf(ctx.agenda).accusative}.
        </p>
      )}
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="field">
          <span class="field__label">Состояние оплаты</span>
          <select data-testid="payment-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
            {kFilterOrder.map((s) => (
              <option key={s} value={s}>
                {kPaymentStateForOrganiser[s]}
              </option>
            ))}
            <option value="">все отправленные {wordsOf(ctx.agenda).many}</option>
          </select>
        </label>
      </form>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {practices === null ? (
        !error && <Loading />
      ) : practices.length === 0 ? (
        <p class="muted" data-testid="payments-empty">
          Таких {wordsOf(ctx.agenda).genitivePlural} нет.
        </p>
      ) : (
        <ul class="practice-list" data-testid="payment-list">
          {practices.map((p) => (
            <PaymentItem key={p.id} ctx={ctx} practice={p} onChange={replace} />
          ))}
        </ul>
      )}
    </article>
  );
}

function isImage(name: string): boolean {
  return /\.(png|jpe?g|gif)$/i.test(name);
}

function PaymentItem({ ctx, practice, onChange }: { ctx: EventContext; practice: Practice; onChange: (p: Practice) => void }) {
  const payment = practice.payment ?? {};
  const state = payment.state ?? 'awaiting_proof';
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const [reasonError, setReasonError] = useState('');
  const scan = payment.upload ? (practice.files ?? []).find((f) => f.id === payment.upload) : undefined;
  const scanName = scan?.file_name ?? '';
  const scanUrl = payment.upload ? intake.uploadFileUrl(payment.upload) : '';
  const title = textOf(practice.title) || textOf(practice.answers?.name) || 'Без названия';

  const decide = async (decision: 'confirm' | 'return') => {
    if (decision === 'return' && !reason.trim()) {
      setReasonError('Напишите причину: автор увидит её и пришлёт исправленный документ.');
      return;
    }
    setBusy(true);
    setError('');
    setReasonError('');
    try {
      const next = await intake.decidePayment(ctx.id, practice.id, decision, decision === 'return' ? reason.trim() : '');
      setDone(decision === 'confirm' ? 'Оплата подтверждена.' : 'Документ возвращён автору с указанной причиной.');
      setReturning(false);
      onChange(next);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="card payment-item" data-testid={`payment-${practice.id}`} data-state={state}>
      <h2 class="practice-item__title">
        № {practice.id}. <a href={`${eventBase(ctx.id)}/review/${practice.id}`}>{title}</a>
      </h2>
      <p class="practice-item__meta">
        {practice.owner?.full_name}
        {practice.owner?.email && ` (${practice.owner.email})`}
        {practice.section_title && `; секция ${practice.section}. ${practice.section_title}`}
      </p>
      <p>
        Оплата:{' '}
        <span class={`badge badge--${kBadge[state] ?? 'upcoming'}`} data-testid="payment-state">
          {kPaymentStateForOrganiser[state] ?? 'неизвестно'}
        </span>
        {payment.amount !== undefined && state !== 'not_required' && <> · {rub(payment.amount)}</>}
        {payment.sent_at && <span class="muted"> · документ прислан {formatDateTime(payment.sent_at, ctx.offset)}</span>}
      </p>
      {state === 'returned' && payment.reason && <p class="muted">Причина возврата: {payment.reason}</p>}
      {scanUrl && (
        <div class="payment-item__scan">
          {isImage(scanName) ? (
            <a href={scanUrl} target="_blank" rel="noopener" data-testid="payment-scan-link">
              <img src={scanUrl} alt={`Документ об оплате ${wordsOf(ctx.agenda).genitive} № ${practice.id}`} data-testid="payment-scan" />
            </a>
          ) : (
            <a class="button button--secondary" href={scanUrl} target="_blank" rel="noopener" data-testid="payment-scan-link">
              Открыть документ об оплате{scanName ? ` (${scanName})` : ''}
            </a>
          )}
        </div>
      )}
      {state === 'proof_sent' && !returning && (
        <div class="payment-item__actions">
          <button type="button" class="button button--primary" disabled={busy} data-testid="payment-confirm" onClick={() => void decide('confirm')}>
            Подтвердить оплату
          </button>
          <button type="button" class="button button--secondary" disabled={busy} data-testid="payment-return" onClick={() => setReturning(true)}>
            Вернуть документ
          </button>
        </div>
      )}
      {state === 'proof_sent' && returning && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void decide('return');
          }}
        >
          <label class={`field${reasonError ? ' field--invalid' : ''}`}>
            <span class="field__label">Причина возврата (её увидит автор)</span>
            <textarea
              data-testid="payment-reason"
              value={reason}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? `payment-reason-error-${practice.id}` : undefined}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            {reasonError && (
              <span class="field__error" role="alert" id={`payment-reason-error-${practice.id}`} data-testid="payment-reason-error">
                {reasonError}
              </span>
            )}
          </label>
          <div class="payment-item__actions">
            <button type="submit" class="button button--primary" disabled={busy} data-testid="payment-return-send">
              Вернуть документ автору
            </button>
            <button type="button" class="button button--quiet" disabled={busy} onClick={() => setReturning(false)}>
              Отмена
            </button>
          </div>
        </form>
      )}
      {done && (
        <p class="callout callout--ok" role="status" data-testid="payment-done">
          {done}
        </p>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="payment-error">
          {error}
        </p>
      )}
    </li>
  );
}
