// The event's page: title, the organisers and how to reach them, announcements of changed
// conditions (newest first), stages with their dates in the event's time zone and which are open
// now, sections with contacts, the timetable, and how many people have the page open. Stage
// states and the count follow the server live over the WebSocket topic timeline:<id>.
import { Fragment } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useLoad, useTopic } from '../lib/hooks';
import { formatDate, formatDateTime, formatRange, formatTime, formatUntil, isoOrUndefined, parseInstant } from '../lib/time';
import {
  listOf,
  textOf,
  type Agenda,
  type AgendaSection,
  type AgendaSession,
  type AgendaStage,
  type Milestone,
  type StageState,
  type Timeline,
  type TimelineStage,
  type Venue,
} from '../lib/types';
import { wordsOf } from '../lib/intake';
import { consoleLinks, eventBase, kStageOf, rolesIn, type StaffLink } from '../lib/roles';
import { Loading, Message } from '../components/Layout';
import { contactValue, isEmail, telHref } from '../lib/contacts';
import type { Contact, Organiser } from '../lib/types';

const kStateLabel: Record<StageState, string> = {
  open: 'идёт сейчас',
  upcoming: 'скоро',
  closed: 'завершён',
};

function asTimeline(value: unknown): Timeline | null {
  if (typeof value !== 'object' || value === null) return null;
  const t = value as Timeline;
  if (!Array.isArray(t.stages) && !Array.isArray(t.open)) return null;
  return t;
}

// Keeps the newest of two timelines by their "now": a slow HTTP answer must not undo a push.
function newer(current: Timeline | null, incoming: Timeline): Timeline {
  if (!current) return incoming;
  const a = parseInstant(current.now);
  const b = parseInstant(incoming.now);
  if (a !== null && b !== null && b < a) return current;
  return incoming;
}

interface StageView {
  id: string;
  title: string;
  description: string;
  opens?: string;
  closes?: string;
  state?: StageState;
}

function mergeStages(agenda: Agenda, timeline: Timeline | null): StageView[] {
  const fromTimeline = new Map<string, TimelineStage>();
  for (const s of listOf<TimelineStage>(timeline?.stages)) if (typeof s.id === 'string') fromTimeline.set(s.id, s);
  const open = new Set(Array.isArray(timeline?.open) ? timeline.open : []);

  const stateOf = (id: string): StageState | undefined => {
    const st = fromTimeline.get(id)?.state;
    if (st === 'open' || st === 'upcoming' || st === 'closed') return st;
    if (timeline && open.has(id)) return 'open';
    return undefined;
  };

  const views: StageView[] = [];
  const seen = new Set<string>();
  for (const s of listOf<AgendaStage>(agenda.stages)) {
    if (typeof s.id !== 'string' || seen.has(s.id)) continue;
    seen.add(s.id);
    const t = fromTimeline.get(s.id);
    views.push({
      id: s.id,
      title: textOf(s.title) || textOf(t?.title) || s.id,
      description: textOf(s.description),
      opens: s.opens ?? t?.opens,
      closes: s.closes ?? t?.closes,
      state: stateOf(s.id),
    });
  }
  for (const t of fromTimeline.values()) {
    if (seen.has(t.id)) continue;
    views.push({ id: t.id, title: textOf(t.title) || t.id, description: '', opens: t.opens, closes: t.closes, state: stateOf(t.id) });
  }
  return views;
}

export function EventPage({ id }: { id: string }) {
  const agenda = useLoad(`agenda:${id}`, (signal) => api.get<Agenda>(`/api/events/${encodeURIComponent(id)}`, { signal }));
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [presence, setPresence] = useState<number | null>(null);

  const acceptTimeline = useCallback((value: unknown) => {
    const t = asTimeline(value);
    if (t) setTimeline((current) => newer(current, t));
  }, []);

  const fetchTimeline = useCallback(
    (signal?: AbortSignal) =>
      api.get<Timeline>(`/api/events/${encodeURIComponent(id)}/timeline`, signal ? { signal } : {}).then(acceptTimeline, () => undefined),
    [id, acceptTimeline],
  );

  useEffect(() => {
    setTimeline(null);
    setPresence(null);
    const controller = new AbortController();
    void fetchTimeline(controller.signal);
    return () => controller.abort();
  }, [fetchTimeline]);

  useTopic(`timeline:${id}`, {
    onSubscribed(data) {
      const d = (data ?? {}) as { timeline?: unknown; presence?: unknown };
      acceptTimeline(d.timeline);
      if (typeof d.presence === 'number') setPresence(d.presence);
    },
    onEvent(event, data) {
      const d = (data ?? {}) as { timeline?: unknown; count?: unknown };
      if (event === 'presence') {
        if (typeof d.count === 'number') setPresence(d.count);
      } else if (event === 'stage_opened' || event === 'stage_closed') {
        if (asTimeline(d.timeline)) acceptTimeline(d.timeline);
        else void fetchTimeline();
      }
    },
  });

  const title = agenda.status === 'ok' ? textOf(agenda.data.title) : '';
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  if (agenda.status === 'loading') return <Loading />;
  if (agenda.status === 'error') {
    return (
      <Message title={agenda.httpStatus === 404 ? 'Мероприятие не найдено' : 'Не удалось загрузить мероприятие'}>
        <p role="alert">{agenda.message}</p>
        <p>
          <a href="/">На главную</a>
        </p>
      </Message>
    );
  }

  const a = agenda.data;
  const offset = a.utc_offset;
  const stages = mergeStages(a, timeline);

  return (
    <article class="event">
      <header class="event__head">
        {a.forum && <p class="event__forum">{textOf(a.forum)}</p>}
        <h1 class="event__title" data-testid="event-title">
          {title || id}
        </h1>
        {a.subtitle && <p class="event__subtitle">{textOf(a.subtitle)}</p>}
        <EventLinks id={id} agenda={a} stages={stages} hasTimeline={timeline !== null} />
        <p class="presence" aria-live="polite">
          Сейчас на странице: <strong data-testid="presence-count">{presence === null ? '—' : String(presence)}</strong>
        </p>
      </header>

      <NowPanel stages={stages} hasTimeline={timeline !== null} offset={offset} />
      <StaffWork id={id} agenda={a} stages={stages} />
      <Announcements id={id} offset={offset} />

      <section class="block" aria-labelledby="stages-title">
        <h2 id="stages-title">Этапы</h2>
        <TimeZoneNote timeZone={a.time_zone} offset={offset} />
        <ol class="stages">
          {stages.map((s) => (
            <StageCard key={s.id} stage={s} offset={offset} />
          ))}
        </ol>
      </section>

      <Timetable sessions={listOf<AgendaSession>(a.timetable)} milestones={listOf<Milestone>(a.milestones)} offset={offset} />
      <Sections id={id} sections={listOf<AgendaSection>(a.sections)} />
      <Organisers organisers={listOf<Organiser>(a.organisers)} />
      <Venues venues={listOf<Venue>(a.venues)} />
    </article>
  );
}

function NowPanel({ stages, hasTimeline, offset }: { stages: StageView[]; hasTimeline: boolean; offset?: string }) {
  const open = stages.filter((s) => s.state === 'open');
  const next = stages
    .filter((s) => s.state === 'upcoming' && parseInstant(s.opens) !== null)
    .sort((x, y) => parseInstant(x.opens)! - parseInstant(y.opens)!)[0];
  return (
    <section class="now" aria-live="polite" data-testid="open-stages" data-open={open.map((s) => s.id).join(' ')}>
      {!hasTimeline ? (
        <p>Уточняем, какой этап идёт сейчас…</p>
      ) : open.length > 0 ? (
        <>
          <p class="now__label">{open.length > 1 ? 'Сейчас идут этапы:' : 'Сейчас идёт этап:'}</p>
          <ul class="now__list">
            {open.map((s) => (
              <li key={s.id}>
                <strong>{s.title}</strong>
                {s.closes && <span class="now__until"> — {formatUntil(s.closes, offset)}</span>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="now__label">Сейчас ни один этап не идёт.</p>
      )}
      {hasTimeline && next && (
        <p class="now__next">
          Следующий этап: <strong>{next.title}</strong>, начало {formatDateTime(next.opens, offset)}
        </p>
      )}
    </section>
  );
}

// The zone's Russian name from the browser («Иркутск»), never its identifier (Asia/Irkutsk).
function zoneName(timeZone?: string): string {
  if (!timeZone) return '';
  try {
    const parts = new Intl.DateTimeFormat('ru-RU', { timeZone, timeZoneName: 'shortGeneric' }).formatToParts(new Date());
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    return /[А-Яа-яЁё]/.test(name) ? name : '';
  } catch {
    return '';
  }
}

function TimeZoneNote({ timeZone, offset }: { timeZone?: string; offset?: string }) {
  const details = [zoneName(timeZone), offset ? `UTC${offset}` : ''].filter(Boolean).join(', ');
  if (!details) return null;
  return <p class="muted" data-testid="time-zone-note">Время указано по часовому поясу мероприятия ({details}).</p>;
}

function StageCard({ stage, offset }: { stage: StageView; offset?: string }) {
  const state = stage.state;
  return (
    <li class={`stage${state ? ` stage--${state}` : ''}`} data-testid={`stage-${stage.id}`} data-state={state ?? 'unknown'}>
      <div class="stage__head">
        <h3 class="stage__title">{stage.title}</h3>
        {state && <span class={`badge badge--${state}`}>{kStateLabel[state]}</span>}
      </div>
      {(stage.opens || stage.closes) && (
        <p class="stage__dates">
          <time dateTime={isoOrUndefined(stage.opens)}>{formatRange(stage.opens, stage.closes, offset)}</time>
        </p>
      )}
      {stage.description && <p class="stage__description">{stage.description}</p>}
    </li>
  );
}

interface DayItem {
  key: string;
  at: string;
  title: string;
  range: string;
  moderator?: string;
  room?: string;
}

function Timetable({ sessions, milestones, offset }: { sessions: AgendaSession[]; milestones: Milestone[]; offset?: string }) {
  const items: DayItem[] = [];
  sessions.forEach((s, i) => {
    if (parseInstant(s.starts) === null) return;
    items.push({
      key: `s-${s.id ?? i}`,
      at: s.starts!,
      title: textOf(s.title) || textOf(s.id),
      range: s.ends ? `${formatTime(s.starts, offset)}–${formatTime(s.ends, offset)}` : formatTime(s.starts, offset),
      moderator: textOf(s.moderator) || undefined,
      room: typeof s.room_url === 'string' && /^https?:\/\//.test(s.room_url) ? s.room_url : undefined,
    });
  });
  milestones.forEach((m, i) => {
    if (parseInstant(m.at) === null) return;
    items.push({ key: `m-${m.id ?? i}`, at: m.at!, title: textOf(m.title) || textOf(m.id), range: formatTime(m.at, offset) });
  });
  if (items.length === 0) return null;
  items.sort((x, y) => parseInstant(x.at)! - parseInstant(y.at)!);

  const days: Array<{ day: string; items: DayItem[] }> = [];
  for (const item of items) {
    const day = formatDate(item.at, offset);
    const last = days[days.length - 1];
    if (last && last.day === day) last.items.push(item);
    else days.push({ day, items: [item] });
  }

  return (
    <section class="block" aria-labelledby="timetable-title" data-testid="timetable">
      <h2 id="timetable-title">Расписание</h2>
      {days.map((d) => (
        <div class="day" key={d.day}>
          <h3 class="day__title">{d.day}</h3>
          <ul class="day__items">
            {d.items.map((item) => (
              <li class="day__item" key={item.key}>
                <span class="day__time">{item.range}</span>
                <span class="day__what">
                  {item.title}
                  {item.moderator && <span class="day__note muted">Ведёт: {item.moderator}</span>}
                  {item.room && (
                    <>
                      {' '}
                      <a href={item.room} target="_blank" rel="noopener noreferrer">
                        Ссылка на трансляцию
                      </a>
                    </>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function Sections({ id, sections }: { id: string; sections: AgendaSection[] }) {
  if (sections.length === 0) return null;
  return (
    <section class="block" aria-labelledby="sections-title" data-testid="sections">
      <h2 id="sections-title">Секции</h2>
      <ol class="sections">
        {sections.map((s, i) => {
          const c = s.contact;
          return (
            <li class="section" key={s.number ?? i} data-testid={`section-${s.number ?? i + 1}`}>
              <h3 class="section__title">
                {typeof s.number === 'number' && <span class="section__number">Секция {s.number}. </span>}
                {textOf(s.title)}
              </h3>
              {s.description && <p>{textOf(s.description)}</p>}
              {typeof s.number === 'number' && (
                <p>
                  <a href={`${eventBase(id)}/sections/${s.number}`} data-testid={`section-page-link-${s.number}`}>
                    Страница секции
                  </a>
                </p>
              )}
              {typeof s.room_url === 'string' && /^https?:\/\//.test(s.room_url) && (
                <p class="section__room">
                  <a href={s.room_url} target="_blank" rel="noopener noreferrer">
                    Видеокомната секции
                  </a>
                </p>
              )}
              <ContactLine contact={c} label="Контакт" testId={`section-contact-${s.number ?? i + 1}`} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// Name, phone (a tel: link) and e-mail, each only when real: a placeholder is never shown.
function ContactLine({ contact, label, testId }: { contact?: Contact; label: string; testId: string }) {
  const name = contactValue(contact, 'name');
  const phone = contactValue(contact, 'phone');
  const email = contactValue(contact, 'email');
  if (!name && !phone && !email) return null;
  const parts = [
    name && <span key="name">{name}</span>,
    phone && (
      <a key="phone" href={telHref(phone)}>
        {phone}
      </a>
    ),
    email && (isEmail(email) ? <a key="email" href={`mailto:${email}`}>{email}</a> : <span key="email">{email}</span>),
  ].filter(Boolean);
  return (
    <p class="section__contact" data-testid={testId}>
      {label}:{' '}
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && ', '}
          {p}
        </Fragment>
      ))}
    </p>
  );
}

function Organisers({ organisers }: { organisers: Organiser[] }) {
  if (organisers.length === 0) return null;
  return (
    <section class="block" aria-labelledby="organisers-title" data-testid="organisers">
      <h2 id="organisers-title">Организаторы</h2>
      <ul class="sections">
        {organisers.map((o, i) => (
          <li class="section" key={o.id ?? i} data-testid={`organiser-${o.id ?? i}`}>
            <h3 class="section__title">{textOf(o.title)}</h3>
            {o.description && <p>{textOf(o.description)}</p>}
            <ContactLine contact={o.contact} label="Связаться" testId={`organiser-contact-${o.id ?? i}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Announcement {
  id: number;
  title?: string;
  text?: string;
  published_at?: string;
}

// Announcements of changed conditions (clause 3.2.1), newest first as the server lists them.
function Announcements({ id, offset }: { id: string; offset?: string }) {
  const list = useLoad(`announcements:${id}`, (signal) =>
    api.get<{ announcements?: Announcement[] }>(`/api/events/${encodeURIComponent(id)}/announcements`, { signal }),
  );
  if (list.status !== 'ok') return null;
  const items = listOf<Announcement>(list.data.announcements);
  if (items.length === 0) return null;
  return (
    <section class="block" aria-labelledby="announcements-title" data-testid="announcements">
      <h2 id="announcements-title">Объявления</h2>
      <ul class="announcements">
        {items.map((n) => (
          <li class="announcement" key={n.id} data-testid="announcement">
            <h3 class="announcement__title" data-testid="announcement-title">
              {textOf(n.title)}
            </h3>
            {n.published_at && (
              <p class="muted" data-testid="announcement-date">
                {formatDateTime(n.published_at, offset)}
              </p>
            )}
            <p class="announcement__text" data-testid="announcement-text">
              {textOf(n.text)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Venues({ venues }: { venues: Venue[] }) {
  const shown = venues.filter((v) => typeof v.url === 'string' && /^https?:\/\//.test(v.url));
  if (shown.length === 0) return null;
  return (
    <section class="block" aria-labelledby="venues-title">
      <h2 id="venues-title">Площадки</h2>
      <ul class="venues">
        {shown.map((v, i) => (
          <li key={v.id ?? i}>
            <a href={v.url} target="_blank" rel="noopener noreferrer">
              {textOf(v.title) || v.url}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function stageById(stages: StageView[], id: string): StageView | undefined {
  return stages.find((s) => s.id === id);
}

// The participant's pages for the stage open now; an anonymous visitor during the intake is asked
// to apply.
function EventLinks({ id, agenda, stages, hasTimeline }: { id: string; agenda: Agenda; stages: StageView[]; hasTimeline: boolean }) {
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
    links.push({ href: `${base}/flashmob`, title: 'Флешмоб', testId: 'flashmob-link' });
    if (me) links.push({ href: `${base}/flashmob/mine`, title: 'Мои работы для флешмоба', testId: 'flashmob-mine-link' });
  }
  if (agenda.gallery !== undefined && me) links.push({ href: `${base}/gallery`, title: 'Галерея практик', testId: 'gallery-link' });
  if (agenda.section_day !== undefined && after(kStageOf.sections)) {
    links.push({ href: `${base}/results`, title: 'Итоги конференции', testId: 'results-link' });
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
    links.push({ href: `${base}/intake`, title: 'Заявки и практики', testId: 'intake-admin-link' });
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
function StaffWork({ id, agenda, stages }: { id: string; agenda: Agenda; stages: StageView[] }) {
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
      links: [{ href: `${eventBase(id)}/review`, title: 'Экспертиза практик', testId: 'review-link' }],
      note: stageNote(stageById(stages, kStageOf.review), agenda.utc_offset),
    });
  }
  if (roles.moderator) {
    items.push({
      role: 'moderator',
      links: consoleLinks(id, roles, agenda),
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
