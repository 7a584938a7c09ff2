// Preact hooks over the shared clients.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort, messageOf } from './api';
import { onSavedChange, savedSince } from './offline';
import { ws, type ConnectionState, type TopicHandlers } from './ws';

export function useConnectionState(): ConnectionState {
  const [state, setState] = useState<ConnectionState>(ws.connectionState);
  useEffect(() => {
    setState(ws.connectionState);
    return ws.onStateChange(setState);
  }, []);
  return state;
}

// When the data shown was kept by the service worker (offline), or null while it is the server's.
export function useSavedSince(): string | null {
  const [at, setAt] = useState<string | null>(savedSince);
  useEffect(() => {
    setAt(savedSince());
    return onSavedChange(setAt);
  }, []);
  return at;
}

// Subscribes while the component is mounted; the handlers may change between renders without
// resubscribing (the latest ones are called).
export function useTopic(topic: string | null, handlers: TopicHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!topic) return;
    return ws.subscribe(topic, {
      onSubscribed: (data) => latest.current.onSubscribed?.(data),
      onEvent: (event, data) => latest.current.onEvent?.(event, data),
      onError: (error) => latest.current.onError?.(error),
    });
  }, [topic]);
}

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string; code?: string; httpStatus?: number };

// What useLoad hands a page: the state, and two ways to change it without a blank page between —
// `reload` asks again and keeps the shown data until the answer arrives (after an action of the
// page's own), `set` puts in data the page already holds (the answer to its own request).
export type Loaded<T> = Loadable<T> & {
  reload: () => void;
  set: (data: T) => void;
};

// Runs `load` when `key` changes and tracks its result; a newer key, a reload and unmounting
// cancel the older request, so no answer lands on a page that has moved on.
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const loader = useRef(load);
  loader.current = load;
  const inFlight = useRef<AbortController | null>(null);

  const start = useCallback((quiet: boolean) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    if (!quiet) setState({ status: 'loading' });
    loader.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data });
      },
      (e: unknown) => {
        if (controller.signal.aborted || isAbort(e)) return;
        const err = e as { code?: string; status?: number };
        setState({ status: 'error', message: messageOf(e), code: err.code, httpStatus: err.status });
      },
    );
  }, []);

  useEffect(() => {
    start(false);
  }, [key, start]);
  useEffect(() => () => inFlight.current?.abort(), []);

  const reload = useCallback(() => start(true), [start]);
  const set = useCallback((data: T) => {
    inFlight.current?.abort();
    setState({ status: 'ok', data });
  }, []);
  return { ...state, reload, set };
}
