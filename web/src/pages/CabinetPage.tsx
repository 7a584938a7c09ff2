// «Мои практики» («Мои заявки» for the contest): the participant's cabinet — the registration
// form's state, the practices they own or co-author with state, section, what is still missing,
// payment, the decision (from the instant the server shows it) and their files, the fee, a small
// form that starts a new practice, and the way to the gallery. Words, sections, types, fees and
// decisions come from the agenda.
import { useEffect } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import { flashmobWords } from '../lib/flashmobWords';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import {
  capitalise,
  chargesFees,
  contractReady,
  kContractNotReady,
  registrationNoun,
  rub,
  useEventContext,
  wordsOf,
  type EventContext,
} from '../lib/intake';
import { formatDateTime } from '../lib/time';
import { textOf } from '../lib/types';
import { CertificatesBlock } from '../components/Certificates';
import { PersonalData, withdrawnNotice } from '../components/privacy/PersonalData';
import { MySectionSlots } from '../components/MySectionSlots';
import { MyCalendar } from '../components/calendar/Calendars';
import { NewPractice } from '../components/intake/NewPractice';
import { PracticeRow } from '../components/intake/PracticeRow';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { IntakeNotice } from '../components/IntakeNotice';
import { LoadError, Loading, LoginNeeded, Message } from '../components/common/Message';

export function CabinetPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const words = ctx.status === 'ok' ? wordsOf(ctx.data.agenda) : null;
  useEffect(() => {
    if (words) document.title = `Мои ${words.many}`;
  }, [words?.many]);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) {
    const withdrawn = withdrawnNotice();
    if (withdrawn !== null)
      return (
        <Message title="Согласие отозвано">
          <p data-testid="withdrawn-notice">{withdrawn}</p>
        </Message>
      );
    return <LoginNeeded what={`подать ${words?.accusative ?? 'практику'}`} />;
  }
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Cabinet ctx={ctx.data} />;
}

function Cabinet({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`cabinet:${ctx.id}`, (signal) => Promise.all([intake.cabinet(ctx.id, signal), intake.registration(ctx.id, signal)]));
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const words = wordsOf(ctx.agenda);
  const regTitle = textOf(ctx.agenda.registration_form?.title) || 'Регистрационная заявка';
  const noun = registrationNoun(ctx.agenda);

  if (loaded.status === 'error') return <LoadError title={`Не удалось загрузить ваши ${words.many}`} message={loaded.message} />;
  if (loaded.status === 'loading') return <Loading />;
  const [mine, registration] = loaded.data;

  const practices = mine.practices ?? [];
  const editable = mine.editable !== false;
  const fee = mine.fee ?? {};
  return (
    <article class="intake" data-testid="cabinet">
      <Breadcrumbs items={[{ href: base, title: textOf(ctx.agenda.title) || ctx.id }, { title: `Мои ${words.many}` }]} />
      <h1>Мои {words.many}</h1>
      <IntakeNotice ctx={ctx} editable={editable} />

      <section class="card" aria-labelledby="reg-title">
        <h2 id="reg-title">{regTitle}</h2>
        <p data-testid="cabinet-registration" data-complete={registration?.complete ? 'yes' : 'no'}>
          {registration === null
            ? `Не ${noun.filled}. ${noun.without} ${words.accusative} нельзя отправить ${words.toReview}.`
            : registration.complete
              ? `${capitalise(noun.filled)}${registration.updated_at ? ` (${formatDateTime(registration.updated_at, ctx.offset)})` : ''}.`
              : `${capitalise(noun.filled)} не полностью.`}
        </p>
        <a class="button button--secondary" href={`${base}/registration`} data-testid="registration-link">
          {!editable ? 'Посмотреть' : registration === null ? 'Заполнить' : 'Изменить'} {noun.acc}
        </a>
      </section>

      <section class="card" aria-labelledby="practices-title">
        <h2 id="practices-title">{words.Many}</h2>
        {practices.length === 0 ? (
          <p class="muted" data-testid="no-practices">
            Пока нет ни {words.agree({ f: 'одной', m: 'одного', n: 'одного' })} {words.genitive}.
          </p>
        ) : (
          <ul class="practice-list" data-testid="practice-list">
            {practices.map((p) => (
              <PracticeRow key={p.id} ctx={ctx} practice={p} />
            ))}
          </ul>
        )}
        {chargesFees(ctx.agenda) && (fee.practices ?? 0) > 0 && (
          <p class="fee" data-testid="fee-summary">
            Организационный взнос: {fee.practices} × {rub(fee.per_practice)} = <strong>{rub(fee.total)}</strong>
          </p>
        )}
        {chargesFees(ctx.agenda) && (fee.practices ?? 0) > 0 && !contractReady(ctx.agenda) && (
          <p class="callout" data-testid="contract-not-ready">
            {kContractNotReady}
          </p>
        )}
        {editable && <NewPractice ctx={ctx} />}
      </section>

      <MySectionSlots id={ctx.id} offset={ctx.offset} agenda={ctx.agenda} />
      <MyCalendar id={ctx.id} />

      {mine.gallery?.readable && (ctx.agenda.stages ?? []).some((s) => s.id === 'gallery') && (
        <section class="card" aria-labelledby="gallery-title">
          <h2 id="gallery-title">Галерея практик</h2>
          <p>
            Практики, допущенные экспертами, можно смотреть и обсуждать:{' '}
            <a href={`${base}/gallery`} data-testid="cabinet-gallery-link">
              открыть галерею
            </a>
            .
          </p>
        </section>
      )}

      {ctx.agenda.files?.flashmob && (
        <section class="card" aria-labelledby="flashmob-title">
          <h2 id="flashmob-title">{flashmobWords(ctx.agenda).title}</h2>
          <p>
            {textOf(ctx.agenda.files.flashmob.title) || 'Работы к показу'}:{' '}
            <a href={`${base}/flashmob/mine`} data-testid="cabinet-flashmob-link">
              отправить работу и следить за ней
            </a>
            .
          </p>
        </section>
      )}
      <CertificatesBlock eventId={ctx.id} />
      <PersonalData eventId={ctx.id} agenda={ctx.agenda} />

      {(ctx.agenda.files?.document || ctx.agenda.files?.flashmob) && (
      <section class="card" aria-labelledby="check-title">
        <h2 id="check-title">Проверка файлов</h2>
        <p>
          Проверьте до отправки{' '}
          {[ctx.agenda.files?.document?.title, ctx.agenda.files?.flashmob?.title]
            .map((t) => textOf(t).toLowerCase())
            .filter(Boolean)
            .map((t) => `«${t}»`)
            .join(' и ')}
          :{' '}
          <a href={`${base}/check`} data-testid="check-link">
            проверить файл
          </a>
          .
        </p>
      </section>
      )}
    </article>
  );
}
