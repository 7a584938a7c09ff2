// The summary of field errors above a form, with links that put the cursor into the field.
import { focusField, pathLabel } from '../../lib/forms';
import type { FormField } from '../../lib/types';

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
