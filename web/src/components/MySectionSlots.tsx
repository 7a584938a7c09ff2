// The cabinet's block for a presenter on the section day: for each of the caller's practices admitted
// to present, its section, time and place in the running order, the section's page and video room,
// the latest notices, and what a presenter needs at home (the agenda's presenter requirements)
// with the way to the pre-flight check. It follows author:{event}:{user}, so a schedule published or changed
// while the cabinet is open shows at once. Renders nothing for someone who does not present.
import { useAuth } from '../lib/auth';
import * as sections from '../lib/endpoints/sections';
import { useLoad, useTopic } from '../lib/hooks';
import { formatDateTime, formatTime } from '../lib/time';
import { presenterRequirements } from '../lib/preflight';
import { formatMinutes, webLink, type MySlots } from '../lib/sections';
import type { Agenda } from '../lib/types';
import { RequirementsList } from './PreflightCheck';

const kNoticesShown = 3;

export function MySectionSlots({ id, offset, agenda }: { id: string; offset?: string; agenda?: Agenda }) {
  const { me } = useAuth();
  const mine = useLoad(`my-slots:${id}`, (signal) => sections.mySlots(id, signal));
  const data = mine.status === 'ok' ? mine.data : null;
  const error = mine.status === 'error' ? mine.message : '';
  // The subscribe reply is the same as GET …/sections/mine; a notice means the slots changed.
  useTopic(me ? `author:${id}:${me.user.id}` : null, {
    onSubscribed: (d) => {
      const v = d as Partial<MySlots>;
      if (Array.isArray(v.slots) && Array.isArray(v.notices)) mine.set(v as MySlots);
    },
    onEvent: (event) => {
      if (event === 'notice') mine.reload();
    },
  });

  if (error) {
    return (
      <section class="card" aria-labelledby="my-slots-title">
        <h2 id="my-slots-title">Выступление на секции</h2>
        <p class="form__error">{error}</p>
      </section>
    );
  }
  if (!data || data.slots.length === 0) return null;
  const base = `/events/${encodeURIComponent(id)}`;
  return (
    <section class="card" aria-labelledby="my-slots-title" data-testid="my-slots">
      <h2 id="my-slots-title">Выступление на секции</h2>
      <ul class="practice-list">
        {data.slots.map((s) => {
          const room = webLink(s.room_url);
          return (
            <li class="practice-item" key={s.practice} data-testid={`my-slot-${s.practice}`} data-position={s.slot?.position ?? ''}>
              <p class="practice-item__title">
                {s.slot?.info?.title || `№ ${s.practice}`}
              </p>
              <p class="practice-item__meta">
                Секция {s.section} «{s.section_title}»
              </p>
              {s.slot ? (
                <p class="practice-item__meta" data-testid="my-slot-time">
                  Вы выступаете <strong>{s.slot.position}-м</strong>
                  {s.slot.starts_at && (
                    <>
                      , <strong>{formatDateTime(s.slot.starts_at, offset)}–{formatTime(s.slot.ends_at, offset)}</strong>
                    </>
                  )}{' '}
                  ({formatMinutes(s.slot.seconds)}).
                </p>
              ) : (
                <p class="practice-item__meta muted" data-testid="my-slot-time">
                  Порядок выступлений секции ещё не опубликован: время появится здесь.
                </p>
              )}
              <p class="practice-item__meta">
                <a href={`${base}/sections/${s.section}`} data-testid="my-slot-section">
                  Страница секции
                </a>
                {room && (
                  <>
                    {' · '}
                    <a href={room} target="_blank" rel="noopener noreferrer" data-testid="my-slot-room">
                      Видеокомната
                    </a>
                  </>
                )}
              </p>
            </li>
          );
        })}
      </ul>
      <Requirements id={id} agenda={agenda} />
      {data.notices.length > 0 && (
        <>
          <h3>Уведомления</h3>
          <ul data-testid="my-slot-notices">
            {data.notices.slice(0, kNoticesShown).map((n) => (
              <li key={n.id}>
                <span class="muted">{formatDateTime(n.created_at, offset)}:</span> {n.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// Nothing when the agenda lists no requirements.
function Requirements({ id, agenda }: { id: string; agenda?: Agenda }) {
  const requirements = presenterRequirements(agenda);
  if (!requirements) return null;
  return (
    <div class="callout" data-testid="my-slot-requirements">
      <RequirementsList requirements={requirements} />
      <p>
        <a class="button button--secondary" href={`/events/${encodeURIComponent(id)}/preflight`} data-testid="preflight-link">
          Проверить камеру, микрофон и скорость интернета
        </a>
      </p>
    </div>
  );
}
