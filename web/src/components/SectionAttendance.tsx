// Who was on a section's page and for how many minutes (within the section day's window), for the
// organiser: the table and its CSV.
import * as sections from '../lib/endpoints/sections';
import { useLoad } from '../lib/hooks';
import { type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { Loading } from './common/Message';

export function SectionAttendance({ ctx, n }: { ctx: EventContext; n: number }) {
  const attendance = useLoad(`attendance:${ctx.id}:${n}`, (signal) => sections.attendance(ctx.id, n, signal));
  const rows = attendance.status === 'ok' ? attendance.data : null;
  const error = attendance.status === 'error' ? attendance.message : '';
  const load = () => attendance.reload();
  return (
    <section class="card" aria-labelledby="attendance-title">
      <h2 id="attendance-title">Посещаемость</h2>
      <p class="muted">
        Кто был на странице секции и сколько минут — в пределах времени работы секций, для сертификатов.
      </p>
      <p class="queue__controls">
        <a href={sections.attendanceTable(ctx.id, n)} download data-testid="attendance-csv">
          Скачать CSV
        </a>
        <button type="button" class="button button--quiet button--small" onClick={() => void load()}>
          Обновить
        </button>
      </p>
      {error && <p class="form__error">{error}</p>}
      {rows === null ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p class="muted" data-testid="attendance-empty">
          Пока никого.
        </p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Посещаемость секции">
          <table class="table" data-testid="attendance-table">
            <thead>
              <tr>
                <th scope="col">ФИО</th>
                <th scope="col">E-mail</th>
                <th scope="col">Вошёл</th>
                <th scope="col">Минут</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.user.id}>
                  <td>{r.user.full_name}</td>
                  <td>{r.user.email}</td>
                  <td>{formatDateTime(r.first_joined, ctx.offset)}</td>
                  <td>{r.minutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
