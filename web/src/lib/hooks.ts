// Preact hooks over the shared clients.
import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbort, messageOf } from './api';
import { ws, type ConnectionState, type TopicHandlers } from './ws';

export function useConnectionState(): ConnectionState {
  const [state, setState] = useState<ConnectionState>(ws.connectionState);
  useEffect(() => {
    setState(ws.connectionState);
    return ws.onStateChange(setState);
  }, []);
  return state;
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

// Runs `load` when `key` changes and tracks its result; a newer key cancels the older request.
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
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
    return () => controller.abort();
  }, [key]);
  return state;
}
