// A flashmob video as an adaptive stream (lib/stream.ts), with its poster and the author's subtitles
// as a track, and the «Экономия трафика» switch that holds the lowest quality on this device.
import type { JSX, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FeedItem } from '../../lib/flashmob';
import { attachStream, savedSaver, storeSaver, type Attached } from '../../lib/stream';

type VideoProps = Omit<JSX.VideoHTMLAttributes<HTMLVideoElement>, 'ref' | 'src'>;

export function StreamVideo({
  item,
  saver,
  videoRef,
  position,
  ...props
}: {
  item: FeedItem;
  saver: boolean;
  videoRef?: RefObject<HTMLVideoElement>;
  // Where the item is now (seconds), for a player that follows a feed: the stream starts there.
  position?: () => number;
} & VideoProps) {
  const own = useRef<HTMLVideoElement>(null);
  const ref = videoRef ?? own;
  const attached = useRef<Attached | null>(null);
  const saverNow = useRef(saver);
  saverNow.current = saver;
  const positionNow = useRef(position);
  positionNow.current = position;
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    let gone = false;
    let handle: Attached | null = null;
    const started = saverNow.current;
    // The same item's stream arriving mid-play (its ladder just made) replaces the MP4 in place.
    const at = positionNow.current;
    attachStream(v, item, started, at && (() => at())).then((a) => {
      if (gone) return a.destroy();
      handle = a;
      attached.current = a;
      if (saverNow.current !== started) a.setSaver(saverNow.current);
    });
    return () => {
      gone = true;
      handle?.destroy();
      attached.current = null;
    };
  }, [item.id, item.hls_url, item.media_url]);
  useEffect(() => {
    attached.current?.setSaver(saver);
  }, [saver]);
  return (
    <video ref={ref} poster={item.poster_url ?? undefined} {...props}>
      {item.captions && (
        <track
          kind="subtitles"
          src={item.captions.url}
          srclang={item.captions.language}
          label={item.captions.label}
          default
          data-testid="captions-track"
        />
      )}
    </video>
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
