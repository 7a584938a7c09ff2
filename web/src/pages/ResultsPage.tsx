// The conference's results for everyone (/events/:id/results): the best practices of each section
// as the organiser published them at the results session, arriving live on results:{id}, and the
// session's video room.
import { useEffect, useState } from 'preact/hooks';
import { useTopic } from '../lib/hooks';
import { useEventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { practiceTitle, webLink, type Results } from '../lib/sections';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';

function resultsOf(data: unknown): Results | null | undefined {
  if (typeof data !== 'object' || data === null || !('results' in data)) return undefined;
  return (data as { results: Results | null }).results;
}

export function ResultsPage({ id }: { id: string }) {
  const ctx = useEventContext(id);
  const [results, setResults] = useState<Results | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    document.title = 'Итоги мероприятия';
  }, []);
  useTopic(`results:${id}`, {
    onSubscribed: (data) => {
      const r = resultsOf(data);
      if (r !== undefined) setResults(r);
    },
    onEvent: (event, data) => {
      const r = resultsOf(data);
      if (event === 'results_published' && r !== undefined) setResults(r);
    },
    onError: (e) => setError(e.message),
  });
  if (ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const offset = ctx.data.offset;
  const base = `/events/${encodeURIComponent(id)}`;
  const room = webLink(results?.session?.room_url);
  return (
    <article class="intake" data-testid="results-page">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.data.agenda.title) || id }, { title: 'Итоги' }]} />
      <h1>Итоги мероприятия</h1>
      {error && <p class="form__error">{error}</p>}
      {results === undefined ? (
        <Loading />
      ) : results === null ? (
        <p class="muted" data-testid="results-none">
          Итоги ещё не опубликованы. Они появятся здесь сами, как только организатор их опубликует.
        </p>
      ) : (
        <>
          <p class="muted" data-testid="results-published">
            Опубликованы {formatDateTime(results.published_at, offset)}.
            {room && (
              <>
                {' '}
                <a href={room} target="_blank" rel="noopener noreferrer">
                  Видеокомната подведения итогов
                </a>
              </>
            )}
          </p>
          {results.text && <p class="results__text">{results.text}</p>}
          {results.sections.map((s) => (
            <section class="card" key={s.section} data-testid={`results-${s.section}`}>
              <h2>
                Секция {s.section}. {s.title}
              </h2>
              {s.best.length > 0 && (
                <ul>
                  {s.best.map((p) => (
                    <li key={p.id}>
                      <strong>{practiceTitle(p, p.id)}</strong> — {p.authors.join(', ')}
                      {p.institution ? ` (${p.institution})` : ''}
                    </li>
                  ))}
                </ul>
              )}
              {s.note && <p>{s.note}</p>}
            </section>
          ))}
        </>
      )}
    </article>
  );
}
