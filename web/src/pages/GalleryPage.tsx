// «Галерея практик»: the admitted practices by section, with search across every field (Russian
// word forms), filters by section, type, target group and year, paging, how many people are on a
// section's list now, and for the organiser the busiest practices.
import { useEffect, useRef, useState } from 'preact/hooks';
import * as gallery from '../lib/endpoints/gallery';
import type { BusiestList } from '../lib/endpoints/gallery';
import { useAuth } from '../lib/auth';
import { usePresence } from '../lib/gallery';
import { useLoad } from '../lib/hooks';
import { useEventContext, wordsOf, type EventContext, type Words } from '../lib/intake';
import { navigate } from '../lib/router';
import { isOrganiser } from '../lib/roles';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';

interface Query {
  q: string;
  section: string;
  type: string;
  target: string;
  year: string;
  page: number;
}

function readQuery(): Query {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') ?? '',
    section: p.get('section') ?? '',
    type: p.get('type') ?? '',
    target: p.get('target') ?? '',
    year: p.get('year') ?? '',
    page: Math.max(1, Number(p.get('page') ?? '1') || 1),
  };
}

function queryString(q: Query): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.section) p.set('section', q.section);
  if (q.type) p.set('type', q.type);
  if (q.target) p.set('target', q.target);
  if (q.year) p.set('year', q.year);
  if (q.page > 1) p.set('page', String(q.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function GalleryPage({ id }: { id: string }) {
  const ctx = useEventContext(id);
  const gallery = ctx.status === 'ok' ? `Галерея ${wordsOf(ctx.data.agenda).genitivePlural}` : '';
  useEffect(() => {
    if (gallery) document.title = gallery;
  }, [gallery]);
  if (ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Gallery ctx={ctx.data} />;
}

function Gallery({ ctx }: { ctx: EventContext }) {
  const { me } = useAuth();
  const [query, setQuery] = useState<Query>(readQuery);
  const [draft, setDraft] = useState<Query>(query);
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const search = queryString(query);
  const list = useLoad(`gallery:${ctx.id}:${search}`, (signal) => gallery.practices(ctx.id, query, signal));
  const sections = useLoad(`gallery-sections:${ctx.id}`, (signal) => gallery.sections(ctx.id, signal));
  const viewers = usePresence(query.section ? `gallery:${ctx.id}:${query.section}` : null);
  const organiser = isOrganiser(me, ctx.id);

  const apply = (next: Query) => {
    setQuery(next);
    setDraft(next);
    navigate(`${base}/gallery${queryString(next)}`, { replace: true });
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    apply({ ...draft, page: 1 });
  };
  const types = ctx.agenda.practice?.types ?? [];
  const words = wordsOf(ctx.agenda);
  const sectionList = ctx.agenda.sections ?? [];

  return (
    <article class="gallery" data-testid="gallery">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { title: `Галерея ${words.genitivePlural}` }]} />
      <h1>Галерея {words.genitivePlural}</h1>
      {list.status === 'error' ? (
        <p class="form__error" role="alert" data-testid="gallery-error">
          {list.message}
        </p>
      ) : null}

      {sections.status === 'ok' && (
        <nav class="gallery__sections" aria-label="Секции">
          <button type="button" class={`button button--small ${query.section ? 'button--secondary' : 'button--primary'}`} onClick={() => apply({ ...query, section: '', page: 1 })}>
            Все секции
          </button>
          {(sections.data.sections ?? []).map((s) => (
            <button
              type="button"
              key={s.number}
              data-testid={`gallery-section-${s.number}`}
              class={`button button--small ${query.section === String(s.number) ? 'button--primary' : 'button--secondary'}`}
              onClick={() => apply({ ...query, section: String(s.number), page: 1 })}
              title={s.title}
            >
              Секция {s.number} ({s.practices ?? 0})
            </button>
          ))}
        </nav>
      )}
      {query.section && (
        <p class="presence" aria-live="polite">
          Сейчас в разделе секции: <strong data-testid="section-presence">{viewers === null ? '—' : String(viewers)}</strong>
        </p>
      )}

      <form class="form gallery__search" onSubmit={onSubmit} role="search" data-testid="gallery-search">
        <div class="field">
          <label class="field__label" for="gallery-q">
            Поиск по всем полям
          </label>
          <input id="gallery-q" type="search" value={draft.q} data-testid="gallery-q" onInput={(e) => setDraft({ ...draft, q: e.currentTarget.value })} />
        </div>
        <div class="form__row">
          <div class="field">
            <label class="field__label" for="gallery-type">
              Вид {words.genitive}
            </label>
            <select id="gallery-type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value })}>
              <option value="">любой</option>
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {textOf(t.title) || t.id}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="gallery-section">
              Секция
            </label>
            <select id="gallery-section" value={draft.section} onChange={(e) => setDraft({ ...draft, section: e.currentTarget.value })}>
              <option value="">любая</option>
              {sectionList.map((s) => (
                <option key={s.number} value={String(s.number)}>
                  {s.number}. {textOf(s.title)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field__label" for="gallery-target">
              Целевая группа
            </label>
            <input id="gallery-target" value={draft.target} onInput={(e) => setDraft({ ...draft, target: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label class="field__label" for="gallery-year">
              Год начала
            </label>
            <input id="gallery-year" inputMode="numeric" value={draft.year} onInput={(e) => setDraft({ ...draft, year: e.currentTarget.value.replace(/\D/g, '') })} />
          </div>
        </div>
        <button type="submit" class="button button--primary" data-testid="gallery-search-button">
          Найти
        </button>
      </form>

      {list.status === 'loading' && <Loading />}
      {list.status === 'ok' && (
        <section aria-live="polite">
          <p class="muted" data-testid="gallery-total">
            Найдено {words.genitivePlural}: {list.data.total ?? 0}
          </p>
          <ul class="practice-list" data-testid="gallery-list">
            {(list.data.practices ?? []).map((p) => (
              <li class="practice-item" key={p.id} data-testid={`gallery-practice-${p.id}`}>
                <a class="practice-item__title" href={`${base}/gallery/${p.id}`}>
                  {p.title || `${words.One} № ${p.id}`}
                </a>
                <p class="practice-item__meta">
                  Секция {p.section} · {p.type_title} · {p.institution}
                  {p.year ? ` · с ${p.year} г.` : ''}
                  {p.viewers ? ` · смотрят сейчас: ${p.viewers}` : ''}
                </p>
                {p.excerpt && <p class="practice-item__meta">{p.excerpt}</p>}
              </li>
            ))}
          </ul>
          {(list.data.pages ?? 1) > 1 && (
            <nav class="form__row" aria-label="Страницы">
              <button type="button" class="button button--secondary" disabled={query.page <= 1} onClick={() => apply({ ...query, page: query.page - 1 })}>
                Назад
              </button>
              <span>
                Страница {query.page} из {list.data.pages}
              </span>
              <button type="button" class="button button--secondary" disabled={query.page >= (list.data.pages ?? 1)} onClick={() => apply({ ...query, page: query.page + 1 })}>
                Дальше
              </button>
            </nav>
          )}
        </section>
      )}
      {organiser && <Busiest id={ctx.id} words={words} />}
    </article>
  );
}

// The organiser's view of where people are now, refreshed every few seconds.
function Busiest({ id, words }: { id: string; words: Words }) {
  const busiest = useLoad(`gallery-busiest:${id}`, (signal) => gallery.busiest(id, signal));
  // The last answer stays on screen while a refresh fails.
  const shown = useRef<BusiestList | null>(null);
  if (busiest.status === 'ok') shown.current = busiest.data;
  const data = shown.current;
  const error = busiest.status === 'error' ? busiest.message : '';
  useEffect(() => {
    const timer = setInterval(() => busiest.reload(), 5000);
    return () => clearInterval(timer);
  }, [id]);
  return (
    <section class="card" aria-labelledby="busiest-title" data-testid="gallery-busiest">
      <h2 id="busiest-title">Где сейчас участники</h2>
      {error && <p class="form__error">{error}</p>}
      {data && (
        <ol>
          {(data.practices ?? [])
            .filter((p) => (p.viewers ?? 0) > 0)
            .map((p) => (
              <li key={p.id}>
                <a href={`/events/${encodeURIComponent(id)}/gallery/${p.id}`}>{p.title || `${words.One} № ${p.id}`}</a> — {p.viewers}
              </li>
            ))}
        </ol>
      )}
      {data && (data.viewers ?? 0) === 0 && <p class="muted">Сейчас {words.many} никто не смотрит.</p>}
    </section>
  );
}
