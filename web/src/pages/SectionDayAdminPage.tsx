// The organiser's section day (/events/:id/section-day): the sessions with their video rooms and
// the sections with their running orders, consoles and pages. One section's running order is
// SectionScheduleAdminPage, the results SectionResultsAdminPage.
import * as sections from '../lib/endpoints/sections';
import { useLoad } from '../lib/hooks';
import { type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { RoomLink, sessionLine } from '../components/RoomLink';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading } from '../components/common/Message';
import { OrganiserOnly } from '../components/common/OrganiserOnly';

export function SectionDayAdminPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="День секций — организатору" loginWhat="готовить день секций">
      {(ctx) => <DayOverview ctx={ctx} />}
    </OrganiserOnly>
  );
}

function DayOverview({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`section-overview:${ctx.id}`, (signal) => sections.overview(ctx.id, signal));
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  if (loaded.status === 'error') return <LoadError title="Не удалось загрузить секции" message={loaded.message} />;
  if (loaded.status === 'loading') return <Loading />;
  const overview = loaded.data;
  const s = overview.sessions;
  return (
    <article class="intake intake--wide" data-testid="section-day-admin">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { title: 'День секций' }]} />
      <h1>День секций</h1>
      <section class="card">
        <h2>Сессии и видеокомнаты</h2>
        <ul>
          {sessionLine(s.welcome, ctx.offset)}
          {sessionLine(s.sections, ctx.offset)}
          {sessionLine(s.results, ctx.offset)}
        </ul>
        <p class="muted">
          Выступление — от {overview.slot_minutes.min} до {overview.slot_minutes.max} мин, перерыв между выступлениями{' '}
          {overview.gap_minutes} мин; таймер предупреждает за {overview.warn_before_minutes.join(' и ')} мин до конца.
        </p>
        <p>
          <a class="button button--secondary" href={`${base}/section-day/results`} data-testid="results-admin-link">
            Итоги мероприятия
          </a>
        </p>
      </section>
      <section class="card">
        <h2>Секции</h2>
        <ol class="queue" data-testid="admin-sections">
          {overview.sections.map((section) => (
            <li class="queue__item" key={section.number} data-testid={`admin-section-${section.number}`}>
              <span class="queue__text">
                <strong>
                  Секция {section.number}. {section.title}
                </strong>
                <br />
                <span class="muted">
                  {section.schedule
                    ? `Порядок опубликован ${formatDateTime(section.schedule.published_at, ctx.offset)}, выступлений: ${section.schedule.slots.length}`
                    : 'Порядок выступлений не опубликован'}
                  {' · '}
                  <RoomLink url={section.room_url}>видеокомната</RoomLink>
                </span>
              </span>
              <span class="queue__buttons">
                <a class="button button--primary button--small" href={`${base}/section-day/${section.number}`} data-testid={`schedule-link-${section.number}`}>
                  Порядок и посещаемость
                </a>
                <a class="button button--secondary button--small" href={`${base}/sections/${section.number}/console`}>
                  Пульт модератора
                </a>
                <a class="button button--quiet button--small" href={`${base}/sections/${section.number}`}>
                  Страница секции
                </a>
              </span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
