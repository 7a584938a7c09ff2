// The experts of the review with their load and the most practices each may review: the
// organiser sets one expert's cap here (empty: the agenda's default); the automatic assignment and
// an assignment by hand never go beyond it.
import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import * as review from '../../lib/endpoints/review';
import type { BoardExpert } from '../../lib/endpoints/review';

export function ExpertCaps(props: { id: string; experts: BoardExpert[]; defaultCap: number | null; onChanged: (notice: string) => void }) {
  const { id, experts, defaultCap, onChanged } = props;
  if (experts.length === 0) return null;
  return (
    <section class="card" aria-labelledby="expert-caps-title" data-testid="expert-caps">
      <h2 id="expert-caps-title">Нагрузка экспертов</h2>
      <p class="muted">
        {defaultCap ? `По положению — не больше ${defaultCap} работ на эксперта. ` : 'По положению предела нет. '}
        Свой предел для эксперта перекрывает общий; пустое поле — как в положении.
      </p>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th>Эксперт</th>
              <th>Работ</th>
              <th>Предел</th>
            </tr>
          </thead>
          <tbody>
            {experts.map((e) => (
              <CapRow key={e.user.id} id={id} expert={e} onChanged={onChanged} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CapRow({ id, expert, onChanged }: { id: string; expert: BoardExpert; onChanged: (notice: string) => void }) {
  const [typed, setTyped] = useState(expert.cap_set == null ? '' : String(expert.cap_set));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const rowId = `cap-${expert.user.id}`;
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    const text = typed.trim();
    if (text !== '' && !/^\d+$/.test(text)) {
      setError('Предел — целое число работ или пусто.');
      return;
    }
    setBusy(true);
    try {
      await review.setCap(id, expert.user.id, text === '' ? null : Number(text));
      onChanged(`Предел нагрузки для ${expert.user.full_name ?? 'эксперта'} сохранён.`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const full = expert.cap != null && expert.load >= expert.cap;
  return (
    <tr data-testid={rowId} data-load={expert.load} data-cap={expert.cap ?? ''}>
      <td>{expert.user.full_name}</td>
      <td data-testid={`${rowId}-load`}>
        {expert.load}
        {expert.cap != null ? ` из ${expert.cap}` : ''}
        {full && <span class="field__note"> (предел достигнут)</span>}
      </td>
      <td>
        <form class="toolbar" onSubmit={save}>
          <label class="visually-hidden" for={`${rowId}-input`}>
            Предел нагрузки: {expert.user.full_name}
          </label>
          <input
            id={`${rowId}-input`}
            data-testid={`${rowId}-input`}
            inputMode="numeric"
            size={4}
            value={typed}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? `${rowId}-error` : undefined}
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
          <button type="submit" class="button button--secondary button--small" disabled={busy} data-testid={`${rowId}-save`}>
            Сохранить
          </button>
        </form>
        {error && (
          <p class="form__error" role="alert" id={`${rowId}-error`} data-testid={`${rowId}-error`}>
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}
