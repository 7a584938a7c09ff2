// Pieces the intake pages share: the notice about the intake window, the summary of field errors
// with links that put the cursor into the field, and the frame for "log in first" / load errors.
import type { ComponentChildren } from 'preact';
import { focusField, pathLabel } from '../lib/forms';
import { wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import type { FormField } from '../lib/types';
import { Message } from './Layout';

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

export interface SummaryError {
  path: string;
  message: string;
}

// A list of what the server refused or still misses; each item links to its field.
export function ErrorSummary(props: { title: string; errors: SummaryError[]; fields: FormField[]; testId: string; tone?: 'error' | 'info' }) {
  const { title, errors, fields, testId, tone = 'error' } = props;
  if (errors.length === 0) return null;
  return (
    <section class={`summary summary--${tone}`} data-testid={testId} role={tone === 'error' ? 'alert' : undefined} tabIndex={-1}>
      <h2 class="summary__title">{title}</h2>
      <ul class="summary__list">
        {errors.map((e, i) => (
          <li key={`${e.path}-${i}`}>
            <a
              href={`#${e.path}`}
              data-testid="summary-link"
              data-path={e.path}
              onClick={(ev) => {
                ev.preventDefault();
                focusField(e.path);
              }}
            >
              {pathLabel(fields, e.path)}
            </a>
            {e.message && <span class="summary__message">: {e.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function LoginNeeded({ what }: { what: string }) {
  return (
    <Message title="Нужно войти">
      <p data-testid="login-needed">
        Чтобы {what}, войдите на сайт или зарегистрируйтесь — кнопка «Вход и регистрация» вверху страницы.
      </p>
    </Message>
  );
}

export function LoadError({ title, message, children }: { title: string; message: string; children?: ComponentChildren }) {
  return (
    <Message title={title}>
      <p role="alert">{message}</p>
      {children}
    </Message>
  );
}

export function Breadcrumbs({ items }: { items: Array<{ href?: string; title: string }> }) {
  return (
    <nav class="crumbs" aria-label="Навигация">
      <ol>
        {items.map((it, i) => (
          <li key={i}>{it.href ? <a href={it.href}>{it.title}</a> : <span aria-current="page">{it.title}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}
