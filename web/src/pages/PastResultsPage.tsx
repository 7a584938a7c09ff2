// The organiser's lists of the contest's earlier editions (/events/:id/past-results): a CSV or
// XLSX table (institution, INN, region, edition year, outcome) is uploaded, what was read is shown
// with each row's problem, then saved; eligibility uses the saved lists. Below, the applications
// that match a past result only unsurely, for the organiser to confirm or dismiss.
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, upload } from '../lib/api';
import { eventPath, wordsOf, type EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/Intake';
import { OrganiserOnly } from '../components/OrganiserOnly';
import { Loading } from '../components/Layout';

interface PastRow {
  institution: string;
  inn: string;
  region: string;
  edition: number;
  outcome: string;
  outcome_title: string;
}

interface Preview {
  rows: PastRow[];
  errors: Array<{ row: number; message: string }>;
  editions: number[];
}

interface Stored {
  source: 'loaded' | 'file' | 'none';
  editions: Array<{ edition: number; count: number }>;
  results: PastRow[];
}

interface Match {
  practice: number;
  state: string;
  institution: string;
  inn: string;
  kind: 'similar_name' | 'name_other_inn';
  past: PastRow;
  past_key: string;
  may_apply_from: number;
  decision: 'confirmed' | 'dismissed' | null;
}

const kKind: Record<string, string> = {
  similar_name: 'название похоже, но не совпадает',
  name_other_inn: 'название совпадает, ИНН другой',
};
const kSource: Record<string, string> = {
  loaded: 'Действуют загруженные списки.',
  file: 'Списки ещё не загружены: действует пример из настроек мероприятия.',
  none: 'Списки ещё не загружены.',
};

export function PastResultsPage({ id }: { id: string }) {
  return (
    <OrganiserOnly id={id} title="Итоги прошлых конкурсов" loginWhat="загрузить итоги прошлых конкурсов">
      {(ctx) => <PastResults ctx={ctx} />}
    </OrganiserOnly>
  );
}

function formatOf(file: File): string {
  return /\.xlsx$/i.test(file.name) ? 'xlsx' : /\.csv$/i.test(file.name) ? 'csv' : '';
}

function PastResults({ ctx }: { ctx: EventContext }) {
  const base = eventBase(ctx.id);
  const [stored, setStored] = useState<Stored | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const [round, setRound] = useState(0);

  useEffect(() => {
    document.title = 'Итоги прошлых конкурсов';
    api.get<Stored>(eventPath(ctx.id, '/contest/past-results')).then(setStored, (e) => setError(messageOf(e)));
  }, [ctx.id, round]);

  const path = (rest: string, f: File) => {
    const format = formatOf(f);
    return eventPath(ctx.id, rest) + (format ? `?format=${format}` : '');
  };

  const read = async (f: File | null) => {
    setFile(f);
    setPreview(null);
    setSaved('');
    setError('');
    if (!f) return;
    setBusy(true);
    try {
      setPreview(await upload<Preview>(path('/contest/past-results/preview', f), f));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    if (!file) return;
    setBusy(true);
    setError('');
    try {
      const r = await upload<{ saved: number; skipped: number; replaced_editions: number[] }>(path('/contest/past-results', file), file);
      setSaved(
        `Сохранено строк: ${r.saved}` +
          (r.skipped ? `, пропущено с ошибками: ${r.skipped}` : '') +
          `. Заменены списки ${r.replaced_editions.join(', ')} г.`,
      );
      setPreview(null);
      setFile(null);
      setRound((x) => x + 1);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="intake intake--wide" data-testid="past-results">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/desk`, title: 'Кабинет организатора' },
          { title: 'Итоги прошлых конкурсов' },
        ]}
      />
      <h1>Итоги прошлых конкурсов</h1>
      <section class="card" aria-labelledby="past-stored">
        <h2 id="past-stored">Что действует сейчас</h2>
        {stored === null ? (
          <Loading />
        ) : (
          <>
            <p data-testid="past-source">{kSource[stored.source]}</p>
            {stored.editions.length > 0 && (
              <ul data-testid="past-editions">
                {stored.editions.map((e) => (
                  <li key={e.edition}>
                    {e.edition} г.: учреждений — {e.count}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      <section class="card" aria-labelledby="past-upload">
        <h2 id="past-upload">Загрузить список</h2>
        <p class="muted">
          Таблица CSV или XLSX со столбцами: учреждение, ИНН, регион, год конкурса, итог (например, «лауреат» или «участник»). Первая
          строка может быть заголовком. Список года заменяет ранее загруженный список того же года.
        </p>
        <label>
          Файл таблицы{' '}
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="past-file"
            disabled={busy}
            onChange={(e) => read((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
        </label>
        {busy && <Loading />}
        {error && (
          <p class="form-error" role="alert" data-testid="past-error">
            {error}
          </p>
        )}
        {saved && (
          <p role="status" data-testid="past-saved">
            {saved}
          </p>
        )}
        {preview && <PreviewTable preview={preview} busy={busy} onSave={save} />}
      </section>
      <Matches ctx={ctx} round={round} />
    </article>
  );
}

function PreviewTable({ preview, busy, onSave }: { preview: Preview; busy: boolean; onSave: () => void }) {
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

function Matches({ ctx, round }: { ctx: EventContext; round: number }) {
  const words = wordsOf(ctx.agenda);
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [error, setError] = useState('');
  const [again, setAgain] = useState(0);
  useEffect(() => {
    api.get<{ matches: Match[] }>(eventPath(ctx.id, '/contest/matches')).then(
      (r) => setMatches(r.matches),
      (e) => setError(messageOf(e)),
    );
  }, [ctx.id, round, again]);

  const decide = async (m: Match, decision: 'confirmed' | 'dismissed') => {
    setError('');
    try {
      await api.put(eventPath(ctx.id, `/contest/matches/${m.practice}`), { past_key: m.past_key, decision });
      setAgain((x) => x + 1);
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
