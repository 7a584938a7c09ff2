// The organiser's view of the intake: participants (registration forms) and practices with
// filters by section, type and state, and the CSV files of both for a spreadsheet.
import { useEffect, useState } from 'preact/hooks';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { useAuth } from '../lib/auth';
import { kPaymentStateForOrganiser, kStateTitle, typeTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { isOrganiser } from '../lib/roles';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { TableDownloads } from '../components/common/TableDownloads';
import { LoadError, Loading, LoginNeeded, Message } from '../components/common/Message';

export function IntakeAdminPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  useEffect(() => {
    document.title = 'Приём заявок — организатору';
  }, []);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="открыть приём заявок" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const organiser = isOrganiser(auth.me, id);
  if (!organiser) {
    return (
      <Message title="Нет доступа">
        <p data-testid="not-organiser">Эта страница — для организаторов мероприятия.</p>
      </Message>
    );
  }
  return <IntakeAdmin ctx={ctx.data} />;
}

function IntakeAdmin({ ctx }: { ctx: EventContext }) {
  const [section, setSection] = useState('');
  const [type, setType] = useState('');
  const [state, setState] = useState('');
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  const filter = { section, type, state };
  const practiceList = useLoad(`intake-practices:${ctx.id}:${section}:${type}:${state}`, (signal) => intake.adminPractices(ctx.id, filter, signal));
  const participantList = useLoad(`intake-participants:${ctx.id}`, (signal) => intake.participants(ctx.id, signal));
  const practices = practiceList.status === 'ok' ? practiceList.data : null;
  const participants = participantList.status === 'ok' ? participantList.data : null;
  const error = practiceList.status === 'error' ? practiceList.message : participantList.status === 'error' ? participantList.message : '';

  const sections = (ctx.agenda.sections ?? []).filter((s) => typeof s.number === 'number');
  const types = ctx.agenda.practice?.types ?? [];
  const words = wordsOf(ctx.agenda);

  return (
    <article class="intake intake--wide" data-testid="intake-admin">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Приём заявок' },
        ]}
      />
      <h1>Приём заявок</h1>
      {error && (
        <p class="form__error" role="alert">
          {error}
        </p>
      )}

      <section class="card" aria-labelledby="admin-practices">
        <h2 id="admin-practices">{words.Many}</h2>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="field">
            <span class="field__label">Секция</span>
            <select data-testid="filter-section" value={section} onChange={(e) => setSection(e.currentTarget.value)}>
              <option value="">все</option>
              {sections.map((s) => (
                <option key={s.number} value={String(s.number)}>
                  {s.number}. {textOf(s.title)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field__label">Вид</span>
            <select data-testid="filter-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
              <option value="">все</option>
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {textOf(t.title) || t.id}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field__label">Состояние</span>
            <select data-testid="filter-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
              <option value="">все</option>
              <option value="draft">черновики</option>
              <option value="submitted">отправленные</option>
            </select>
          </label>
        </form>
        <p>
          {ctx.agenda.fees && (
            <>
              <a href={`${base}/payments`} data-testid="payments-link">
                Проверка оплаты
              </a>{' '}
            </>
          )}
          <TableDownloads name="practices" url={(format) => intake.adminPracticesTable(ctx.id, filter, format)} />
        </p>
        {practices === null ? (
          <Loading />
        ) : practices.length === 0 ? (
          <p class="muted">{words.Many} ещё не поступали.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`Таблица: ${words.many}`}>
            <table class="table" data-testid="admin-practices-table">
              <thead>
                <tr>
                  <th scope="col">№</th>
                  <th scope="col">Название</th>
                  <th scope="col">Секция</th>
                  <th scope="col">Вид</th>
                  <th scope="col">Состояние</th>
                  <th scope="col">Оплата</th>
                  <th scope="col">Автор</th>
                  <th scope="col">Соавторы</th>
                  <th scope="col">{words.agree({ f: 'Отправлена', m: 'Отправлен', n: 'Отправлено' })}</th>
                </tr>
              </thead>
              <tbody>
                {practices.map((p) => (
                  <tr key={p.id} data-testid={`admin-practice-${p.id}`}>
                    <td>{p.id}</td>
                    <td>
                      {/* A submitted practice opens in the organiser's reading view; a draft is its author's still. */}
                      {p.state === 'submitted' ? (
                        <a href={`${base}/review/${p.id}`}>{textOf(p.title) || textOf(p.answers?.name) || 'Без названия'}</a>
                      ) : (
                        textOf(p.title) || textOf(p.answers?.name) || 'Без названия'
                      )}
                    </td>
                    <td>{p.section}</td>
                    <td>{typeTitle(ctx, p.type)}</td>
                    <td>{kStateTitle[p.state ?? ''] ?? p.state}</td>
                    <td>{kPaymentStateForOrganiser[p.payment?.state ?? ''] ?? '—'}</td>
                    <td>
                      {p.owner?.full_name}
                      {p.owner?.email && <span class="muted"> {p.owner.email}</span>}
                    </td>
                    <td>{(p.co_authors ?? []).map((c) => c.email).join(', ')}</td>
                    <td>{p.submitted_at ? formatDateTime(p.submitted_at, ctx.offset) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="admin-participants">
        <h2 id="admin-participants">Участники</h2>
        <p>
          <TableDownloads name="participants" url={(format) => intake.participantsTable(ctx.id, format)} />
        </p>
        {participants === null ? (
          <Loading />
        ) : participants.length === 0 ? (
          <p class="muted">Заявок нет.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Таблица участников">
            <table class="table" data-testid="admin-participants-table">
              <thead>
                <tr>
                  <th scope="col">ФИО</th>
                  <th scope="col">E-mail</th>
                  {(ctx.agenda.registration_form?.fields ?? [])
                    .filter((f) => f.type !== 'consent')
                    .map((f) => (
                      <th scope="col" key={f.id}>
                        {textOf(f.label) || f.id}
                      </th>
                    ))}
                  <th scope="col">{words.Many} (автор / соавтор)</th>
                </tr>
              </thead>
              <tbody>
                {participants.map((r) => (
                  <tr key={String(r.user.id)}>
                    <td>{r.user.full_name}</td>
                    <td>{r.user.email}</td>
                    {(ctx.agenda.registration_form?.fields ?? [])
                      .filter((f) => f.type !== 'consent')
                      .map((f) => (
                        <td key={f.id}>{textOf(r.answers?.[f.id])}</td>
                      ))}
                    <td>
                      {r.practices_owned ?? 0} / {r.practices_co_authored ?? 0}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
