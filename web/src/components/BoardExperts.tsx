// The experts of one practice on the review board: who reviews it and what each decided, with the
// organiser's hand on the assignment: take an expert off it, or give it to one chosen by hand from
// the experts of its section (a conflict of interest and each expert's load shown before the
// choice; the server's refusal shown here, beside the row).
import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as review from '../lib/endpoints/review';
import type { AssignedExpert, BoardExpert } from '../lib/endpoints/review';
import { outcomeTitle, type EventContext } from '../lib/intake';
import type { User } from '../lib/types';

export function BoardExperts(props: {
  ctx: EventContext;
  practice: { id: number; section: number; experts: AssignedExpert[]; conflicts: User[] };
  experts: BoardExpert[];
  onChanged: (notice: string) => void;
}) {
  const { ctx, practice, experts, onChanged } = props;
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const rowId = `board-${practice.id}`;
  const assigned = new Set(practice.experts.map((e) => e.user.id));
  const conflicted = new Set(practice.conflicts.map((c) => c.id));
  // An expert without sections reviews every section.
  const candidates = experts.filter(
    (e) => !assigned.has(e.user.id) && (e.sections.length === 0 || e.sections.includes(practice.section)),
  );

  const change = async (work: () => Promise<unknown>, notice: string) => {
    setBusy(true);
    setError('');
    try {
      await work();
      setChosen('');
      onChanged(notice);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const add = () => {
    const expert = experts.find((e) => String(e.user.id) === chosen);
    if (!expert) return;
    void change(
      () => review.addExpert(ctx.id, practice.id, expert.user.id),
      `${expert.user.full_name} назначен(а) экспертом.`,
    );
  };
  const remove = (e: AssignedExpert) =>
    change(() => review.removeExpert(ctx.id, practice.id, e.user.id), `${e.user.full_name} больше не эксперт этой работы.`);

  return (
    <div data-testid={`${rowId}-experts`}>
      {practice.experts.length === 0 ? (
        <span class="muted">никому не поручена</span>
      ) : (
        <ul class="board__experts">
          {practice.experts.map((e) => (
            <li key={e.user.id}>
              {e.user.full_name}: {e.review ? outcomeTitle(ctx.agenda, e.review.decision) : 'ещё не оценил(а)'}
              {e.review?.reason ? ` — ${e.review.reason}` : ''}
              {e.conflict && <span class="field__note"> (конфликт интересов)</span>}{' '}
              {!e.review && (
                <button
                  type="button"
                  class="button button--secondary board__remove"
                  disabled={busy}
                  onClick={() => void remove(e)}
                  data-testid={`${rowId}-remove-${e.user.id}`}
                >
                  снять
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 && (
        <div class="board__assign">
          <label class="visually-hidden" for={`${rowId}-expert`}>
            Назначить эксперта
          </label>
          <select
            id={`${rowId}-expert`}
            value={chosen}
            onChange={(e) => setChosen(e.currentTarget.value)}
            data-testid={`${rowId}-expert`}
          >
            <option value="">— назначить эксперта —</option>
            {candidates.map((e) => (
              <option key={e.user.id} value={String(e.user.id)}>
                {e.user.full_name} (работ: {e.load}{e.cap != null ? ` из ${e.cap}` : ''}){conflicted.has(e.user.id) ? ' — конфликт интересов' : ''}
              </option>
            ))}
          </select>{' '}
          <button
            type="button"
            class="button button--secondary"
            disabled={busy || chosen === ''}
            onClick={add}
            data-testid={`${rowId}-expert-add`}
          >
            Назначить
          </button>
        </div>
      )}
      {error && (
        <p class="form__error" role="alert" data-testid={`${rowId}-experts-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
