// After (and during) the feed: every approved work, to watch at one's own pace, by kind of work.
import { useState } from 'preact/hooks';
import { useFlashmobWords } from '../lib/flashmobWords';
import * as flashmob from '../lib/endpoints/flashmob';
import { useLoad } from '../lib/hooks';
import type { FeedItem } from '../lib/flashmob';
import { formatDuration } from '../lib/format';
import { formatDate, formatTime } from '../lib/time';
import { Loading } from '../components/common/Message';
import { SaverSwitch, StreamVideo, useSaver } from '../components/flashmob/StreamVideo';

export function FlashmobGalleryPage({ id }: { id: string }) {
  const words = useFlashmobWords(id, (w) => w.galleryTitle);
  const gallery = useLoad(`flashmob-gallery:${id}`, (signal) => flashmob.gallery(id, signal));
  const [kind, setKind] = useState('');
  const [saver, setSaver] = useSaver();
  if (gallery.status === 'loading') return <Loading />;
  if (gallery.status === 'error') return <p class="form__error">{gallery.message}</p>;
  const g = gallery.data;
  const shown = g.items.filter((i) => !kind || i.work_kind === kind);
  return (
    <section class="flashmob-gallery">
      {words && <h1>{words.galleryTitle}</h1>}
      {!g.open && (
        <p>
          Работы появятся здесь {formatDate(g.opens, g.opens.slice(-6))} в {formatTime(g.opens, g.opens.slice(-6))}.
        </p>
      )}
      {g.open && (
        <>
          <label class="field">
            <span class="field__label">Вид работы</span>
            <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
              <option value="">Все</option>
              {g.work_kinds.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.title}
                </option>
              ))}
            </select>
          </label>
          <SaverSwitch saver={saver} onChange={setSaver} />
          <ul class="gallery" data-testid="gallery">
            {shown.map((item) => (
              <li key={item.id} class="gallery__item">
                {item.media_kind === 'video' ? (
                  <GalleryVideo item={item} saver={saver} />
                ) : (
                  <Slides item={item} />
                )}
                <p>
                  <strong>{item.title}</strong> — {item.institution}
                  <br />
                  <span class="muted">
                    {item.work_kind_title}, {formatDuration(item.duration_s)}
                  </span>
                </p>
              </li>
            ))}
          </ul>
          {shown.length === 0 && <p class="muted">Работ пока нет.</p>}
        </>
      )}
    </section>
  );
}

function Slides({ item }: { item: FeedItem }) {
  const [n, setN] = useState(0);
  return (
    <div>
      <img class="gallery__media" src={item.slide_urls[n]} alt={`${item.title}, слайд ${n + 1}`} />
      <div class="queue__buttons">
        <button type="button" class="button button--quiet" disabled={n === 0} onClick={() => setN(n - 1)}>
          ←
        </button>
        <span>
          {n + 1} / {item.slide_urls.length}
        </span>
        <button type="button" class="button button--quiet" disabled={n + 1 >= item.slide_urls.length} onClick={() => setN(n + 1)}>
          →
        </button>
      </div>
    </div>
  );
}

// A poster (or the MP4's first frame) until the viewer asks to watch: a phone loads no stream for
// works it only scrolls past.
function GalleryVideo({ item, saver }: { item: FeedItem; saver: boolean }) {
  const [watching, setWatching] = useState(false);
  if (watching)
    return <StreamVideo item={item} saver={saver} class="gallery__media" data-testid="gallery-video" controls autoplay playsInline />;
  return (
    <button type="button" class="gallery__poster" data-testid="gallery-watch" onClick={() => setWatching(true)}>
      {item.poster_url ? (
        <img class="gallery__media" src={item.poster_url} alt={`${item.title}: смотреть`} loading="lazy" />
      ) : (
        <video class="gallery__media" src={item.media_url ?? undefined} preload="metadata" muted />
      )}
      <span class="gallery__play">▶ Смотреть</span>
    </button>
  );
}
