// What the pages need around the server's resumable uploads (tus 1.0, docs/protocol.md): the
// upload's JSON, a check of a chosen file against the agenda's rules for its purpose before a byte
// is sent, the fingerprint that lets tus-js-client find an interrupted upload of the same file
// again (after a reload too), and the list of interrupted uploads a page left behind.
import { formatBytes } from './format';
import type { FileKind, FilePurpose } from './types';

// tus-js-client is a quarter of the bundle: it is fetched only by pages that send a file.
export function loadTus(): Promise<typeof import('tus-js-client')> {
  return import('tus-js-client');
}

export interface Finding {
  rule?: string;
  where?: string;
  found?: string;
  expected?: string;
}

// The clause 6.5 check of a practice document, kept in the verdict under "formatting".
export interface Formatting {
  ok?: boolean;
  findings?: Finding[];
  paragraphs?: number;
  tables?: number;
  images?: number;
  error?: { code?: string; message?: string };
}

export interface Verdict {
  ok?: boolean;
  kind?: string | null;
  bytes?: number;
  duration_s?: number | null;
  slides?: number | null;
  findings?: Finding[];
  formatting?: Formatting;
}

// GET /api/uploads/{id}
export interface UploadInfo {
  id: string;
  event?: string;
  purpose?: string;
  length?: number;
  offset?: number;
  file_name?: string;
  metadata?: Record<string, string>;
  state?: 'receiving' | 'complete' | 'rejected' | string;
  verdict?: Verdict | null;
}

// A file as a practice lists it (practice.files).
export interface PracticeFile {
  id: string;
  purpose?: string;
  field?: string | null; // the item of the form the file answers (upload metadata "field")
  file_name?: string;
  length?: number;
  state?: string;
  verdict?: Verdict | null;
  url?: string;
}

export function uploadIdOf(url: string | null | undefined): string | null {
  if (!url) return null;
  const m = /\/api\/uploads\/([0-9a-f]{32})(?:$|[?#])/.exec(url);
  return m ? m[1]! : null;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function acceptOf(spec: FilePurpose | undefined): string | undefined {
  const ext = (spec?.kinds ?? []).flatMap((k) => k.extensions ?? []);
  return ext.length ? ext.map((e) => `.${e}`).join(',') : undefined;
}

function kindsText(spec: FilePurpose): string {
  return (spec.kinds ?? [])
    .map((k) => {
      const ext = (k.extensions ?? []).map((e) => `.${e}`).join(', ');
      return ext ? `${k.title ?? k.id} (${ext})` : (k.title ?? k.id);
    })
    .join('; ');
}

function sizeText(kind: FileKind): string {
  const min = kind.min_bytes ?? 0;
  if (min > 0 && kind.max_bytes) return `от ${formatBytes(min)} до ${formatBytes(kind.max_bytes)}`;
  if (min > 0) return `не менее ${formatBytes(min)}`;
  return `не более ${formatBytes(kind.max_bytes)}`;
}

// What can be told from the name and the size before sending: the kind by extension and its size
// bounds. The server decides by the bytes afterwards (a renamed file is caught there); this only
// saves a person on a phone from sending 900 MB that could never pass.
export function precheck(file: { name: string; size: number }, spec: FilePurpose | undefined): Finding[] {
  if (!spec) return [];
  const ext = extensionOf(file.name);
  const kinds = spec.kinds ?? [];
  if (file.size === 0) return [{ rule: 'size', where: 'файл', found: 'пустой файл', expected: 'файл с содержимым' }];
  const kind = kinds.find((k) => (k.extensions ?? []).some((e) => e.toLowerCase() === ext));
  if (kinds.length > 0 && !kind) {
    return [{ rule: 'type', where: 'файл', found: ext ? `файл .${ext}` : 'файл без расширения', expected: kindsText(spec) }];
  }
  if (!kind) return [];
  const tooSmall = (kind.min_bytes ?? 0) > 0 && file.size < (kind.min_bytes ?? 0);
  const tooBig = typeof kind.max_bytes === 'number' && file.size > kind.max_bytes;
  if (tooSmall || tooBig) return [{ rule: 'size', where: 'файл', found: formatBytes(file.size), expected: sizeText(kind) }];
  return [];
}

// The length a video's container declares, read by the browser's own demuxer from the chosen file
// through a <video> element (nothing is sent); null when the browser cannot read it (a codec it
// does not play, a format it does not know) or has not within `timeoutMs`.
export function videoDuration(file: Blob, timeoutMs = 4000): Promise<number | null> {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    const url = URL.createObjectURL(file);
    const done = (seconds: number | null) => {
      clearTimeout(timer);
      video.onloadedmetadata = video.onerror = null;
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve(seconds);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    video.onloadedmetadata = () => done(Number.isFinite(video.duration) && video.duration > 0 ? video.duration : null);
    video.onerror = () => done(null);
    video.preload = 'metadata';
    video.muted = true;
    video.src = url;
  });
}

// "5:01" as the server writes a duration (media/check.cpp): tenths only when the whole minutes and
// seconds alone would not show why it is too long.
function minutesText(seconds: number, tenths: boolean): string {
  const whole = Math.floor(seconds);
  const text = `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
  return tenths ? `${text},${Math.floor((seconds - whole) * 10)}` : text;
}

// The agenda's length limit for a video, checked on the length the browser reads from the file
// before a byte is sent: a 7-minute video is refused at once instead of after its upload. The
// server's check of the whole file stays the one that decides; a file the browser cannot read
// passes here. The finding is worded as the server's (same rule, same figures).
export async function durationPrecheck(file: File, spec: FilePurpose | undefined): Promise<Finding[]> {
  const ext = extensionOf(file.name);
  const kind = (spec?.kinds ?? []).find((k) => (k.extensions ?? []).some((e) => e.toLowerCase() === ext));
  const limit = kind?.max_duration_seconds;
  if (typeof limit !== 'number') return [];
  const seconds = await videoDuration(file);
  // Containers of a video cut to exactly the limit report a little more (media.h's tolerance).
  if (seconds === null || seconds <= limit + 0.5) return [];
  return [{ rule: 'duration', where: 'файл', found: minutesText(seconds, Math.floor(seconds) <= limit), expected: `не более ${minutesText(limit, false)}` }];
}

// FNV-1a over the first and last 64 KiB: tells two files of one name and size apart without
// reading a whole video (and without crypto.subtle, which plain http does not offer).
async function sample(file: Blob): Promise<string> {
  const edge = 64 * 1024;
  const parts = file.size <= 2 * edge ? [file] : [file.slice(0, edge), file.slice(file.size - edge)];
  let h = 0x811c9dc5;
  for (const part of parts) {
    const bytes = new Uint8Array(await part.arrayBuffer());
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i]!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16);
}

const kPrefix = 'praktika';

// `scope` says where on the site the file belongs (event, purpose, practice): the same file chosen
// for another practice is another upload. lastModified is left out on purpose: a phone's file
// picker may report a new one for the same file after a reload.
export function fingerprintFor(scope: string) {
  return async (file: File | Blob): Promise<string> => {
    const name = file instanceof File ? file.name : '';
    return `${kPrefix}:${scope}::${encodeURIComponent(name)}:${file.size}:${await sample(file)}`;
  };
}

export interface Interrupted {
  storageKey: string;
  uploadId: string;
  fileName: string;
  size: number;
}

// Uploads of `scope` that tus-js-client remembers as not finished (in localStorage).
export async function interruptedUploads(scope: string): Promise<Interrupted[]> {
  const tus = await loadTus();
  const storage = tus.defaultOptions.urlStorage;
  if (!tus.canStoreURLs || !storage) return [];
  const all = await storage.findAllUploads();
  const out: Interrupted[] = [];
  for (const u of all) {
    if (!u.urlStorageKey.startsWith(`tus::${kPrefix}:${scope}::`)) continue;
    const id = uploadIdOf(u.uploadUrl);
    if (!id) continue;
    out.push({ storageKey: u.urlStorageKey, uploadId: id, fileName: u.metadata?.filename ?? '', size: u.size ?? 0 });
  }
  return out;
}

export async function forgetInterrupted(storageKey: string): Promise<void> {
  const tus = await loadTus();
  await tus.defaultOptions.urlStorage?.removeUpload(storageKey);
}

// Forgets every stored resume point of an upload the server will not take more bytes for.
export async function forgetUpload(uploadId: string): Promise<void> {
  const tus = await loadTus();
  const storage = tus.defaultOptions.urlStorage;
  if (!storage) return;
  for (const u of await storage.findAllUploads()) if (uploadIdOf(u.uploadUrl) === uploadId) await storage.removeUpload(u.urlStorageKey);
}
