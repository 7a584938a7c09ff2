// The organiser's review log (/events/:id/review-log): every decision and change the review
// recorded, oldest first — experts' decisions, the organiser's final ones with their reasons, the
// assignments of experts (automatic or by hand) and the letters about the decisions.
import * as review from '../lib/endpoints/review';
import type { Entry, Person } from '../lib/endpoints/review';
import { useLoad } from '../lib/hooks';
import { wordsOf, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

const kAction: Record<string, string> = {
  review: 'Решение эксперта',
  outcome: 'Решение организатора',
  assign: 'Назначен эксперт',
  unassign: 'Эксперт снят',
  notify: 'Письма о решениях',
};

function nameOf(p: Person | undefined): string {
  return p?.full_name || p?.email || 'неизвестно';
}

// The entry in words: what was decided (and what it replaced), who was assigned, how many letters.
function what(e: Entry): string {
  const d = e.detail ?? {};
  switch (e.action) {
    case 'review':
    case 'outcome': {
      const now = d.decision_title ?? d.outcome_title ?? 'решение';
      const before = d.previous?.decision_title ?? d.previous?.outcome_title;
      return before ? `${now} (было: ${before})` : now;
    }
    case 'assign':
      return `${nameOf(d.expert_user)}${d.automatic ? ' — автоматически' : ' — вручную'}`;
    case 'unassign':
      return nameOf(d.expert_user);
    case 'notify':
      return `учреждений: ${d.institutions ?? 0}, писем в очереди: ${d.queued ?? 0}`;
    default:
      return '';
  }
}

export function ReviewLogPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Журнал экспертизы" loginWhat="видеть журнал экспертизы">
      {(ctx) => <ReviewLog ctx={ctx} />}
    </OrganiserOnly>
  );
}

function ReviewLog({ ctx }: { ctx: EventContext }) {
  const log = useLoad(`review-log:${ctx.id}`, (signal) => review.log(ctx.id, signal));
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="review-log">
      <Breadcrumbs
        items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { href: `${base}/desk`, title: 'Кабинет организатора' }, { title: 'Журнал экспертизы' }]}
      />
      <h1>Журнал экспертизы</h1>
      <p class="muted">Кто, что и когда решил по {wordsOf(ctx.agenda).dativePlural}, с причинами, и кого назначили экспертом.</p>
      {log.status === 'loading' && <Loading />}
      {log.status === 'error' && (
        <p class="form__error" role="alert">
          {log.message}
        </p>
      )}
      {log.status === 'ok' && log.data.entries.length === 0 && <p class="muted">Записей пока нет.</p>}
      {log.status === 'ok' && log.data.entries.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Журнал экспертизы">
          <table class="table" data-testid="review-log-table">
            <thead>
              <tr>
                <th scope="col">Когда</th>
                <th scope="col">Кто</th>
                <th scope="col">Действие</th>
                <th scope="col">{wordsOf(ctx.agenda).One}</th>
                <th scope="col">Что</th>
                <th scope="col">Причина</th>
              </tr>
            </thead>
            <tbody>
              {log.data.entries.map((e) => (
                <tr key={e.id} data-testid="review-log-row">
                  <td>{formatDateTime(e.at, ctx.offset)}</td>
                  <td>{nameOf(e.actor)}</td>
                  <td>{kAction[e.action] ?? 'действие'}</td>
                  <td>{e.practice === null ? '—' : `№ ${e.practice}${e.practice_title ? ` «${e.practice_title}»` : ''}`}</td>
                  <td>{what(e)}</td>
                  <td>{e.detail?.reason || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
