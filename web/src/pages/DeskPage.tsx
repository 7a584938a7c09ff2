// The organiser's desk (/events/:id/desk): every organiser page of the event, grouped by the stage
// whose work it serves, with that stage's dates and whether it is open now. The groups follow the
// parts the agenda has (fees, review, flashmob, gallery, section day, contest, certificates).
// Above them: the milestones whose warning window has opened with work still left (what is left
// and the deadline as the regulations say it), what the agenda still holds as placeholders (the
// organiser fills it in), and the announcement of changed conditions (clause 3.2.1), shown on the
// event page and mailed to everyone registered.
import { useState } from 'preact/hooks';
import { useLoad } from '../lib/hooks';
import { api, messageOf } from '../lib/api';
import { eventPath, type EventContext } from '../lib/intake';
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
  const intake: StaffLink[] = [
    { href: `${base}/intake`, title: 'Заявки и практики', testId: 'desk-intake' },
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
      fallback: 'Галерея практик',
      links: [{ href: `${base}/gallery`, title: 'Галерея практик', testId: 'desk-gallery' }],
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
        { href: `${base}/results`, title: 'Итоги конференции для всех', testId: 'desk-results' },
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

interface Reminder {
  milestone: string;
  title: string;
  deadline_text: string;
  passed: boolean;
  left: { count: number; text: string }[];
}

function Reminders({ ctx }: { ctx: EventContext }) {
  const found = useLoad(`desk-reminders:${ctx.id}`, (signal) =>
    api.get<{ warnings: Reminder[] }>(eventPath(ctx.id, '/reminders'), { signal }),
  );
  if (found.status !== 'ok') return null;
  if (found.data.warnings.length === 0) return <div data-testid="desk-reminders" data-count="0" />;
  return (
    <section
      class="card notice--warning"
      aria-label="Приближающиеся сроки"
      data-testid="desk-reminders"
      data-count={found.data.warnings.length}
    >
      {found.data.warnings.map((w) => (
        <div key={w.milestone} data-testid={`desk-reminder-${w.milestone}`} data-passed={w.passed ? 'yes' : 'no'}>
          <h2>
            {w.title} — {w.deadline_text}
            {w.passed && ' (срок прошёл)'}
          </h2>
          <p>Осталось сделать:</p>
          <ul>
            {w.left.map((l) => (
              <li key={l.text}>{l.text}</li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
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
      <Reminders ctx={ctx} />
      <ToFill ctx={ctx} />
      <Announce ctx={ctx} />
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

interface Placeholder {
  path: string;
  title?: string;
  fields?: string[];
}

// The agenda's values still marked as placeholders: the public never sees them, and the contract
// waits for the requisites. The server warns about the same list at start-up.
function ToFill({ ctx }: { ctx: EventContext }) {
  const list = useLoad(`desk-placeholders:${ctx.id}`, (signal) =>
    api.get<{ placeholders?: Placeholder[]; file?: string }>(eventPath(ctx.id, '/placeholders'), { signal }),
  );
  if (list.status !== 'ok') return null;
  const items = listOf<Placeholder>(list.data.placeholders);
  if (items.length === 0) return null;
  return (
    <section class="card callout callout--error" aria-labelledby="desk-to-fill" data-testid="desk-placeholders">
      <h2 id="desk-to-fill">Заполните в программе мероприятия</h2>
      <p>
        Эти данные ещё не указаны{list.data.file ? ` (файл ${list.data.file})` : ''}: участники их не видят, а договор об оплате не выдаётся, пока
        нет реквизитов.
      </p>
      <ul>
        {items.map((p) => (
          <li key={p.path} data-testid="desk-placeholder">
            <strong>{textOf(p.title) || p.path}</strong>: {(Array.isArray(p.fields) ? p.fields.filter((f) => typeof f === 'string') : []).join(', ')} <span class="muted">({p.path})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// An announcement of changed conditions: on the event page at once, and a letter to everyone registered.
function Announce({ ctx }: { ctx: EventContext }) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const send = async () => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const r = await api.post<{ letters?: number }>(eventPath(ctx.id, '/announcements'), { title, text });
      setTitle('');
      setText('');
      setDone(`Объявление опубликовано на странице мероприятия; писем участникам в очереди: ${r.letters ?? 0}.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="desk-announce" data-testid="desk-announce">
      <h2 id="desk-announce">Объявление об изменении условий</h2>
      <p class="muted">Появится на странице мероприятия и уйдёт письмом всем, кто заполнил регистрационную заявку (пункт 3.2.1 положения).</p>
      <div class="field">
        <label class="field__label" for="announce-title">
          Заголовок
        </label>
        <input id="announce-title" data-testid="announce-title" value={title} maxLength={200} onInput={(e) => setTitle(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label class="field__label" for="announce-text">
          Текст
        </label>
        <textarea id="announce-text" data-testid="announce-text" rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      <button
        type="button"
        class="button button--primary"
        data-testid="announce-send"
        disabled={busy || !title.trim() || !text.trim()}
        onClick={() => void send()}
      >
        {busy ? 'Публикуем…' : 'Опубликовать и разослать'}
      </button>
      {done && (
        <p class="callout callout--ok" role="status" data-testid="announce-done">
          {done}
        </p>
      )}
      {error && (
        <p class="callout callout--error" role="alert" data-testid="announce-error">
          {error}
        </p>
      )}
    </section>
  );
}
