// «Проверить конфликты»: every conflict of interest between the practices and the experts of
// their sections, listed before (or after) an assignment; it assigns nothing.
import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import * as review from '../../lib/endpoints/review';
import type { Conflict } from '../../lib/endpoints/review';

export function ConflictCheck({ id }: { id: string }) {
  const [found, setFound] = useState<Conflict[] | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError('');
    try {
      setFound((await review.conflicts(id)).conflicts);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" class="button button--secondary" onClick={() => void check()} disabled={busy} data-testid="board-check-conflicts">
        Проверить конфликты
      </button>
      {error && (
        <p class="form__error" role="alert" data-testid="conflicts-error">
          {error}
        </p>
      )}
      {found && (
        <div role="status" data-testid="conflicts-found" data-count={found.length}>
          {found.length === 0 ? (
            <p class="callout callout--ok">Конфликтов интересов нет.</p>
          ) : (
            <>
              <p>Конфликтов интересов: {found.length}. Эксперт не оценивает работу своего учреждения.</p>
              <ul>
                {found.map((c) => (
                  <li key={`${c.practice.id}:${c.expert.id}`} data-testid="conflict" data-practice={c.practice.id} data-expert={c.expert.id}>
                    № {c.practice.id} «{c.practice.title}» ({c.practice.institution}) — {c.expert.full_name} ({c.expert.institution})
                    {c.assigned ? ', уже назначен(а): снимите с работы' : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
