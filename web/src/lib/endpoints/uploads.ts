// The server's resumable uploads (tus 1.0, docs/protocol.md): where tus-js-client creates one for a
// purpose, an upload's state and verdict, and withdrawing one.
import { api } from '../api';
import type { UploadInfo } from '../uploads';
import { eventPath, query, uploadPath } from './paths';

// The tus creation endpoint of an event's uploads of one purpose.
export function uploadsEndpoint(event: string, purpose: string): string {
  return eventPath(event, `/uploads${query({ purpose })}`);
}

export function getUpload(id: string): Promise<UploadInfo> {
  return api.get<UploadInfo>(uploadPath(id));
}

// A tus DELETE (the tus header, not JSON); an upload already gone counts as deleted.
export async function deleteUpload(id: string): Promise<void> {
  const r = await fetch(uploadPath(id), { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin' });
  if (!r.ok && r.status !== 404) throw new Error('Не удалось удалить файл. Попробуйте ещё раз.');
}
