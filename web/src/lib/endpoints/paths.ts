// The API's paths, spelled in one place: the endpoint modules beside this file build every URL a
// page asks or links to from these, so a route the server renames is changed here and nowhere else.

export function eventPath(id: string, rest = ''): string {
  return `/api/events/${encodeURIComponent(id)}${rest}`;
}

export function uploadPath(id: string, rest = ''): string {
  return `/api/uploads/${encodeURIComponent(id)}${rest}`;
}

// "?a=1&b=2" of the parameters that have a value, or "" when none has.
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// A path segment from a page's parameter (a practice number typed into the address bar).
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

// The options of one request: pages pass the AbortSignal useLoad hands them.
export function withSignal(signal?: AbortSignal): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
