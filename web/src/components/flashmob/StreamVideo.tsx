// A flashmob video as an adaptive stream (lib/stream.ts), with its poster and the author's subtitles
// as a track, and the «Экономия трафика» switch that holds the lowest quality on this device.
// When the item's stream arrives while its MP4 plays (the ladder was made during the feed), the
// stream starts in a second element behind the first, at the feed's position, and the two change
// places once it plays: the viewer never sees the picture go back to the poster.
import type { JSX, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { FeedItem } from '../../lib/flashmob';
import { attachStream, savedSaver, storeSaver, type Attached } from '../../lib/stream';

type VideoProps = Omit<JSX.VideoHTMLAttributes<HTMLVideoElement>, 'ref' | 'src'>;

// HTMLMediaElement.HAVE_CURRENT_DATA: the element shows a frame of its own, not the poster.
const kHasPicture = 2;
// How far from the feed's position the stream may start playing before it is moved there (seconds).
const kStartSlack = 0.25;

export function StreamVideo({
  item,
  saver,
  videoRef,
  position,
  ...props
}: {
  item: FeedItem;
  saver: boolean;
  // The element in front; it changes when a stream takes over from the MP4.
  videoRef?: RefObject<HTMLVideoElement>;
  // Where the item is now (seconds), for a player that follows a feed: the stream starts there.
  position?: () => number;
} & VideoProps) {
  const first = useRef<HTMLVideoElement>(null);
  const second = useRef<HTMLVideoElement>(null);
  const elementOf = (i: number) => (i === 0 ? first : second);
  const [front, setFront] = useState(0);
  const frontNow = useRef(front);
  frontNow.current = front;
  // Each element's player, and the item whose source the front one holds.
  const attached = useRef<Array<Attached | null>>([null, null]);
  const holds = useRef<FeedItem['id'] | null>(null);
  const saverNow = useRef(saver);
  saverNow.current = saver;
  const positionNow = useRef(position);
  positionNow.current = position;

  // The caller's ref follows the element in front; the one that left it lets its MP4 go, after
  // the change of places and before the page is painted again.
  const leaving = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (videoRef) videoRef.current = elementOf(front).current;
    if (leaving.current === null) return;
    release(leaving.current);
    elementOf(leaving.current).current?.load();
    leaving.current = null;
  }, [front]);

  useEffect(() => {
    const f = frontNow.current;
    const v = elementOf(f).current;
    if (!v) return;
    const at = positionNow.current;
    if (holds.current === item.id && attached.current[f]?.engine === 'mp4' && v.readyState >= kHasPicture) {
      return takeOver(v, f, () => (at ? at() : v.currentTime));
    }
    release(f);
    return attachTo(f, at && (() => at()));
  }, [item.id, item.hls_url, item.media_url]);

  useEffect(() => {
    for (const a of attached.current) a?.setSaver(saver);
  }, [saver]);

  useEffect(
    () => () => {
      release(0);
      release(1);
    },
    [],
  );

  function release(slot: number) {
    attached.current[slot]?.destroy();
    attached.current[slot] = null;
  }

  // Starts the item in the element of `slot`; `then` runs once its source is set. Returns the
  // cleanup for an item that changes before that.
  function attachTo(slot: number, startAt?: () => number, then?: () => void) {
    const v = elementOf(slot).current;
    if (!v) return undefined;
    let gone = false;
    const started = saverNow.current;
    attachStream(v, item, started, startAt).then((a) => {
      if (gone) return a.destroy();
      attached.current[slot] = a;
      holds.current = item.id;
      if (saverNow.current !== started) a.setSaver(saverNow.current);
      then?.();
    });
    return () => {
      gone = true;
    };
  }

  // Starts the stream in the element behind `shown` (slot `f`), moves it to where the feed is once
  // it plays, and then has the two change places. Returns the cleanup for an item that changes
  // before that.
  function takeOver(shown: HTMLVideoElement, f: number, where: () => number) {
    const b = 1 - f;
    const behind = elementOf(b).current;
    if (!behind) return undefined;
    release(b);
    const wasPlaying = !shown.paused;
    let done = false;
    const swap = () => {
      if (done) return;
      done = true;
      leaving.current = f;
      setFront(b);
    };
    const ready = () => {
      if (done) return;
      if (Math.abs(behind.currentTime - where()) <= kStartSlack) return swap();
      behind.addEventListener('seeked', swap, { once: true });
      behind.currentTime = where();
    };
    behind.addEventListener(wasPlaying ? 'playing' : 'loadeddata', ready, { once: true });
    const cancelAttach = attachTo(b, where, () => {
      if (wasPlaying) behind.play().catch(() => undefined);
    });
    return () => {
      if (done) return;
      done = true;
      cancelAttach?.();
      behind.removeEventListener('playing', ready);
      behind.removeEventListener('loadeddata', ready);
      behind.removeEventListener('seeked', swap);
      release(b);
    };
  }

  const track = item.captions && (
    <track
      kind="subtitles"
      src={item.captions.url}
      srclang={item.captions.language}
      label={item.captions.label}
      default
      data-testid="captions-track"
    />
  );
  return (
    <>
      {[first, second].map((ref, i) =>
        i === front ? (
          <video key={i} ref={ref} poster={item.poster_url ?? undefined} {...props}>
            {track}
          </video>
        ) : (
          <video key={i} ref={ref} class="stream-video__behind" muted playsInline preload="auto" aria-hidden="true" />
        ),
      )}
    </>
  );
}

// The switch and its remembered state.
export function useSaver(): [boolean, (on: boolean) => void] {
  const [saver, setSaver] = useState(savedSaver);
  return [
    saver,
    (on: boolean) => {
      storeSaver(on);
      setSaver(on);
    },
  ];
}

export function SaverSwitch({ saver, onChange }: { saver: boolean; onChange: (on: boolean) => void }) {
  return (
    <label class="saver" title="Всегда самое низкое качество видео: меньше трафика на мобильной связи">
      <input
        type="checkbox"
        data-testid="saver"
        checked={saver}
        onChange={(e) => onChange((e.target as HTMLInputElement).checked)}
      />{' '}
      Экономия трафика
    </label>
  );
}
