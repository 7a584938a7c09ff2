// The audience's page of one section on the section day (/events/:id/sections/:n): who speaks and
// the time left, the next presenter, the video room, hands and questions, all live on the topic
// section:{id}:{n} (lib/sectionLive.ts).
import { useEffect } from 'preact/hooks';
import { useEventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { useSection } from '../lib/sectionLive';
import { textOf } from '../lib/types';
import { Floor, Presenter } from '../components/SectionLive';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { SectionCalendarLink } from '../components/calendar/Calendars';
import { LoadError, Loading } from '../components/common/Message';

export function SectionPage({ id, n }: { id: string; n: string }) {
  const live = useSection(id, n);
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = `Секция ${n}`;
  }, [n]);
  const { state, error } = live;
  if (!state) return error ? <LoadError title="Секция недоступна" message={error} /> : <Loading />;
  const base = eventBase(id);
  return (
    <article class="intake" data-testid="section-page">
      <Breadcrumbs items={[{ href: base, title: (ctx.status === 'ok' && textOf(ctx.data.agenda.title)) || id }, { title: `Секция ${state.section}` }]} />
      <h1>
        Секция {state.section}. {state.title}
      </h1>
      <SectionCalendarLink id={id} n={state.section} />
      <Presenter live={live} />
      <Floor live={live} moderator={false} />
    </article>
  );
}
