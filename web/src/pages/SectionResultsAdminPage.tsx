// The organiser's results of the conference (/events/:id/section-day/results): the common text,
// the best practices of each section and a note per section, published in one PUT.
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as sections from '../lib/endpoints/sections';
import { useLoad } from '../lib/hooks';
import { wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime, formatTime, parseInstant } from '../lib/time';
import { textOf } from '../lib/types';
import { practiceTitle, type PracticeInfo, type Results } from '../lib/sections';
import { RoomLink } from '../components/RoomLink';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';
import { OrganiserOnly } from '../components/common/OrganiserOnly';

export function SectionResultsAdminPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Итоги мероприятия — организатору" loginWhat="публиковать итоги">
      {(ctx) => <ResultsEditor ctx={ctx} />}
    </OrganiserOnly>
  );
}

interface SectionChoice {
  number: number;
  title: string;
  presenters: PracticeInfo[];
}

// The sections with everyone admitted to present in each (the draft plus those left out of it),
// the results session, and the results as published.
async function loadChoices(id: string, signal: AbortSignal) {
  const [overview, current] = await Promise.all([sections.overview(id, signal), sections.results(id, signal)]);
  const choices: SectionChoice[] = await Promise.all(
    overview.sections.map(async (s) => {
      const sc = await sections.schedule(id, s.number, signal);
      const presenters = [
        ...(sc.draft ?? []).map((slot) => slot.info ?? { id: slot.practice, title: '', institution: '', authors: [] }),
        ...(sc.unscheduled ?? []),
      ];
      return { number: s.number, title: s.title, presenters };
    }),
  );
  return { choices, session: overview.sessions.results, current };
}

function ResultsEditor({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`results-editor:${ctx.id}`, (signal) => loadChoices(ctx.id, signal));
  const [published, setPublished] = useState<Results | null>(null);
  const [text, setText] = useState('');
  const [best, setBest] = useState<Record<number, number[]>>({});
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [actionError, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  // The form starts from what is published.
  const current = loaded.status === 'ok' ? loaded.data.current : null;
  useEffect(() => {
    if (!current) return;
    setPublished(current);
    setText(current.text);
    setBest(Object.fromEntries(current.sections.map((s) => [s.section, s.best.map((b) => b.id)])));
    setNotes(Object.fromEntries(current.sections.map((s) => [s.section, s.note])));
  }, [current]);

  const error = actionError || (loaded.status === 'error' ? loaded.message : '');
  if (loaded.status !== 'ok') return loaded.status === 'error' ? <LoadError title="Не удалось загрузить итоги" message={loaded.message} /> : <Loading />;
  const { choices, session } = loaded.data;
  const toggle = (section: number, practice: number, on: boolean) =>
    setBest((b) => {
      const set = new Set(b[section] ?? []);
      if (on) set.add(practice);
      else set.delete(practice);
      return { ...b, [section]: [...set] };
    });
  const publish = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setDone('');
    try {
      const body = {
        text,
        sections: choices.map((c) => ({ section: c.number, best: best[c.number] ?? [], note: notes[c.number] ?? '' })),
      };
      setPublished(await sections.publishResults(ctx.id, body));
      setDone('Итоги опубликованы: их видят все на странице итогов.');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const opens = session ? parseInstant(session.starts) : null;
  return (
    <article class="intake intake--wide" data-testid="results-editor">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/section-day`, title: 'День секций' },
          { title: 'Итоги' },
        ]}
      />
      <h1>Итоги мероприятия</h1>
      {session && (
        <p>
          {session.title}: {formatDateTime(session.starts, ctx.offset)}–{formatTime(session.ends, ctx.offset)}.{' '}
          <RoomLink url={session.room_url} testId="results-room">
            Видеокомната
          </RoomLink>
          {opens !== null && <span class="muted"> Опубликовать итоги можно с начала этой сессии.</span>}
        </p>
      )}
      <p data-testid="results-status">
        {published ? `Опубликованы ${formatDateTime(published.published_at, ctx.offset)}.` : 'Ещё не опубликованы.'}{' '}
        <a href={`${base}/results`}>Страница итогов</a>
      </p>
      <form class="form form--wide" onSubmit={publish} noValidate>
        <div class="field">
          <label class="field__label" for="results-text">
            Общий текст итогов
          </label>
          <textarea id="results-text" rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="results-text" />
        </div>
        {choices.map((c) => (
          <fieldset class="group" key={c.number} data-testid={`results-section-${c.number}`}>
            <legend class="group__legend">
              Секция {c.number}. {c.title}
            </legend>
            {c.presenters.length === 0 ? (
              <p class="muted">В секции нет допущенных к выступлению {wordsOf(ctx.agenda).genitivePlural}.</p>
            ) : (
              c.presenters.map((p) => (
                <div class="choice" key={p.id}>
                  <input
                    type="checkbox"
                    id={`best-${c.number}-${p.id}`}
                    checked={(best[c.number] ?? []).includes(p.id)}
                    onChange={(e) => toggle(c.number, p.id, e.currentTarget.checked)}
                    data-testid={`best-${p.id}`}
                  />
                  <label for={`best-${c.number}-${p.id}`}>
                    <strong>{practiceTitle(p, p.id)}</strong>
                    <span class="choice__hint">{[p.authors.join(', '), p.institution].filter(Boolean).join(' · ')}</span>
                  </label>
                </div>
              ))
            )}
            <div class="field">
              <label class="field__label" for={`note-${c.number}`}>
                Комментарий по секции
              </label>
              <textarea
                id={`note-${c.number}`}
                rows={2}
                value={notes[c.number] ?? ''}
                onInput={(e) => {
                  const value = e.currentTarget.value;
                  setNotes((all) => ({ ...all, [c.number]: value }));
                }}
              />
            </div>
          </fieldset>
        ))}
        {error && (
          <p class="form__error" role="alert" data-testid="results-error">
            {error}
          </p>
        )}
        {done && (
          <p class="callout callout--ok" role="status" data-testid="results-done">
            {done}
          </p>
        )}
        <div class="form__row">
          <button type="submit" class="button button--primary" disabled={busy} data-testid="publish-results">
            {published ? 'Опубликовать заново' : 'Опубликовать итоги'}
          </button>
        </div>
      </form>
    </article>
  );
}
