// The organiser's lists of the contest's earlier editions (/events/:id/past-results): a CSV or
// XLSX table (institution, INN, region, edition year, outcome) is uploaded, what was read is shown
// with each row's problem, then saved; eligibility uses the saved lists. Below, the applications
// that match a past result only unsurely, for the organiser to confirm or dismiss.
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api';
import * as contest from '../lib/endpoints/contest';
import type { Preview, Stored } from '../lib/endpoints/contest';
import { useLoad } from '../lib/hooks';
import type { EventContext } from '../lib/intake';
import { eventBase } from '../lib/roles';
import { textOf } from '../lib/types';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { OrganiserOnly } from '../components/common/OrganiserOnly';
import { Loading } from '../components/common/Message';
import { Matches, PreviewTable } from '../components/contest/PastMatches';

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

function PastResults({ ctx }: { ctx: EventContext }) {
  const base = eventBase(ctx.id);
  const storedLoad = useLoad(`past-results:${ctx.id}`, (signal) => contest.pastResults(ctx.id, signal));
  const matches = useLoad(`past-matches:${ctx.id}`, (signal) => contest.matches(ctx.id, signal));
  // What is in force as last read stays on screen while it is read again after a save.
  const shownStored = useRef<Stored | null>(null);
  if (storedLoad.status === 'ok') shownStored.current = storedLoad.data;
  const stored = shownStored.current;
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setError] = useState('');
  const error = actionError || (storedLoad.status === 'error' ? storedLoad.message : '');
  const [saved, setSaved] = useState('');

  useEffect(() => {
    document.title = 'Итоги прошлых конкурсов';
  }, []);

  const read = async (f: File | null) => {
    setFile(f);
    setPreview(null);
    setSaved('');
    setError('');
    if (!f) return;
    setBusy(true);
    try {
      setPreview(await contest.previewPastResults(ctx.id, f));
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
      const r = await contest.savePastResults(ctx.id, file);
      setSaved(
        `Сохранено строк: ${r.saved}` +
          (r.skipped ? `, пропущено с ошибками: ${r.skipped}` : '') +
          `. Заменены списки ${r.replaced_editions.join(', ')} г.`,
      );
      setPreview(null);
      setFile(null);
      storedLoad.reload();
      matches.reload();
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
      <Matches ctx={ctx} matches={matches} />
    </article>
  );
}
