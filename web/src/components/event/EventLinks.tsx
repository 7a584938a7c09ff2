// The ways from the event's page into its work: the participant's pages for the stage open now,
// and the staff's (the organiser's desk, the expert's queue, the moderator's consoles).
import { useAuth } from '../../lib/auth';
import { flashmobWords } from '../../lib/flashmobWords';
import { wordsOf } from '../../lib/intake';
import { consoleLinks, eventBase, kStageOf, rolesIn, type StaffLink } from '../../lib/roles';
import { formatDateTime, formatUntil } from '../../lib/time';
import type { Agenda } from '../../lib/types';
import { stageById, type StageView } from './stages';

// The participant's pages for the stage open now; an anonymous visitor during the intake is asked
// to apply.
export function EventLinks({ id, agenda, stages, hasTimeline }: { id: string; agenda: Agenda; stages: StageView[]; hasTimeline: boolean }) {
  const { me } = useAuth();
  const base = eventBase(id);
  const words = wordsOf(agenda);
  const intake = stageById(stages, kStageOf.intake);
  const intakeOpen = intake?.state === 'open';
  const after = (stage: string) => {
    const st = stageById(stages, stage)?.state;
    return st === 'open' || st === 'closed';
  };
  const links: StaffLink[] = [];
  if (agenda.practice && me) {
    links.push({ href: `${base}/cabinet`, title: intakeOpen ? `Подать ${words.accusative}` : `Мои ${words.many}`, testId: 'cabinet-link' });
  }
  if (agenda.flashmob !== undefined) {
    const flashmob = flashmobWords(agenda);
    links.push({ href: `${base}/flashmob`, title: flashmob.title, testId: 'flashmob-link' });
    if (me) links.push({ href: `${base}/flashmob/mine`, title: flashmob.mineTitle, testId: 'flashmob-mine-link' });
  }
  if (agenda.gallery !== undefined && me) links.push({ href: `${base}/gallery`, title: `Галерея ${words.genitivePlural}`, testId: 'gallery-link' });
  if (agenda.section_day !== undefined && after(kStageOf.sections)) {
    links.push({ href: `${base}/results`, title: 'Итоги мероприятия', testId: 'results-link' });
  }
  if (agenda.contest !== undefined) links.push({ href: `${base}/laureates`, title: 'Лауреаты конкурса', testId: 'laureates-link' });
  links.push({ href: `${base}/check`, title: 'Проверить файл', testId: 'event-check-link' });

  return (
    <>
      {!me && me !== undefined && hasTimeline && intakeOpen && agenda.practice && (
        <div class="callout" data-testid="apply-call">
          <p>
            <strong>Идёт приём заявок</strong>
            {intake?.closes ? ` — ${formatUntil(intake.closes, agenda.utc_offset)}` : ''}. Чтобы подать {words.accusative}, войдите на сайт или
            зарегистрируйтесь.
          </p>
          <a class="button button--primary" href={`${base}/cabinet`} data-testid="apply-link">
            Подать {words.accusative}
          </a>
        </div>
      )}
      <nav class="event__links" aria-label="Участнику">
        {links.map((l) => (
          <a key={l.href} class="button button--secondary" href={l.href} data-testid={l.testId}>
            {l.title}
          </a>
        ))}
      </nav>
    </>
  );
}

// What the stage of a piece of work is doing now, in words: «Этап «…» идёт сейчас, по 4 июля включительно».
function stageNote(stage: StageView | undefined, offset?: string): string {
  if (!stage?.state) return '';
  const name = `Этап «${stage.title}»`;
  if (stage.state === 'open') return `${name} идёт сейчас${stage.closes ? `, ${formatUntil(stage.closes, offset)}` : ''}.`;
  if (stage.state === 'upcoming') return `${name} начнётся ${formatDateTime(stage.opens, offset)}.`;
  return `${name} завершён.`;
}

// The organiser's pages of the stages open now, beside the desk that holds them all.
function organiserNow(id: string, agenda: Agenda, stages: StageView[]): StaffLink[] {
  const base = eventBase(id);
  const open = (stage: string) => stageById(stages, stage)?.state === 'open';
  const links: StaffLink[] = [];
  if (open(kStageOf.intake)) {
    links.push({ href: `${base}/intake`, title: wordsOf(agenda).Many === 'Заявки' ? 'Заявки' : `Заявки и ${wordsOf(agenda).many}`, testId: 'intake-admin-link' });
    if (agenda.fees) links.push({ href: `${base}/payments`, title: 'Оплата', testId: 'payments-admin-link' });
  }
  if (open(kStageOf.review) && agenda.review !== undefined) {
    links.push({ href: `${base}/review-board`, title: 'Эксперты и решения', testId: 'review-board-link' });
  }
  if (open(kStageOf.sections) && agenda.section_day !== undefined) {
    links.push({ href: `${base}/section-day`, title: 'День секций', testId: 'section-day-admin-link' });
  }
  return links;
}

// The staff's work in this event: the organiser's desk, the expert's queue and the moderator's
// consoles, each with the window of its stage.
export function StaffWork({ id, agenda, stages }: { id: string; agenda: Agenda; stages: StageView[] }) {
  const { me } = useAuth();
  const roles = rolesIn(me, id);
  const items: Array<{ links: StaffLink[]; note: string; role: string }> = [];
  if (roles.organiser) {
    items.push({
      role: 'organiser',
      links: [{ href: `${eventBase(id)}/desk`, title: 'Кабинет организатора', testId: 'desk-link' }, ...organiserNow(id, agenda, stages)],
      note: 'В кабинете — все страницы организатора: заявки, оплата, экспертиза, день секций и итоги.',
    });
  }
  if (roles.expert && agenda.review !== undefined) {
    items.push({
      role: 'expert',
      links: [{ href: `${eventBase(id)}/review`, title: `Экспертиза ${wordsOf(agenda).genitivePlural}`, testId: 'review-link' }],
      note: stageNote(stageById(stages, kStageOf.review), agenda.utc_offset),
    });
  }
  if (roles.moderator) {
    items.push({
      role: 'moderator',
      links: [
        ...consoleLinks(id, roles, agenda),
        ...(agenda.gallery !== undefined
          ? [{ href: `${eventBase(id)}/gallery/moderation`, title: 'Модерация обсуждений галереи', testId: 'gallery-moderation-link' }]
          : []),
      ],
      note: stageNote(stageById(stages, kStageOf.sections), agenda.utc_offset),
    });
  }
  if (items.length === 0) return null;
  return (
    <section class="block" aria-labelledby="staff-title" data-testid="staff-work">
      <h2 id="staff-title">Ваша работа</h2>
      {items.map((item) => (
        <div key={item.role} class="card" data-testid={`staff-${item.role}`}>
          <ul class="staff-links">
            {item.links.map((l, i) => (
              <li key={l.href}>
                <a class={`button ${i === 0 ? 'button--primary' : 'button--secondary'}`} href={l.href} data-testid={l.testId}>
                  {l.title}
                </a>
              </li>
            ))}
          </ul>
          {item.note && <p class="muted">{item.note}</p>}
        </div>
      ))}
    </section>
  );
}
