// The notice about the intake window the intake pages show above their forms.
import { wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';

export function IntakeNotice({ ctx, editable }: { ctx: EventContext; editable?: boolean }) {
  const s = ctx.intake;
  if (s?.state === 'upcoming') {
    return (
      <div class="callout" role="status" data-testid="intake-upcoming">
        Приём заявок начнётся {formatDateTime(s.opens, ctx.offset)}.
      </div>
    );
  }
  if (s?.state === 'closed' || editable === false) {
    return (
      <div class="callout callout--closed" role="status" data-testid="intake-closed">
        <strong>Приём заявок завершён{s?.closes ? ` ${formatDateTime(s.closes, ctx.offset)}` : ''}.</strong>{' '}
        {ctx.agenda.registration_form?.per === 'applicant' ? 'Сведения о заявителе' : 'Заявки'} и {wordsOf(ctx.agenda).many} доступны
        только для просмотра.
      </div>
    );
  }
  if (s?.state === 'open' && s.closes) {
    return (
      <p class="muted" data-testid="intake-open">
        Приём заявок открыт до {formatDateTime(s.closes, ctx.offset)} (время мероприятия).
      </p>
    );
  }
  return null;
}
