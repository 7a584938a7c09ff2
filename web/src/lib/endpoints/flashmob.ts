// The flashmob (docs/protocol.md, "Flashmob"): the author's works and sending one, the organiser's
// queue with its decisions, order and feed control, and the gallery of approved works.
import { ApiError, api } from '../api';
import type { FeedItem, FeedState } from '../flashmob';
import type { Verdict } from '../uploads';
import { eventPath, segment, withSignal } from './paths';

export interface MyItem {
  id: number;
  file_name?: string;
  work_kind?: string;
  work_kind_title?: string;
  title?: string;
  institution?: string;
  media_kind?: 'video' | 'presentation';
  measured?: Verdict & { video?: { video_codec?: string; audio_codec?: string; width?: number; height?: number; playable?: boolean } };
  play?: { state?: string; progress?: number | null; failure?: string | null; attempts?: number };
  review?: 'pending' | 'approved' | 'rejected' | string;
  reason?: string;
  duration_s?: number | null;
  slides?: number | null;
  media_url?: string | null;
  slide_urls?: string[];
  created_at?: string;
  hls?: { state: 'queued' | 'converting' | 'ready' | 'failed' | null; renditions?: Array<{ name: string }> };
  captions?: { url: string; label: string; language: string } | null;
}

export interface MyItems {
  items?: MyItem[];
  work_kinds?: Array<{ id: string; title?: string }>;
}

export interface QueueItem {
  id: number;
  title: string;
  institution: string;
  work_kind_title: string;
  media_kind: 'video' | 'presentation';
  file_name: string;
  duration_s: number | null;
  slides: number | null;
  measured: { duration_s?: number | null; slides?: number | null; video?: { video_codec?: string; audio_codec?: string; width?: number; height?: number } };
  play: { state: string; progress: number | null; failure: string | null };
  review: 'pending' | 'approved' | 'rejected';
  reason: string;
  owner: { full_name: string; email: string };
  media_url: string | null;
}

export interface FlashmobGallery {
  open: boolean;
  opens: string;
  items: FeedItem[];
  work_kinds: { id: string; title: string }[];
}

function flashmobPath(id: string, rest = ''): string {
  return eventPath(id, `/flashmob${rest}`);
}

export function mine(id: string, signal?: AbortSignal): Promise<MyItems> {
  return api.get<MyItems>(flashmobPath(id, '/items/mine'), withSignal(signal));
}

// Sends a work whose file is a complete upload of purpose "flashmob".
export function sendItem(id: string, item: { upload: string; work_kind: string; title: string; institution: string }): Promise<MyItem> {
  return api.post<MyItem>(flashmobPath(id, '/items'), item);
}

export function queue(id: string, signal?: AbortSignal): Promise<{ items: QueueItem[]; feed: FeedState }> {
  return api.get<{ items: QueueItem[]; feed: FeedState }>(flashmobPath(id, '/queue'), withSignal(signal));
}

export function saveOrder(id: string, items: number[]): Promise<unknown> {
  return api.put(flashmobPath(id, '/order'), { items });
}

export function decide(id: string, item: number, decision: 'approve' | 'reject', reason: string): Promise<unknown> {
  return api.post(flashmobPath(id, `/items/${segment(item)}/decision`), { decision, reason });
}

export function control(id: string, action: 'pause' | 'resume' | 'skip'): Promise<unknown> {
  return api.post(flashmobPath(id, '/control'), { action });
}

export function gallery(id: string, signal?: AbortSignal): Promise<FlashmobGallery> {
  return api.get<FlashmobGallery>(flashmobPath(id, '/gallery'), withSignal(signal));
}

// The video's subtitles: the file's own bytes (SRT or WebVTT; the server recognises the format).
export async function attachCaptions(id: string, item: number, file: Blob): Promise<MyItem> {
  let response: Response;
  try {
    response = await fetch(flashmobPath(id, `/items/${segment(item)}/captions`), {
      method: 'PUT',
      body: file,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream' },
    });
  } catch {
    throw new ApiError(0, 'network', 'Нет связи с сервером. Проверьте подключение к интернету.');
  }
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!response.ok)
    throw new ApiError(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? 'Субтитры не приняты.');
  return body as MyItem;
}

export function removeCaptions(id: string, item: number): Promise<MyItem> {
  return api.delete<MyItem>(flashmobPath(id, `/items/${segment(item)}/captions`));
}
