// The organiser's live view of the day of an event (/events/:id/operations): how many people
// are connected and on which page and section, letters waiting and failed, flashmob conversions
// and certificates being made, and the server's recent problems in plain words with what to do.
// The topic operations:{id} (organisers only) gives the view on subscribing and pushes it again
// every two seconds while the page is open.
import { useState } from 'preact/hooks';
import { flashmobWords } from '../lib/flashmobWords';
import { useTopic } from '../lib/hooks';
import { type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

interface Counted {
  connections: number;
  viewers: number;
}
interface PageRow extends Counted {
  page: string;
  title: string;
}
interface SectionRow extends Counted {
  number: number;
  title: string;
}
interface Jobs {
  queued?: number;
  running?: number;
  failed?: number;
}
interface Problem {
  code: string;
  title: string;
  action: string;
  count: number;
  last?: string;
}
interface View {
  at: string;
  connections: { websockets: number; open: number };
  presence: { backend: string; healthy: boolean };
  pages: PageRow[];
  sections: SectionRow[];
  mail: { configured: boolean; pending?: number; failed?: number; sent?: number; oldest_pending_at?: string };
  conversions: Jobs;
  certificates: Jobs;
  problems: Problem[];
}

export function OperationsPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Сводка дня мероприятия" loginWhat="видеть сводку дня мероприятия">
      {(ctx) => <Operations ctx={ctx} />}
    </OrganiserOnly>
  );
}

function Operations({ ctx }: { ctx: EventContext }) {
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState('');
  const take = (data: unknown) => {
    const next = (data as { operations?: View } | null)?.operations;
    if (next) {
      setView(next);
      setError('');
    }
  };
  useTopic(`operations:${ctx.id}`, {
    onSubscribed: take,
    onEvent: (event, data) => {
      if (event === 'operations') take(data);
    },
    onError: (e) => setError(e.message),
  });

  const title = textOf(ctx.agenda.title) || ctx.id;
  const base = eventBase(ctx.id);
  return (
    <article class="intake" data-testid="operations">
      <Breadcrumbs items={[{ href: base, title }, { href: `${base}/desk`, title: 'Кабинет организатора' }, { title: 'Сводка дня' }]} />
      <h1>Сводка дня мероприятия</h1>
      <p class="muted">Обновляется сама каждые две секунды, пока страница открыта.</p>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}
      {!view && !error && <Loading />}
      {view && <Body view={view} ctx={ctx} />}
    </article>
  );
}

function Body({ view, ctx }: { view: View; ctx: EventContext }) {
  const m = view.mail;
  return (
    <>
      <p data-testid="operations-at">
        На {formatDateTime(view.at, ctx.offset)}: соединений с сайтом — <strong data-testid="operations-websockets">{view.connections.websockets}</strong>.
        {!view.presence.healthy && ' Нет связи с Redis: зрители других экземпляров сервера не учтены.'}
      </p>

      <section class="card" aria-labelledby="operations-problems" data-testid="operations-problems" data-count={view.problems.length}>
        <h2 id="operations-problems">Неполадки</h2>
        {view.problems.length === 0 && <p class="muted">Неполадок не было.</p>}
        {view.problems.map((p) => (
          <div key={p.code} class="callout callout--error" data-testid={`operations-problem-${p.code}`}>
            <strong>{p.title}</strong>
            {p.count > 1 && ` (${p.count} раз)`}
            {p.last && <span class="muted"> Последний раз: {formatDateTime(p.last, ctx.offset)}.</span>}
            <p>Что делать: {p.action}</p>
          </div>
        ))}
      </section>

      <section class="card" aria-labelledby="operations-sections">
        <h2 id="operations-sections">Секции</h2>
        <div class="table-wrap">
          <table class="table" data-testid="operations-sections">
            <thead>
              <tr>
                <th>Секция</th>
                <th>Зрителей</th>
              </tr>
            </thead>
            <tbody>
              {view.sections.map((s) => (
                <tr key={s.number} data-testid={`operations-section-${s.number}`}>
                  <td>
                    {s.number}. {s.title}
                  </td>
                  <td data-testid="operations-viewers">{s.viewers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="card" aria-labelledby="operations-pages">
        <h2 id="operations-pages">Страницы сайта</h2>
        <div class="table-wrap">
          <table class="table" data-testid="operations-pages">
            <thead>
              <tr>
                <th>Страница</th>
                <th>Зрителей</th>
              </tr>
            </thead>
            <tbody>
              {view.pages
                .filter((p) => p.viewers > 0 || p.page === 'timeline' || p.page === 'flashmob')
                .map((p) => (
                  <tr key={p.page} data-testid={`operations-page-${p.page}`}>
                    <td>{p.title}</td>
                    <td data-testid="operations-viewers">{p.viewers}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="card" aria-labelledby="operations-work">
        <h2 id="operations-work">Письма и фоновая работа</h2>
        <ul>
          <li data-testid="operations-mail">
            Письма: ждут отправки — {m.pending ?? 0}, не отправлены — {m.failed ?? 0}
            {m.oldest_pending_at && `, самое давнее ждёт с ${formatDateTime(m.oldest_pending_at, ctx.offset)}`}.
            {!m.configured && ' Почтовый сервер не настроен: письма не уходят.'} <a href={`${eventBase(ctx.id)}/mail`}>Все письма</a>
          </li>
          {ctx.agenda.files?.flashmob && (
            <li data-testid="operations-conversions">
              Подготовка работ к показу ({flashmobWords(ctx.agenda).title}): в очереди —{' '}
              {view.conversions.queued ?? 0}, идёт — {view.conversions.running ?? 0}, не удалось —{' '}
              {view.conversions.failed ?? 0}.
            </li>
          )}
          <li data-testid="operations-certificates">
            Сертификаты: ждут — {view.certificates.queued ?? 0}, не удалось сделать — {view.certificates.failed ?? 0}
            {(view.certificates.running ?? 0) > 0 && ', выпуск идёт'}.
          </li>
        </ul>
      </section>
    </>
  );
}
