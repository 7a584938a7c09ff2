// A small History-API router: routes are path patterns with :params, links are plain <a href>
// caught by one document-level click listener (no inline handlers; the CSP forbids them).
// Deep links such as /events/irkutsk-2020 rely on the server answering index.html for a path
// outside /api/ whose last segment has no dot, so client routes carry no dots.
import { useEffect, useState } from 'preact/hooks';

export type Params = Record<string, string>;

export interface Route<C> {
  pattern: string;
  component: C;
}

export interface Match<C> {
  component: C;
  params: Params;
}

export function matchPath(pattern: string, path: string): Params | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Params = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) {
      return null;
    }
  }
  return params;
}

export function resolve<C>(routes: ReadonlyArray<Route<C>>, path: string): Match<C> | null {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { component: route.component, params };
  }
  return null;
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of [...listeners]) l();
}

export function currentPath(): string {
  return location.pathname || '/';
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search + location.hash) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

// Installed once by the app: back/forward and same-origin link clicks go through the router.
export function installRouter(): void {
  window.addEventListener('popstate', notify);
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target instanceof Element ? e.target.closest('a') : null;
    if (!target || target.target || target.hasAttribute('download') || target.dataset.external !== undefined) return;
    const url = new URL(target.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === location.pathname && url.hash) return; // in-page anchor
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}
