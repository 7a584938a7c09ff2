// Stage 2 for the organiser (the contest's jury chair): the reviewers' decisions side by side,
// conflicts of interest, the final decision per practice chosen from the agenda's outcomes in
// their own wording (the conference's admissions, the contest's laureate and participant), a
// reason asked for before a decision that needs one is sent, the server's refusal shown beside its
// row, and the letters to institutions.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as review from '../lib/endpoints/review';
import type { Board, BoardExpert, BoardPractice } from '../lib/endpoints/review';
import { useAuth } from '../lib/auth';
import { useLoad } from '../lib/hooks';
import { outcomeTitle, useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { textOf } from '../lib/types';
import { BoardExperts } from '../components/BoardExperts';
import { ConflictCheck } from '../components/review/ConflictCheck';
import { ExpertCaps } from '../components/review/ExpertCaps';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';

// The decisions of the event in the agenda's order, and those that need a reason (the server's
// rule: reason_required_for, else "rejected" when there is such a decision).
interface Decisions {
  options: Array<{ id: string; title: string }>;
  needsReason: (id: string) => boolean;
}

function decisionsOf(ctx: EventContext, board: Board): Decisions {
  const fromAgenda = Object.entries(ctx.agenda.review?.outcomes ?? {}).filter(([id]) => id !== 'note');
  const entries = fromAgenda.length > 0 ? fromAgenda : Object.entries(board.outcome_titles ?? {});
  const options = entries.map(([id, title]) => ({ id, title: textOf(title) || id }));
  const listed = ctx.agenda.review?.reason_required_for;
  const required = new Set(listed ?? (options.some((o) => o.id === 'rejected') ? ['rejected'] : []));
  return { options, needsReason: (id) => required.has(id) };
}

export function ReviewBoardPage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  // The row whose decision was saved last, to confirm it beside that row.
  const [savedRow, setSavedRow] = useState<number | null>(null);
  // The board as last loaded: kept on screen while it loads again after a change.
  const shown = useRef<Board | null>(null);
  // Loaded again when the person signs in on this page.
  const board = useLoad(`board:${id}:${auth.me?.user.id ?? ''}`, (signal) => review.board(id, signal));
  const reviewTitle = ctx.status === 'ok' ? textOf(ctx.data.agenda.stages?.find((s) => s.id === 'review')?.title) : '';
  useEffect(() => {
    document.title = reviewTitle || 'Итоговые решения';
  }, [reviewTitle]);
  if (auth.me === undefined) return <Loading />;
  if (auth.me === null) return <LoginNeeded what="принять итоговые решения" />;
  if (board.status === 'ok') shown.current = board.data;
  const data = shown.current;
  if (ctx.status === 'loading' || (board.status === 'loading' && !data)) return <Loading />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  if (board.status === 'error') return <LoadError title="Не удалось загрузить решения" message={board.message} />;
  if (!data) return <Loading />;

  const words = wordsOf(ctx.data.agenda);
  const decisions = decisionsOf(ctx.data, data);
  const hasSections = (ctx.data.agenda.sections ?? []).length > 0;
  const act = async (what: () => Promise<unknown>, done: string) => {
    setError('');
    setNotice('');
    setSavedRow(null);
    try {
      await what();
      setNotice(done);
      board.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const assign = () =>
    act(async () => {
      const r = await review.assign(id);
      // Practices left short because the fitting experts reached their caps.
      if (r.warning) setError(r.warning.message);
    }, 'Распределение выполнено.');
  const notify = () =>
    act(async () => {
      const r = await review.notify(id);
      setNotice(`Поставлено в очередь писем: ${r.queued}.`);
    }, 'Уведомления отправляются.');

  return (
    <article class="intake intake--wide" data-testid="review-board">
      <Breadcrumbs
        items={[
          { href: `/events/${encodeURIComponent(id)}`, title: textOf(ctx.data.agenda.title) || 'Мероприятие' },
          { title: reviewTitle || 'Итоговые решения' },
        ]}
      />
      <h1>{reviewTitle || 'Итоговые решения'}</h1>
      <section class="card" aria-label="Распределение и письма">
        <div class="toolbar">
          <button type="button" class="button button--secondary" onClick={assign} data-testid="board-assign">
            Распределить {words.many} для оценки
          </button>
          <button type="button" class="button button--secondary" onClick={notify} disabled={!data.review_opened} data-testid="board-notify">
            Отправить уведомления учреждениям
          </button>
        </div>
        <ConflictCheck id={id} />
        {!data.review_opened && <p class="muted">Уведомления можно отправить, когда начнётся этап экспертизы.</p>}
        {error && (
          <p class="form__error" role="alert" data-testid="board-error">
            {error}
          </p>
        )}
        {notice && (
          <p class="callout callout--ok" role="status" data-testid="board-notice">
            {notice}
          </p>
        )}
      </section>
      <ExpertCaps
        id={id}
        experts={data.experts ?? []}
        defaultCap={data.default_cap ?? null}
        onChanged={(text) => {
          setError('');
          setNotice(text);
          board.reload();
        }}
      />
      {data.practices.length === 0 ? (
        <p class="muted" data-testid="board-empty">
          Пока ничего не отправлено {words.toReview}.
        </p>
      ) : (
        <div class="card table-wrap" tabIndex={0} role="region" aria-label="Итоговые решения">
        <table class="table board">
          <thead>
            <tr>
              <th>№</th>
              <th>{words.One}</th>
              <th>Учреждение</th>
              <th>Оценки</th>
              <th>Итоговое решение</th>
            </tr>
          </thead>
          <tbody>
            {data.practices.map((p) => (
              <BoardRow
                key={p.id}
                ctx={ctx.data}
                practice={p}
                decisions={decisions}
                hasSections={hasSections}
                saved={savedRow === p.id}
                experts={data.experts ?? []}
                onExpertsChanged={(text) => {
                  setError('');
                  setNotice(text);
                  board.reload();
                }}
                onSaved={() => {
                  setError('');
                  setNotice('');
                  setSavedRow(p.id);
                  board.reload();
                }}
              />
            ))}
          </tbody>
        </table>
        </div>
      )}
    </article>
  );
}

function BoardRow(props: {
  ctx: EventContext;
  practice: BoardPractice;
  decisions: Decisions;
  hasSections: boolean;
  saved: boolean;
  onSaved: () => void;
  experts: BoardExpert[];
  onExpertsChanged: (notice: string) => void;
}) {
  const { ctx, practice, decisions, hasSections, saved, onSaved, experts, onExpertsChanged } = props;
  const [outcome, setOutcome] = useState(practice.outcome?.outcome ?? '');
  const [reason, setReason] = useState(practice.outcome?.reason ?? '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);
  const needsReason = outcome !== '' && decisions.needsReason(outcome);
  const rowId = `board-${practice.id}`;

  const save = async () => {
    setError('');
    if (needsReason && reason.trim() === '') {
      setError('Укажите причину: без неё это решение не сохраняется.');
      reasonInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await review.decideOutcome(ctx.id, practice.id, outcome, reason.trim());
      onSaved();
    } catch (e) {
      // The choice stays as it was made: the refusal is read beside it.
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid={rowId} data-outcome={practice.outcome?.outcome ?? ''}>
      <td>{practice.id}</td>
      <td>
        {practice.title}
        {hasSections && practice.section ? ` (секция ${practice.section})` : ''}
      </td>
      <td>
        {practice.institution}
        {practice.conflicts.length > 0 && (
          <p class="field__note" data-testid="conflicts">Конфликт интересов: {practice.conflicts.map((c) => c.full_name).join(', ')}</p>
        )}
      </td>
      <td>
        <BoardExperts ctx={ctx} practice={practice} experts={experts} onChanged={onExpertsChanged} />
      </td>
      <td class="board__decision">
        <div class="field">
        <label class="visually-hidden" for={`${rowId}-outcome`}>
          Итоговое решение
        </label>
        <select
          id={`${rowId}-outcome`}
          data-testid={`${rowId}-outcome`}
          value={outcome}
          onChange={(e) => {
            setOutcome(e.currentTarget.value);
            setError('');
          }}
        >
          <option value="">— не принято —</option>
          {decisions.options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.title}
            </option>
          ))}
        </select>
        </div>
        <div class={`field${error && needsReason && reason.trim() === '' ? ' field--invalid' : ''}`}>
        <label class="visually-hidden" for={`${rowId}-reason`}>
          Причина
        </label>
        <input
          id={`${rowId}-reason`}
          ref={reasonInput}
          data-testid={`${rowId}-reason`}
          placeholder={needsReason ? 'Причина (обязательно)' : 'Причина или комментарий'}
          aria-required={needsReason ? 'true' : undefined}
          aria-invalid={error && needsReason && reason.trim() === '' ? 'true' : undefined}
          aria-describedby={error ? `${rowId}-error` : undefined}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        </div>
        <button type="button" class="button button--primary button--small" onClick={() => void save()} disabled={!outcome || busy} data-testid={`${rowId}-save`}>
          {busy ? 'Сохраняем…' : 'Сохранить'}
        </button>
        {saved && (
          <p class="callout callout--ok" role="status" data-testid={`${rowId}-done`}>
            Решение сохранено.
          </p>
        )}
        {practice.outcome && (
          <p class="muted" data-testid={`${rowId}-saved`}>
            Сохранено: {outcomeTitle(ctx.agenda, practice.outcome.outcome)}
            {practice.outcome.notified_at ? '. Учреждение уведомлено.' : '.'}
          </p>
        )}
        {error && (
          <p class="form__error" role="alert" id={`${rowId}-error`} data-testid={`${rowId}-error`}>
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
