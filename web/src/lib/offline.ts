// The offline programme's side in the page: registers the service worker (web/public/sw.js), learns
// from lib/api.ts whether an answer came from what the worker kept (its X-Praktika-Saved header)
// rather than from the server, and tells the worker to forget what it kept when the person logs out.
// The notice's words live here, once.

export const kSavedNotice = 'Нет связи — показано сохранённое';

export const kSavedHeader = 'X-Praktika-Saved';

// When the shown data was kept (an ISO instant, or '' if unknown), or null while the answers come
// from the server.
let savedAt: string | null = null;
const listeners = new Set<(at: string | null) => void>();

export function savedSince(): string | null {
  return savedAt;
}

export function onSavedChange(listener: (at: string | null) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

// Called by lib/api.ts for every answer: `header` is X-Praktika-Saved's value, or null for an
// answer straight from the server (which ends the notice).
export function noteAnswer(header: string | null): void {
  const next = header === null ? null : header;
  if (next === savedAt) return;
  savedAt = next;
  for (const l of [...listeners]) l(savedAt);
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => console.warn('service worker:', e));
  });
}

// After a logout: nothing personal stays on the device.
export function forgetSaved(): void {
  navigator.serviceWorker?.controller?.postMessage({ type: 'forget' });
}
