// The past-results page's parts: the preview of an uploaded table with each row's problem, and the
// applications that match a past result only unsurely, for the organiser to confirm or dismiss.
import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import * as contest from '../../lib/endpoints/contest';
import type { Match, Preview } from '../../lib/endpoints/contest';
import type { Loaded } from '../../lib/hooks';
import { wordsOf, type EventContext } from '../../lib/intake';
import { Loading } from '../common/Message';

const kKind: Record<string, string> = {
  similar_name: 'название похоже, но не совпадает',
  name_other_inn: 'название совпадает, ИНН другой',
};

export function Matches({ ctx, matches: loaded }: { ctx: EventContext; matches: Loaded<Match[]> }) {
  const words = wordsOf(ctx.agenda);
  const [actionError, setError] = useState('');
  // The list as last read stays while it is read again after a decision.
  const shown = useRef<Match[] | null>(null);
  if (loaded.status === 'ok') shown.current = loaded.data;
  const matches = shown.current;
  const error = actionError || (loaded.status === 'error' ? loaded.message : '');

  const decide = async (m: Match, decision: 'confirmed' | 'dismissed') => {
    setError('');
    try {
      await contest.decideMatch(ctx.id, m, decision);
      loaded.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <section class="card" aria-labelledby="past-matches">
      <h2 id="past-matches">Неточные совпадения</h2>
      <p class="muted">
        {words.Many} учреждений, похожих на учреждения из прошлых итогов, которым правила пока не разрешают участвовать. Пока совпадение не
        подтверждено, {words.one} не отклоняется; подтверждённое совпадение действует при отправке.
      </p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {matches === null ? (
        <Loading />
      ) : matches.length === 0 ? (
        <p data-testid="past-no-matches">Неточных совпадений нет.</p>
      ) : (
        <ul class="desk__links" data-testid="past-matches-list">
          {matches.map((m) => (
            <li key={`${m.practice}|${m.past_key}`} data-testid={`past-match-${m.practice}`}>
              <p>
                № {m.practice}: «{m.institution}»{m.inn && <> (ИНН {m.inn})</>} — в итогах {m.past.edition} г.: «{m.past.institution}»
                {m.past.inn && <> (ИНН {m.past.inn})</>}, {m.past.outcome_title}; {kKind[m.kind]}. Участвовать снова можно с {m.may_apply_from} г.
              </p>
              {m.decision ? (
                <p>
                  <strong>{m.decision === 'confirmed' ? 'Подтверждено: это то же учреждение.' : 'Отклонено: это другое учреждение.'}</strong>{' '}
                  <button type="button" class="button button--secondary" onClick={() => decide(m, m.decision === 'confirmed' ? 'dismissed' : 'confirmed')}>
                    Изменить решение
                  </button>
                </p>
              ) : (
                <p>
                  <button type="button" class="button" onClick={() => decide(m, 'confirmed')} data-testid={`past-confirm-${m.practice}`}>
                    Это то же учреждение
                  </button>{' '}
                  <button type="button" class="button button--secondary" onClick={() => decide(m, 'dismissed')} data-testid={`past-dismiss-${m.practice}`}>
                    Другое учреждение
                  </button>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function PreviewTable({ preview, busy, onSave }: { preview: Preview; busy: boolean; onSave: () => void }) {
  return (
    <div data-testid="past-preview">
      <p>
        Прочитано строк: {preview.rows.length}
        {preview.editions.length > 0 && <> (годы: {preview.editions.join(', ')})</>}
        {preview.errors.length > 0 && <>, с ошибками: {preview.errors.length}</>}.
      </p>
      {preview.errors.length > 0 && (
        <ul class="form-error" data-testid="past-row-errors">
          {preview.errors.map((e) => (
            <li key={e.row}>{e.message}</li>
          ))}
        </ul>
      )}
      {preview.rows.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Прочитанные строки">
          <table>
            <thead>
              <tr>
                <th scope="col">Учреждение</th>
                <th scope="col">ИНН</th>
                <th scope="col">Регион</th>
                <th scope="col">Год</th>
                <th scope="col">Итог</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r, i) => (
                <tr key={i}>
                  <td>{r.institution}</td>
                  <td>{r.inn}</td>
                  <td>{r.region}</td>
                  <td>{r.edition}</td>
                  <td>{r.outcome_title}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" class="button" disabled={busy || preview.rows.length === 0} onClick={onSave} data-testid="past-save">
        {preview.errors.length > 0 ? 'Сохранить верные строки' : 'Сохранить'}
      </button>
    </div>
  );
}
