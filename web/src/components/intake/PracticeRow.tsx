// One practice in the participant's cabinet: its state, section and type, what is missing, the
// payment, the decision and the files.
import type { CabinetPractice } from '../../lib/endpoints/intake';
import { chargesFees, kStateTitle, outcomeTitle, typeTitle, wordsOf, type EventContext } from '../../lib/intake';
import { textOf } from '../../lib/types';

const kPaymentTitle: Record<string, string> = {
  awaiting_proof: 'ожидается документ об оплате',
  proof_sent: 'документ об оплате на проверке',
  confirmed: 'оплата подтверждена',
  returned: 'документ об оплате возвращён',
};

export function PracticeRow({ ctx, practice: p }: { ctx: EventContext; practice: CabinetPractice }) {
  const missing = p.missing?.length ?? 0;
  const state = p.state ?? 'draft';
  const words = wordsOf(ctx.agenda);
  const hasSections = (ctx.agenda.sections ?? []).length > 0;
  const hasTypes = (ctx.agenda.practice?.types ?? []).length > 0;
  const meta = [
    hasSections && p.section ? `Секция ${p.section}${p.section_title ? ` «${p.section_title}»` : ''}` : '',
    hasTypes ? typeTitle(ctx, p.type) : '',
    p.owner?.full_name ? `${ctx.agenda.registration_form?.per === 'applicant' ? 'заявитель' : 'автор'}: ${p.owner.full_name}` : '',
  ].filter(Boolean);
  return (
    <li class="practice-item" data-testid={`practice-${p.id}`} data-state={state}>
      <a href={`/events/${encodeURIComponent(ctx.id)}/practices/${p.id}`} class="practice-item__title">
        {textOf(p.title) || textOf(p.answers?.name) || `${words.One} № ${p.id}`}
      </a>
      <span class={`badge badge--${state === 'submitted' ? 'open' : 'upcoming'}`} data-testid="practice-state">
        {kStateTitle[state] ?? state}
      </span>
      {meta.length > 0 && <p class="practice-item__meta">{meta.join(' · ')}</p>}
      <p class="practice-item__meta" data-testid="practice-missing" data-count={missing}>
        {state === 'submitted' ? `${words.agree({ f: 'Отправлена', m: 'Отправлен', n: 'Отправлено' })} ${words.toReview}.` : missing === 0 ? 'Все обязательные поля заполнены.' : `Не заполнено обязательных полей: ${missing}.`}
      </p>
      {state === 'submitted' && chargesFees(ctx.agenda) && p.payment?.state && (
        <p class="practice-item__meta" data-testid="practice-payment">
          Оплата: {kPaymentTitle[p.payment.state] ?? p.payment.state}
          {p.payment.reason ? ` (${p.payment.reason})` : ''}.
        </p>
      )}
      {state === 'submitted' && chargesFees(ctx.agenda) && p.owner?.id !== undefined && (p.payment?.state === 'awaiting_proof' || p.payment?.state === 'returned') && (
        <p class="practice-item__meta">
          <a href={`/events/${encodeURIComponent(ctx.id)}/practices/${p.id}#payment`} data-testid="practice-pay-link">
            Договор и документ об оплате
          </a>
        </p>
      )}
      {p.outcome?.outcome && (
        <p class="practice-item__meta" data-testid="practice-outcome" data-outcome={p.outcome.outcome}>
          {words.decision}: <strong data-testid="practice-outcome-title">{outcomeTitle(ctx.agenda, p.outcome.outcome)}</strong>
          {p.outcome.reason ? `. ${p.outcome.reason}` : ''}
          {p.in_gallery ? (
            <>
              {' · '}
              <a href={`/events/${encodeURIComponent(ctx.id)}/gallery/${p.id}`}>в галерее</a>
            </>
          ) : null}
        </p>
      )}
      {(p.files ?? []).length > 0 && (
        <p class="practice-item__meta" data-testid="practice-files">
          Файлы:{' '}
          {(p.files ?? []).map((f, i) => (
            <span key={f.id}>
              {i > 0 ? ', ' : ''}
              {f.url && f.state === 'complete' ? <a href={f.url}>{f.file_name}</a> : f.file_name}
            </span>
          ))}
        </p>
      )}
    </li>
  );
}
