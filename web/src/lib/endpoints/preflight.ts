// The bandwidth probe of the pre-flight check (docs/protocol.md, "GET and POST /api/speedtest"):
// raw bytes each way, never cached, answered as the Response itself for the caller to time.
import { query } from './paths';

export function downloadProbe(bytes: number): Promise<Response> {
  return fetch(`/api/speedtest${query({ bytes })}`, { cache: 'no-store' });
}

export function uploadProbe(body: BodyInit): Promise<Response> {
  return fetch('/api/speedtest', {
    method: 'POST',
    body,
    cache: 'no-store',
    headers: { 'Content-Type': 'application/octet-stream' },
  });
}
