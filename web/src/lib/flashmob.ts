// The flashmob feed as the server announces it (GET …/flashmob/now, the subscribe reply and the
// pushed now_playing on topic "flashmob:{event}"), and the one rule every viewer follows to stay in
// step: the server is the clock, so the position now is the announced position plus the time
// since the announcement arrived.
export interface FeedItem {
  id: number;
  title: string;
  work_kind: string;
  work_kind_title: string;
  institution: string;
  media_kind: 'video' | 'presentation';
  duration_s: number;
  media_url: string | null;
  // The adaptive stream (HLS) and its poster, once made; subtitles when the author attached them.
  hls_url?: string | null;
  poster_url?: string | null;
  captions?: { url: string; label: string; language: string } | null;
  slide_urls: string[];
  seconds_per_slide?: number;
}

export interface FeedState {
  event: string;
  state: 'waiting' | 'playing' | 'paused' | 'idle';
  now: string;
  feed_starts: string;
  item: FeedItem | null;
  started_at: string | null;
  position: number | null;
  up_next: FeedItem[];
  remaining: number;
  next_change: string | null;
  seconds_per_slide: number;
  presence?: number;
}

// An announcement and the moment (performance.now(), ms) it arrived.
export interface Announced {
  feed: FeedState;
  receivedAt: number;
}

export function announced(data: unknown): Announced {
  return { feed: data as FeedState, receivedAt: performance.now() };
}

// Seconds into the current item now; frozen while paused.
export function positionNow(a: Announced, at: number = performance.now()): number {
  const base = a.feed.position ?? 0;
  if (a.feed.state !== 'playing') return base;
  const item = a.feed.item;
  const p = base + (at - a.receivedAt) / 1000;
  return item ? Math.min(p, item.duration_s) : p;
}

export function slideAt(item: FeedItem, position: number): number {
  const per = item.seconds_per_slide ?? 10;
  return Math.max(0, Math.min(item.slide_urls.length - 1, Math.floor(position / per)));
}
