// The organiser's «Люди и роли»: who holds which role in the event (experts and moderators per
// section, organisers), granting a role by e-mail and withdrawing it. A change reaches the
// person's open pages at once (the server closes their sockets and they reconnect with the new rights).
// A role given to an e-mail without an account waits for the person: the server sends an
// invitation letter, and the page lists them as «приглашён, ещё не вошёл» until they sign up.
import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as accounts from '../lib/endpoints/accounts';
import type { Assignment, Invitation } from '../lib/endpoints/accounts';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { listOf, textOf, type AgendaSection } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';

// The roles an organiser hands out here, in the order the page offers them; a participant's role
// comes with the registration, not from this page.
const kRoles: ReadonlyArray<{ id: string; title: string; perSection: boolean }> = [
  { id: 'expert', title: 'Эксперт', perSection: true },
  { id: 'moderator', title: 'Модератор секции', perSection: true },
  { id: 'organiser', title: 'Организатор', perSection: false },
];
const kRoleTitle: Record<string, string> = { expert: 'эксперт', moderator: 'модератор', organiser: 'организатор' };

export function PeoplePage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Люди и роли" loginWhat="назначать экспертов и модераторов">
      {(ctx) => <People ctx={ctx} />}
    </OrganiserOnly>
  );
}

function sectionWords(sections: AgendaSection[], n: number | null | undefined): string {
  if (n === null || n === undefined) return 'все секции';
  const title = textOf(sections.find((s) => s.number === n)?.title);
  return title ? `секция ${n} «${title}»` : `секция ${n}`;
}

function People({ ctx }: { ctx: EventContext }) {
  const sections = listOf<AgendaSection>(ctx.agenda.sections).filter((s) => typeof s.number === 'number');
  const roles = useLoad(`roles:${ctx.id}`, (signal) => accounts.roles(ctx.id, signal));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('expert');
  const [section, setSection] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const list = roles.status === 'ok' ? roles.data.roles.filter((a) => a.role !== 'participant') : null;
  const invited = roles.status === 'ok' ? (roles.data.invitations ?? []) : [];
  const loadError = roles.status === 'error' ? roles.message : '';
  const load = () => roles.reload();

  const perSection = kRoles.find((r) => r.id === role)?.perSection ?? false;

  const grant = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    const address = email.trim();
    if (!address) {
      setError('Укажите адрес электронной почты.');
      return;
    }
    setBusy(true);
    try {
      const r = await accounts.grantRole(ctx.id, perSection && section ? { email: address, role, section: Number(section) } : { email: address, role });
      const what = `${kRoleTitle[role]}${perSection ? `, ${sectionWords(sections, section ? Number(section) : null)}` : ''}`;
      setDone(
        r.invitation
          ? `${address} ещё не зарегистрирован на сайте: роль (${what}) будет ждать его, приглашение отправлено письмом. Роль появится, как только он зарегистрируется или войдёт с этим адресом.`
          : `Роль назначена: ${address} — ${what}.`,
      );
      setEmail('');
      load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async (a: Assignment) => {
    setError('');
    setDone('');
    try {
      await accounts.withdrawRole(ctx.id, a);
      setDone(`Роль снята: ${a.user.email} — ${kRoleTitle[a.role] ?? a.role}.`);
      load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const withdrawInvitation = async (i: Invitation) => {
    setError('');
    setDone('');
    try {
      await accounts.withdrawInvitation(ctx.id, i);
      setDone(`Приглашение отозвано: ${i.email} — ${kRoleTitle[i.role] ?? i.role}.`);
      load();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const title = textOf(ctx.agenda.title) || ctx.id;
  const empty = list !== null && list.length === 0 && invited.length === 0;
  return (
    <article class="intake" data-testid="people">
      <Breadcrumbs
        items={[{ href: eventBase(ctx.id), title }, { href: `${eventBase(ctx.id)}/desk`, title: 'Кабинет организатора' }, { title: 'Люди и роли' }]}
      />
      <h1>Люди и роли</h1>
      <form class="card form" onSubmit={grant} data-testid="grant-form">
        <h2>Назначить роль</h2>
        <label class="field">
          <span class="field__label">Электронная почта</span>
          <input type="email" autocomplete="off" value={email} data-testid="grant-email" onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field__label">Роль</span>
          <select value={role} data-testid="grant-role" onChange={(e) => setRole(e.currentTarget.value)}>
            {kRoles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </label>
        {perSection && sections.length > 0 && (
          <label class="field">
            <span class="field__label">Секция</span>
            <select value={section} data-testid="grant-section" onChange={(e) => setSection(e.currentTarget.value)}>
              <option value="">все секции</option>
              {sections.map((s) => (
                <option key={s.number} value={String(s.number)}>
                  {sectionWords(sections, s.number)}
                </option>
              ))}
            </select>
          </label>
        )}
        {error && (
          <p class="form__error" role="alert" data-testid="grant-error">
            {error}
          </p>
        )}
        {done && (
          <p class="callout callout--ok" role="status" data-testid="grant-done">
            {done}
          </p>
        )}
        <button class="button" type="submit" disabled={busy} data-testid="grant-submit">
          Назначить
        </button>
      </form>
      <section class="card">
        <h2>Кто за что отвечает</h2>
        {loadError && (
          <p class="form__error" role="alert">
            {loadError}
          </p>
        )}
        {!list && !loadError && <Loading />}
        {empty && <p class="muted">Пока никому не назначены роли.</p>}
        {list && !empty && (
          <table class="table" data-testid="roles-table">
            <thead>
              <tr>
                <th>Человек</th>
                <th>Роль</th>
                <th>Секция</th>
                <th>
                  <span class="visually-hidden">Действия</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={`${a.user.id}-${a.role}-${a.section ?? ''}`} data-testid="role-row">
                  <td>
                    {a.user.full_name || a.user.email}
                    <br />
                    <span class="muted">{a.user.email}</span>
                  </td>
                  <td>{kRoleTitle[a.role] ?? a.role}</td>
                  <td>{a.role === 'organiser' ? '—' : sectionWords(sections, a.section)}</td>
                  <td>
                    <button class="button button--secondary" type="button" onClick={() => void withdraw(a)} data-testid="withdraw">
                      Снять роль
                    </button>
                  </td>
                </tr>
              ))}
              {invited.map((i) => (
                <tr key={`invited-${i.email}-${i.role}-${i.section ?? ''}`} data-testid="invitation-row">
                  <td>
                    {i.email}
                    <br />
                    <span class="muted" data-testid="invitation-state">
                      приглашён, ещё не вошёл
                    </span>
                  </td>
                  <td>{kRoleTitle[i.role] ?? 'роль'}</td>
                  <td>{i.role === 'organiser' ? '—' : sectionWords(sections, i.section)}</td>
                  <td>
                    <button class="button button--secondary" type="button" onClick={() => void withdrawInvitation(i)} data-testid="withdraw-invitation">
                      Отозвать приглашение
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
