// Every organiser page of the event, grouped by the stage whose work it serves; the groups follow
// the parts the agenda has (fees, review, flashmob, gallery, section day, contest, certificates).
import { wordsOf, type EventContext } from '../../lib/intake';
import { kPlainFlashmobWords } from '../../lib/flashmobWords';
import { eventBase, kStageOf, type StaffLink } from '../../lib/roles';
import { listOf } from '../../lib/types';

interface Group {
  key: string;
  stage: string;
  fallback: string; // the group's title when the agenda has no such stage
  links: StaffLink[];
}

export function groupsOf(ctx: EventContext): Group[] {
  const a = ctx.agenda;
  const base = eventBase(ctx.id);
  const groups: Group[] = [];
  const words = wordsOf(a);
  // Where the practice itself is the application (the contest's «заявка»), one word says both.
  const intakeTitle = words.Many === 'Заявки' ? 'Заявки' : `Заявки и ${words.many}`;
  const intake: StaffLink[] = [
    { href: `${base}/intake`, title: intakeTitle, testId: 'desk-intake' },
    { href: `${base}/files`, title: 'Все файлы участников', testId: 'desk-files' },
  ];
  if (a.fees) intake.push({ href: `${base}/payments`, title: 'Оплата', testId: 'desk-payments' });
  groups.push({ key: 'intake', stage: kStageOf.intake, fallback: 'Приём заявок', links: intake });
  if (a.review !== undefined) {
    groups.push({
      key: 'review',
      stage: kStageOf.review,
      fallback: 'Экспертиза',
      links: [
        { href: `${base}/review-board`, title: 'Эксперты и решения', testId: 'desk-review-board' },
        { href: `${base}/review-log`, title: 'Журнал экспертизы: кто и что решил', testId: 'desk-review-log' },
      ],
    });
  }
  if (a.flashmob !== undefined) {
    groups.push({
      key: 'flashmob',
      stage: kStageOf.flashmob,
      fallback: kPlainFlashmobWords.title,
      links: [
        { href: `${base}/flashmob/queue`, title: kPlainFlashmobWords.queueTitle, testId: 'desk-flashmob-queue' },
        { href: `${base}/flashmob`, title: 'Трансляция', testId: 'desk-flashmob' },
      ],
    });
  }
  if (a.gallery !== undefined) {
    groups.push({
      key: 'gallery',
      stage: kStageOf.gallery,
      fallback: `Галерея ${words.genitivePlural}`,
      links: [
        { href: `${base}/gallery`, title: `Галерея ${words.genitivePlural}`, testId: 'desk-gallery' },
        { href: `${base}/gallery/moderation`, title: 'Модерация обсуждений и жалобы', testId: 'desk-gallery-moderation' },
      ],
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
        ...(a.contest?.post !== undefined
          ? [{ href: `${base}/post`, title: 'Рассылка дипломов и сертификатов по почте', testId: 'desk-post' }]
          : []),
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
      { href: `${base}/reminders`, title: 'Напоминания участникам: что и когда уйдёт', testId: 'desk-participant-reminders' },
      { href: `${base}/operations`, title: 'Сводка дня: кто на сайте, письма, неполадки', testId: 'desk-operations' },
      { href: `${base}/check`, title: 'Проверка файла', testId: 'desk-check' },
      ...(a.registration_form?.privacy !== undefined
        ? [{ href: `${base}/privacy-log`, title: 'Запросы о персональных данных: выгрузки и отзывы согласия', testId: 'desk-privacy-log' }]
        : []),
    ],
  });
  return groups;
}
