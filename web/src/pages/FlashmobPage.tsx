// The public flashmob feed (no login) and its embeddable widget: every viewer plays the same item
// at the same position, because the server announces what plays and since when; a late or
// reconnected viewer seeks to where the feed is now. The widget is the same player without the
// site's frame, for an <iframe> on the partner site.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useTopic } from '../lib/hooks';
import { useFlashmobWords } from '../lib/flashmobWords';
import { formatDuration } from '../lib/format';
import { announced, positionNow, slideAt, type Announced, type FeedItem } from '../lib/flashmob';
import { formatDateTime } from '../lib/time';
import { Loading } from '../components/common/Message';
import { SaverSwitch, StreamVideo, useSaver } from '../components/flashmob/StreamVideo';

// A player further than this from the feed's position seeks (seconds).
const kDriftLimit = 0.25;

export function FlashmobPage({ id }: { id: string }) {
  const words = useFlashmobWords(id, (w) => w.title);
  return (
    <section class="flashmob">
      {words && <h1>{words.title}</h1>}
      {words?.about && (
        <p class="muted" data-testid="feed-about">
          {words.about} <a href={`/events/${encodeURIComponent(id)}/flashmob/gallery`}>Все работы</a>
        </p>
      )}
      <FeedPlayer id={id} title={words?.title ?? ''} />
    </section>
  );
}

export function FlashmobWidgetPage({ id }: { id: string }) {
  const words = useFlashmobWords(id, (w) => w.title);
  useEffect(() => {
    document.body.classList.add('widget-body');
    return () => document.body.classList.remove('widget-body');
  }, []);
  // Alone on the partner's page, the widget is a page of its own: a main landmark and a heading.
  return (
    <main class="flashmob flashmob--widget">
      {words && <h1 class="visually-hidden">{words.title}</h1>}
      <FeedPlayer id={id} title={words?.title ?? ''} compact />
    </main>
  );
}

function FeedPlayer({ id, title, compact = false }: { id: string; title: string; compact?: boolean }) {
  const [feed, setFeed] = useState<Announced | null>(null);
  const [viewers, setViewers] = useState<number | null>(null);
  const [error, setError] = useState('');
  useTopic(`flashmob:${id}`, {
    onSubscribed: (data) => {
      setFeed(announced(data));
      const count = (data as { presence?: number }).presence;
      if (typeof count === 'number') setViewers(count);
      setError('');
    },
    onEvent: (event, data) => {
      if (event === 'now_playing') setFeed(announced(data));
      if (event === 'presence') setViewers((data as { count: number }).count);
    },
    onError: (e) => setError(e.message),
  });

  if (error) return <p class="form__error">{error}</p>;
  if (!feed) return <Loading />;
  const f = feed.feed;
  return (
    <div class="feed" data-testid="feed" data-state={f.state}>
      {viewers !== null && (
        <p class="presence" data-testid="viewers">
          Смотрят сейчас: {viewers}
        </p>
      )}
      {f.state === 'waiting' && (
        <p class="feed__status" data-testid="feed-waiting">
          Трансляция начнётся {formatDateTime(f.feed_starts, f.feed_starts.slice(-6))}.
        </p>
      )}
      {f.state === 'idle' && (
        <p class="feed__status" data-testid="feed-idle">
          Сейчас ничего не показывается.{' '}
          <a href={`/events/${encodeURIComponent(id)}/flashmob/gallery`}>Все работы</a>
        </p>
      )}
      {f.item && <NowShowing feed={feed} item={f.item} title={title} />}
      {f.state === 'paused' && <p class="feed__status">Трансляция приостановлена организатором.</p>}
      {!compact && f.up_next.length > 0 && (
        <div class="feed__next">
          <h2>Далее</h2>
          <ol data-testid="up-next">
            {f.up_next.map((i) => (
              <li key={i.id}>
                {i.title} — {i.institution} <span class="muted">({i.work_kind_title}, {formatDuration(i.duration_s)})</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

function NowShowing({ feed, item, title }: { feed: Announced; item: FeedItem; title: string }) {
  return (
    <div class="feed__now">
      {item.media_kind === 'video' ? (
        <VideoInStep feed={feed} item={item} title={title} />
      ) : (
        <SlidesInStep feed={feed} item={item} />
      )}
      <p class="feed__title" data-testid="now-title">
        <strong>{item.title}</strong> — {item.institution} <span class="muted">({item.work_kind_title})</span>
      </p>
    </div>
  );
}

function VideoInStep({ feed, item, title }: { feed: Announced; item: FeedItem; title: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true);
  const [saver, setSaver] = useSaver();
  useEffect(() => {
    const first = video.current;
    if (!first) return;
    // The element in front may change (a stream taking over from the MP4): each tick asks anew.
    const sync = () => {
      const v = video.current;
      if (!v) return;
      const target = positionNow(feed);
      if (Math.abs(v.currentTime - target) > kDriftLimit) v.currentTime = target;
      if (feed.feed.state === 'playing') {
        if (v.paused) v.play().catch(() => undefined);
      } else if (!v.paused) {
        v.pause();
      }
    };
    first.addEventListener('loadedmetadata', sync);
    if (first.readyState >= 1) sync();
    const timer = setInterval(sync, 1000);
    return () => {
      clearInterval(timer);
      first.removeEventListener('loadedmetadata', sync);
    };
  }, [feed, item.id]);
  return (
    <div class="feed__media">
      {/* Muted so that browsers let it start by itself; the viewer may turn the sound on and off
          again with one button that stays where it is (no seeking: the feed plays in step for all). */}
      <StreamVideo
        item={item}
        saver={saver}
        videoRef={video}
        position={() => positionNow(feed)}
        class="feed__video"
        data-testid="feed-video"
        aria-label={title ? `${title}: ${item.title}` : item.title}
        muted={muted}
        autoplay
        playsInline
        preload="auto"
      />
      <div class="feed__controls">
        <button type="button" class="button" data-testid="feed-sound" onClick={() => setMuted((m) => !m)}>
          {muted ? 'Включить звук' : 'Выключить звук'}
        </button>
        {item.hls_url && <SaverSwitch saver={saver} onChange={setSaver} />}
      </div>
    </div>
  );
}

function SlidesInStep({ feed, item }: { feed: Announced; item: FeedItem }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(timer);
  }, []);
  if (item.slide_urls.length === 0) return null;
  const n = slideAt(item, positionNow(feed));
  return (
    <div class="feed__media">
      <img class="feed__slide" data-testid="feed-slide" src={item.slide_urls[n]} alt={`${item.title}, слайд ${n + 1}`} />
      <p class="muted">
        Слайд {n + 1} из {item.slide_urls.length}
      </p>
    </div>
  );
}
