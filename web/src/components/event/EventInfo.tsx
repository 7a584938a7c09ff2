// The standing information of the event's page: the timetable by day, the sections with their
// contacts and rooms, the organisers and the venues.
import { Fragment } from 'preact';
import { contactValue, isEmail, telHref } from '../../lib/contacts';
import { eventBase } from '../../lib/roles';
import { formatDate, formatTime, parseInstant } from '../../lib/time';
import { textOf, type AgendaSection, type AgendaSession, type Contact, type Milestone, type Organiser, type Venue } from '../../lib/types';

interface DayItem {
  key: string;
  at: string;
  title: string;
  range: string;
  moderator?: string;
  room?: string;
}

export function Timetable({ sessions, milestones, offset }: { sessions: AgendaSession[]; milestones: Milestone[]; offset?: string }) {
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

export function Sections({ id, sections }: { id: string; sections: AgendaSection[] }) {
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

export function Organisers({ organisers }: { organisers: Organiser[] }) {
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

export function Venues({ venues }: { venues: Venue[] }) {
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
