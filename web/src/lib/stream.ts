// Plays a flashmob item's adaptive stream in a <video>: natively where the browser itself plays HLS
// and is not Chromium (Safari, iOS), through hls.js elsewhere (a chunk of its own, loaded only then;
// its "light" build, as captions are a <track>), and the MP4 while no stream is made or where
// neither works. «Экономия трафика» holds the lowest rendition; it is remembered on the device.
// The position stays the caller's: a quality switch never moves currentTime, so the feed's sync
// loop keeps every viewer in step across switches.
import type Hls from 'hls.js';
import type { FeedItem } from './flashmob';

const kSaverKey = 'praktika.flashmob.saver';

export function savedSaver(): boolean {
  try {
    return localStorage.getItem(kSaverKey) === '1';
  } catch {
    return false;
  }
}

export function storeSaver(on: boolean): void {
  try {
    if (on) localStorage.setItem(kSaverKey, '1');
    else localStorage.removeItem(kSaverKey);
  } catch {
    // Private mode: the switch holds for this page only.
  }
}

export type Engine = 'hls.js' | 'native' | 'mp4';

export interface Attached {
  engine: Engine;
  setSaver(on: boolean): void;
  destroy(): void;
}

function playsHlsNatively(v: HTMLVideoElement): boolean {
  const chromium = /Chrome|Chromium|CriOS|Android/.test(navigator.userAgent);
  return !chromium && v.canPlayType('application/vnd.apple.mpegurl') !== '';
}

function hasMediaSource(): boolean {
  return 'MediaSource' in window || 'ManagedMediaSource' in window;
}

// The lowest rendition's own playlist beside the master (v0.m3u8): what a native player is given
// to hold the lowest quality, since it offers no way to pin a level.
function lowestPlaylist(master: string): string {
  return master.replace(/master\.m3u8(\?.*)?$/, 'v0.m3u8');
}

function mark(v: HTMLVideoElement, engine: Engine) {
  v.dataset.engine = engine;
}

// Starts `item` in `v`. Resolves once the source is set; the returned handle changes the saver and
// tears the player down (call it before the element goes or the item changes). `startAt` (seconds)
// is where the stream starts loading: the feed's position when a viewer moves from the MP4 to the
// stream mid-item, so the first segments fetched are the ones that play.
export async function attachStream(
  v: HTMLVideoElement,
  item: FeedItem,
  saver: boolean,
  startAt?: () => number,
): Promise<Attached> {
  const master = item.hls_url;
  const plain = (engine: Engine, src: string): Attached => {
    v.src = src;
    mark(v, engine);
    return { engine, setSaver: () => undefined, destroy: () => v.removeAttribute('src') };
  };
  if (!master) return plain('mp4', item.media_url ?? '');
  if (playsHlsNatively(v)) {
    const a = plain('native', saver ? lowestPlaylist(master) : master);
    a.setSaver = (on: boolean) => {
      const t = v.currentTime;
      const playing = !v.paused;
      v.src = on ? lowestPlaylist(master) : master;
      v.currentTime = t;
      if (playing) v.play().catch(() => undefined);
    };
    return a;
  }
  if (!hasMediaSource()) return plain('mp4', item.media_url ?? '');
  const { default: HlsClass } = await import('hls.js/light');
  if (!HlsClass.isSupported()) return plain('mp4', item.media_url ?? '');
  // No worker: the page's Content-Security-Policy allows no blob: scripts, and the segments are small.
  // A buffer of three segments: enough to ride out a slow one, short enough that a cleared link is
  // soon used (and a phone holds little). The bandwidth estimate follows a change within seconds
  // (hls.js weighs its samples by load time, and small segments on a fast link weigh little).
  const hls: Hls = new HlsClass({
    enableWorker: false,
    startLevel: saver ? 0 : -1,
    startPosition: startAt ? startAt() : -1,
    capLevelToPlayerSize: false,
    maxBufferLength: 12,
    // hls.js otherwise buffers by bytes (60 MB), which at the lowest rendition is the whole video:
    // a link that clears would never be used.
    maxMaxBufferLength: 16,
    abrEwmaFastVoD: 2,
    abrEwmaSlowVoD: 5,
  });
  // What the viewer chose last: the switch may change before the manifest is parsed, and the
  // parse must apply that choice, not the one the stream was started with.
  let saving = saver;
  const hold = (on: boolean) => {
    saving = on;
    hls.autoLevelCapping = on ? 0 : -1;
    // On: the lowest at once (what is buffered above it is dropped, the position stays); off:
    // automatic again, by the measured bandwidth, from the next segment.
    if (on) hls.currentLevel = 0;
    else hls.nextLevel = -1;
  };
  hls.on(HlsClass.Events.MANIFEST_PARSED, () => hold(saving));
  hls.on(HlsClass.Events.LEVEL_SWITCHED, (_e, data) => {
    v.dataset.level = String(data.level);
    const level = hls.levels[data.level];
    if (level) v.dataset.height = String(level.height);
  });
  hls.on(HlsClass.Events.FRAG_LOADED, (_e, data) => {
    v.dataset.loading = String(data.frag.level);
  });
  hls.on(HlsClass.Events.ERROR, (_e, data) => {
    if (!data.fatal) return;
    // A network error is retried once from where it failed; anything else falls back to the MP4.
    if (data.type === HlsClass.ErrorTypes.NETWORK_ERROR) hls.startLoad();
    else if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    else {
      hls.destroy();
      plain('mp4', item.media_url ?? '');
    }
  });
  hls.loadSource(master);
  hls.attachMedia(v);
  mark(v, 'hls.js');
  return {
    engine: 'hls.js',
    setSaver: hold,
    destroy: () => {
      hls.destroy();
      delete v.dataset.level;
      delete v.dataset.height;
      delete v.dataset.loading;
    },
  };
}
