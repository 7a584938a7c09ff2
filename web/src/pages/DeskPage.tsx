// The organiser's desk (/events/:id/desk): every organiser page of the event, grouped by the stage
// whose work it serves, with that stage's dates and whether it is open now. The groups follow the
// parts the agenda has (fees, review, flashmob, gallery, section day, contest, certificates).
import { useLoad } from '../lib/hooks';
import { api } from '../lib/api';
import { eventPath, wordsOf, type EventContext } from '../lib/intake';
import { eventBase, kStageOf, kStateWord, type StaffLink } from '../lib/roles';
import { formatRange } from '../lib/time';
import { listOf, textOf, type Timeline, type TimelineStage } from '../lib/types';
import { Breadcrumbs } from '../components/Intake';
import { OrganiserOnly } from '../components/OrganiserOnly';

export function DeskPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Кабинет организатора" loginWhat="открыть кабинет организатора">
      {(ctx) => <Desk ctx={ctx} />}
    </OrganiserOnly>
  );
}

interface Group {
  key: string;
  stage: string;
  fallback: string; // the group's title when the agenda has no such stage
  links: StaffLink[];
}

function groupsOf(ctx: EventContext): Group[] {
  const a = ctx.agenda;
  const base = eventBase(ctx.id);
  const groups: Group[] = [];
  const words = wordsOf(a);
  // Where the practice itself is the application (the contest's «заявка»), one word says both.
  const intakeTitle = words.Many === 'Заявки' ? 'Заявки' : `Заявки и ${words.many}`;
  const intake: StaffLink[] = [{ href: `${base}/intake`, title: intakeTitle, testId: 'desk-intake' }];
  if (a.fees) intake.push({ href: `${base}/payments`, title: 'Оплата', testId: 'desk-payments' });
  groups.push({ key: 'intake', stage: kStageOf.intake, fallback: 'Приём заявок', links: intake });
  if (a.review !== undefined) {
    groups.push({
      key: 'review',
      stage: kStageOf.review,
      fallback: 'Экспертиза',
      links: [{ href: `${base}/review-board`, title: 'Эксперты и решения', testId: 'desk-review-board' }],
    });
  }
  if (a.flashmob !== undefined) {
    groups.push({
      key: 'flashmob',
      stage: kStageOf.flashmob,
      fallback: 'Флешмоб',
      links: [
        { href: `${base}/flashmob/queue`, title: 'Работы флешмоба: проверка и порядок показа', testId: 'desk-flashmob-queue' },
        { href: `${base}/flashmob`, title: 'Трансляция флешмоба', testId: 'desk-flashmob' },
      ],
    });
  }
  if (a.gallery !== undefined) {
    groups.push({
      key: 'gallery',
      stage: kStageOf.gallery,
      fallback: `Галерея ${words.genitivePlural}`,
      links: [{ href: `${base}/gallery`, title: `Галерея ${words.genitivePlural}`, testId: 'desk-gallery' }],
    });
  }
  if (a.section_day !== undefined) {
    const consoles = listOf<{ number?: number; title?: string }>(a.sections)
      .filter((s) => typeof s.number === 'number')
      .map((s) => ({ href: `${base}/sections/${s.number}/console`, title: `Пульт секции ${s.number}`, testId: `desk-console-${s.number}` }));
    groups.push({
      key: 'sections',
      stage: kStageOf.sections,
      fallback: 'День секций',
      links: [
        { href: `${base}/section-day`, title: 'Порядок выступлений на секциях', testId: 'desk-section-day' },
        { href: `${base}/section-day/results`, title: 'Итоги секций', testId: 'desk-section-results' },
        { href: `${base}/results`, title: 'Итоги мероприятия для всех', testId: 'desk-results' },
        ...consoles,
      ],
    });
  }
  if (a.contest !== undefined) {
    groups.push({
      key: 'contest',
      stage: kStageOf.awards,
      fallback: 'Итоги конкурса',
      links: [
        { href: `${base}/laureates`, title: 'Лауреаты конкурса', testId: 'desk-laureates' },
        ...(a.contest.eligibility
          ? [{ href: `${base}/past-results`, title: 'Итоги прошлых конкурсов и совпадения', testId: 'desk-past-results' }]
          : []),
      ],
    });
  }
  groups.push({
    key: 'documents',
    stage: '',
    fallback: 'После мероприятия',
    links: [
      {
        href: `${base}/documents`,
        title: a.certificates !== undefined ? 'Сертификаты, сборник и выгрузки' : 'Выгрузки',
        testId: 'desk-documents',
      },
    ],
  });
  groups.push({
    key: 'tools',
    stage: '',
    fallback: 'Для всех этапов',
    links: [
      { href: base, title: 'Страница мероприятия', testId: 'desk-event' },
      { href: `${base}/people`, title: 'Люди и роли: эксперты, модераторы, организаторы', testId: 'desk-people' },
      { href: `${base}/mail`, title: 'Письма участникам', testId: 'desk-mail' },
      { href: `${base}/check`, title: 'Проверка файла', testId: 'desk-check' },
    ],
  });
  return groups;
}

function Desk({ ctx }: { ctx: EventContext }) {
  const timeline = useLoad(`desk-timeline:${ctx.id}`, (signal) => api.get<Timeline>(eventPath(ctx.id, '/timeline'), { signal }));
  const stages = timeline.status === 'ok' ? listOf<TimelineStage>(timeline.data.stages) : [];
  const agendaStage = (id: string) => (ctx.agenda.stages ?? []).find((s) => s.id === id);
  const title = textOf(ctx.agenda.title) || ctx.id;
  return (
    <article class="intake" data-testid="desk">
      <Breadcrumbs items={[{ href: eventBase(ctx.id), title }, { title: 'Кабинет организатора' }]} />
      <h1>Кабинет организатора</h1>
      <div class="desk__groups">
        {groupsOf(ctx).map((g) => {
          const stage = agendaStage(g.stage);
          const live = stages.find((s) => s.id === g.stage);
          return (
            <section key={g.key} class="card" aria-labelledby={`desk-${g.key}`} data-testid={`desk-group-${g.key}`}>
              <h2 id={`desk-${g.key}`}>
                {textOf(stage?.title) || g.fallback}
                {live?.state && (
                  <>
                    {" "}
                    <span class={`badge badge--${live.state}`}>{kStateWord[live.state]}</span>
                  </>
                )}
              </h2>
              {stage && (stage.opens || stage.closes) && <p class="muted">{formatRange(stage.opens, stage.closes, ctx.offset)}</p>}
              <ul class="desk__links">
                {g.links.map((l) => (
                  <li key={l.href}>
                    <a class="button button--secondary" href={l.href} data-testid={l.testId}>
                      {l.title}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </article>
  );
}
