// The practice editor (the contest's application): the fields of the agenda's practice form, saved
// as you type (a PATCH of the changed top-level fields with the revision they were based on), the
// section and type where the agenda has them, co-authors by e-mail where each author registers,
// the files the agenda's purposes ask for (under their item when they answer one), submission for
// review with the server's list of what is missing, and the document check. Words (practice or
// application), fees and decisions come from the agenda. After the intake closes, or for a
// co-author, everything is read-only.
import { useEffect, useState } from 'preact/hooks';
import { fieldErrorsOf, messageOf, type FieldError } from '../lib/api';
import * as intake from '../lib/endpoints/intake';
import { useLoad } from '../lib/hooks';
import { useAuth } from '../lib/auth';
import { errorMap } from '../lib/forms';
import { capitalise, chargesFees, outcomeTitle, rub, kStateTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { navigate } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { textOf, type Practice } from '../lib/types';
import { FormFields } from '../components/FormFields';
import {
  FieldAttachments,
  PracticeDocument,
  PracticeMaterials,
  PracticeOtherFiles,
  PracticePayment,
  PracticePhotos,
} from '../components/PracticeFiles';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { ErrorSummary } from '../components/common/ErrorSummary';
import { IntakeNotice } from '../components/IntakeNotice';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';
import { CoAuthors } from '../components/practice/CoAuthors';
import { SectionAndType } from '../components/practice/SectionAndType';
import { SubmitCard } from '../components/practice/SubmitCard';
import { SaveIndicator } from '../components/practice/SaveIndicator';
import { useAutosave } from '../components/practice/useAutosave';


export function PracticePage({ id, n }: { id: string; n: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  // Asked only once someone is signed in: a stranger is asked to log in instead.
  const signedIn = auth.me ? String(auth.me.user.id) : '';
  const loaded = useLoad(`practice:${id}:${n}:${signedIn}`, (signal) => (signedIn ? intake.practice(id, n, signal) : Promise.resolve(null)));

  const one = ctx.status === 'ok' ? wordsOf(ctx.data.agenda).One : '';
  useEffect(() => {
    if (one) document.title = one;
  }, [one]);

  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  const words = wordsOf(ctx.data.agenda);
  if (auth.me === null) return <LoginNeeded what={`открыть ${words.accusative}`} />;
  if (loaded.status === 'error')
    return (
      <LoadError title={loaded.httpStatus === 404 ? `${words.One} не ${words.agree({ f: 'найдена', m: 'найден', n: 'найдено' })}` : `Не удалось загрузить ${words.accusative}`} message={loaded.message} />
    );
  if (loaded.status === 'loading' || !loaded.data) return <Loading />;
  return <PracticeEditor ctx={ctx.data} initial={loaded.data} userId={auth.me.user.id} email={auth.me.user.email} />;
}

function PracticeEditor({ ctx, initial, userId, email }: { ctx: EventContext; initial: Practice; userId: number | string; email: string }) {
  const fields = ctx.agenda.practice?.fields ?? [];
  const words = wordsOf(ctx.agenda);
  const base = `/events/${encodeURIComponent(ctx.id)}`;

  const { practice, setPractice, answers, section, type, coAuthors, save, saveErrors, revision, stale, lastSaveErrors, flush, onAnswer, setCo, changeSection, changeType } =
    useAutosave(ctx, initial);
  const [submitErrors, setSubmitErrors] = useState<FieldError[]>([]);
  const [submitMessage, setSubmitMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const readOnly = !practice.editable;
  // The owner's files follow their purposes' own windows (clause 5.5 takes materials a day after
  // the form closes), not the form's.
  const isOwner = String(practice.owner?.id) === String(userId);

  // Files and payment change outside the form (uploads, the organiser): only they are refreshed.
  const reloadFiles = async () => {
    try {
      const p = await intake.practice(ctx.id, initial.id);
      setPractice((prev) => ({ ...prev, files: p.files, payment: p.payment, missing: p.missing }));
    } catch {
      // The next load shows them.
    }
  };

  const onSubmit = async () => {
    setBusy(true);
    setSubmitMessage('');
    setSubmitErrors([]);
    try {
      if (!(await flush())) {
        setSubmitErrors(stale.current ? [] : lastSaveErrors.current);
        setSubmitMessage(
          stale.current ? `${capitalise(words.accusative)} изменили в другом окне: загрузите текущую версию.` : 'Изменения не сохранены — исправьте ошибки в полях.',
        );
        return;
      }
      const p = await intake.submitPractice(ctx.id, initial.id);
      revision.current = p.revision;
      setPractice(p);
      setSubmitMessage(`${words.One} ${words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })} ${words.toReview}.`);
    } catch (e) {
      setSubmitErrors(fieldErrorsOf(e));
      setSubmitMessage(messageOf(e));
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="submit-errors"]')?.focus());
    } finally {
      setBusy(false);
    }
  };

  const onDelete = async () => {
    if (!window.confirm(`Удалить эту ${words.accusative}? Это нельзя отменить.`)) return;
    try {
      await intake.deletePractice(ctx.id, initial.id);
      navigate(`${base}/cabinet`);
    } catch (e) {
      setSubmitMessage(messageOf(e));
    }
  };

  const state = practice.state ?? 'draft';
  const missing = fieldErrorsOf(practice.missing);
  // Files a submission needs and the practice does not have yet (the server refuses without them).
  const missingFiles = Object.entries(ctx.agenda.files ?? {})
    .filter(([id, spec]) => spec.required_at_submission && !(practice.files ?? []).some((f) => f.purpose === id && f.state === 'complete'))
    .map(([id, spec]) => ({ id, title: textOf(spec.title) || id }));
  const perAuthor = ctx.agenda.registration_form?.per !== 'applicant';
  const shownErrors = errorMap([...submitErrors, ...saveErrors]);
  const title = textOf(answers.name) || textOf(practice.title) || `${words.One} № ${practice.id}`;
  // Not editable while the intake is open: a co-author reads it (only the owner may edit); anyone
  // else who may open it (the organiser) is told plainly that it is someone else's.
  const readOnlyWhileOpen = !practice.editable && ctx.intake?.state === 'open';
  const isCoAuthor = (practice.co_authors ?? []).some((c) => c.email.toLowerCase() === email.toLowerCase());
  const coAuthorView = readOnlyWhileOpen && isCoAuthor;
  const othersView = readOnlyWhileOpen && !isCoAuthor && String(practice.owner?.id) !== String(userId);

  return (
    <article class="intake practice" data-testid="practice-editor" data-readonly={readOnly ? 'yes' : 'no'}>
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/cabinet`, title: `Мои ${words.many}` },
          { title: `${words.One} № ${practice.id}` },
        ]}
      />
      <h1 data-testid="practice-title">{title}</h1>
      <p class="practice__state">
        Состояние:{' '}
        <span class={`badge badge--${state === 'submitted' ? 'open' : 'upcoming'}`} data-testid="practice-state" data-state={state}>
          {kStateTitle[state] ?? state}
        </span>
        {practice.submitted_at && state === 'submitted' && <span class="muted"> ({formatDateTime(practice.submitted_at, ctx.offset)})</span>}
        {chargesFees(ctx.agenda) && typeof practice.fee === 'number' && <span class="muted"> · взнос {rub(practice.fee)}</span>}
      </p>
      {practice.outcome?.outcome && (
        <p class="callout callout--ok" data-testid="practice-outcome" data-outcome={practice.outcome.outcome}>
          {words.decision}: <strong>{outcomeTitle(ctx.agenda, practice.outcome.outcome)}</strong>
          {practice.outcome.reason ? `. ${practice.outcome.reason}` : ''}
        </p>
      )}
      <IntakeNotice ctx={ctx} />
      {coAuthorView && (
        <p class="callout" data-testid="coauthor-note">
          Вы соавтор {words.agree({ f: 'этой', m: 'этого', n: 'этого' })} {words.genitive}. Изменять {words.agree({ f: 'её', m: 'его', n: 'его' })} может только автор{practice.owner?.full_name ? ` — ${practice.owner.full_name}` : ''}.
        </p>
      )}
      {othersView && (
        <p class="callout" data-testid="others-note">
          Вы читаете {words.agree({ f: 'чужую', m: 'чужой', n: 'чужое' })} {words.accusative}: изменять {words.agree({ f: 'её', m: 'его', n: 'его' })} может только автор{practice.owner?.full_name ? ` — ${practice.owner.full_name}` : ''}.
        </p>
      )}

      {!readOnly && <SaveIndicator save={save} offset={ctx.offset} onReload={() => location.reload()} words={words} />}

      <ErrorSummary title={`${words.One} не ${words.agree({ f: 'отправлена', m: 'отправлен', n: 'отправлено' })}. Заполните или исправьте:`} errors={submitErrors} fields={fields} testId="submit-errors" />

      <form class="form form--wide" noValidate onSubmit={(e) => e.preventDefault()}>
        <SectionAndType
          ctx={ctx}
          readOnly={readOnly}
          section={section}
          type={type}
          onSection={changeSection}
          onType={changeType}
        />

        <FormFields
          fields={fields}
          values={answers}
          onChange={onAnswer}
          ctx={{
            agenda: ctx.agenda,
            root: answers,
            currentYear: ctx.currentYear,
            errors: shownErrors,
            readOnly,
            attachments: (field, path) => (
              <FieldAttachments ctx={ctx} practice={practice} field={field} path={path} owner={isOwner} reload={reloadFiles} />
            ),
          }}
        />
      </form>

      <PracticeOtherFiles ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />

      {perAuthor && (
        <CoAuthors
          list={coAuthors}
          known={practice.co_authors ?? []}
          readOnly={readOnly}
          ownerEmail={practice.owner?.email}
          words={words}
          onChange={setCo}
        />
      )}

      <SubmitCard
        state={state}
        missing={missing}
        missingFiles={missingFiles}
        submitMessage={submitMessage}
        submitErrors={submitErrors}
        readOnly={readOnly}
        busy={busy}
        words={words}
        fields={fields}
        onSubmit={onSubmit}
        onDelete={onDelete}
      />

      <PracticeDocument ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticePhotos ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticePayment ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <PracticeMaterials ctx={ctx} practice={practice} owner={isOwner} reload={reloadFiles} />
      <p>
        <a href={`${base}/cabinet`}>← К моим {words.dativePlural}</a>
      </p>
    </article>
  );
}
