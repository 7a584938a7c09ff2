// The proceedings: the document made from the admitted practices, and the letter with its link.
import * as certificates from '../../lib/endpoints/certificates';
import { wordsOf, type EventContext } from '../../lib/intake';
import { useAction } from '../common/useAction';

export function Proceedings({ ctx }: { ctx: EventContext }) {
  const { busy, done, error, run } = useAction();
  const send = () =>
    run(async () => {
      const r = await certificates.mailProceedings(ctx.id);
      return `Писем со ссылкой на сборник поставлено в очередь: ${r.queued} (участников всего: ${r.participants}).`;
    });
  return (
    <section class="card" aria-labelledby="proceedings-title" data-testid="proceedings-admin">
      <h2 id="proceedings-title">Сборник материалов</h2>
      <p class="muted">
        Сборник составляется из допущенных {wordsOf(ctx.agenda).genitivePlural} и собирается заново, когда они меняются.
      </p>
      <ul class="desk__links">
        <li>
          <a class="button button--secondary" href={certificates.proceedingsUrl(ctx.id)} target="_blank" rel="noopener" data-testid="proceedings-open">
            Открыть сборник (PDF)
          </a>
        </li>
        <li>
          <button type="button" class="button button--secondary" disabled={busy} data-testid="proceedings-mail" onClick={() => void send()}>
            Разослать ссылку на сборник участникам
          </button>
        </li>
      </ul>
      {done && (
        <p class="callout callout--ok" role="status" data-testid="proceedings-done">
          {done}
        </p>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid="proceedings-error">
          {error}
        </p>
      )}
    </section>
  );
}
