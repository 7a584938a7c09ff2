// The author's flashmob page: send a creative work (its kind from the agenda, a title, the
// institution, and the video or presentation through the resumable upload), then follow each sent
// work live: what the server measured (duration, slides), the conversion to a playable video with
// its progress over the WebSocket, why a conversion failed, and the organiser's decision.
import { useEffect } from 'preact/hooks';
import { useAuth } from '../lib/auth';
import { flashmobWords } from '../lib/flashmobWords';
import * as flashmob from '../lib/endpoints/flashmob';
import { useLoad } from '../lib/hooks';
import { useEventContext, wordsOf, type EventContext } from '../lib/intake';
import { textOf } from '../lib/types';
import { ItemCard } from '../components/flashmob/ItemCard';
import { NewItem } from '../components/flashmob/NewItem';
import { Breadcrumbs } from '../components/common/Breadcrumbs';
import { LoadError, Loading, LoginNeeded } from '../components/common/Message';

export function FlashmobMinePage({ id }: { id: string }) {
  const auth = useAuth();
  const ctx = useEventContext(id);
  const mineTitle = ctx.status === 'ok' ? flashmobWords(ctx.data.agenda).mineTitle : '';
  useEffect(() => {
    if (mineTitle) document.title = mineTitle;
  }, [mineTitle]);
  if (auth.me === undefined || ctx.status === 'loading') return <Loading />;
  if (auth.me === null) return <LoginNeeded what="отправить работу и следить за ней" />;
  if (ctx.status === 'error') return <LoadError title="Не удалось загрузить мероприятие" message={ctx.message} />;
  return <Mine ctx={ctx.data} />;
}

function Mine({ ctx }: { ctx: EventContext }) {
  const loaded = useLoad(`flashmob-mine:${ctx.id}`, (signal) => flashmob.mine(ctx.id, signal));
  const base = `/events/${encodeURIComponent(ctx.id)}`;
  const words = flashmobWords(ctx.agenda);

  if (loaded.status === 'error') return <LoadError title="Не удалось загрузить ваши работы" message={loaded.message} />;
  if (loaded.status === 'loading') return <Loading />;
  const mine = loaded.data;
  const items = mine.items ?? [];
  const kinds = mine.work_kinds?.length ? mine.work_kinds : (ctx.agenda.files?.flashmob?.work_kinds ?? []);
  const purpose = ctx.agenda.files?.flashmob;
  // «видеоролик (не более 5 минут, до 1000 МБ) или презентация (…)»: the agenda's own words for
  // the kinds of file, limits included.
  const fileKinds = (purpose?.kinds ?? [])
    .map((k) => textOf(k.title))
    .filter(Boolean)
    .map((t) => t.charAt(0).toLocaleLowerCase('ru-RU') + t.slice(1))
    .join(' или ');

  return (
    <article class="intake" data-testid="flashmob-mine">
      <Breadcrumbs
        items={[
          { href: base, title: textOf(ctx.agenda.title) || ctx.id },
          { href: `${base}/cabinet`, title: `Мои ${wordsOf(ctx.agenda).many}` },
          { title: words.title },
        ]}
      />
      <h1>{words.mineTitle}</h1>
      {fileKinds && (
        <p class="muted" data-testid="flashmob-kinds">
          {textOf(purpose?.title) || 'Материалы'}: {fileKinds}.
        </p>
      )}
      <NewItem ctx={ctx} kinds={kinds} onSent={(item) => loaded.set({ ...mine, items: [item, ...(mine.items ?? [])] })} />
      <section class="card" aria-labelledby="items-title">
        <h2 id="items-title">Отправленные работы</h2>
        {items.length === 0 ? (
          <p class="muted" data-testid="no-items">
            Вы ещё не отправили ни одной работы.
          </p>
        ) : (
          <ul class="practice-list" data-testid="flashmob-items">
            {items.map((item) => (
              <ItemCard key={item.id} ctx={ctx} initial={item} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
