// The one WebSocket to the server (/ws), shared by every page. It reconnects with backoff,
// re-subscribes every topic after a reconnect, and turns each op into a promise matched by id.
// Wire format: client {"op","id",...}; reply {"re":id,"ok":true,"data"} or {"re":id,"error":{code,message}};
// push {"topic","seq","event","data"}. A re-subscribe sends the last seq seen on the topic ("since"):
// the server then sends what was missed as ordinary pushes, or a "resync" push carrying the topic's
// state, which listeners get as a fresh subscribe. The topics wanted when a socket opens are named
// in its URL (?subscribe=id,topic[,since]): the server answers them with its handshake, a round trip
// sooner than subscribes sent once it is open.

export type ConnectionState = 'connecting' | 'open' | 'closed';

// As many subscribes as the server takes in one URL (docs/protocol.md); any more are sent after the open.
const kMostSubscribesInUrl = 16;

// The close code the server uses when the session behind a socket ended (a logout in another tab)
// or its roles changed: reconnect at once, and let the page read who it is now.
export const kSessionChangedClose = 4001;

export class WsError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'WsError';
    this.code = code;
  }
}

export interface TopicHandlers {
  // Called with the subscribe reply's data, after the first subscribe and after every re-subscribe,
  // so a page replaces its state instead of trusting what it had before the connection dropped.
  onSubscribed?: (data: unknown) => void;
  onEvent?: (event: string, data: unknown) => void;
  onError?: (error: WsError) => void;
}

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: WsError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Topic {
  listeners: Set<TopicHandlers>;
  // Data of the last successful subscribe on this connection; handed to a listener that joins later.
  lastData: unknown;
  subscribed: boolean;
  // The last sequence number seen on the topic, over connections; sent as "since" on re-subscribe.
  lastSeq: number | undefined;
  // The highest number pushed since the current subscribe was sent (pushes may beat its reply).
  seenSeq: number | undefined;
}

export interface WsClientOptions {
  url?: string;
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export class WsClient {
  private readonly url: string;
  private readonly requestTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  private socket: WebSocket | null = null;
  private state: ConnectionState = 'closed';
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly topics = new Map<string, Topic>();
  private readonly waitingForOpen: Array<() => void> = [];
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly identityListeners = new Set<() => void>();
  private started = false;

  constructor(options: WsClientOptions = {}) {
    this.url = options.url ?? defaultUrl();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.minBackoffMs = options.minBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  // Told when the server closed the socket because the session or its roles changed.
  onIdentityChanged(listener: () => void): () => void {
    this.identityListeners.add(listener);
    return () => this.identityListeners.delete(listener);
  }

  // Connects lazily: the first subscribe or request starts the socket, once the current task is
  // done, so the topics a page subscribes to as it renders all go in the socket's URL.
  start(): void {
    if (this.started) return;
    this.started = true;
    queueMicrotask(() => {
      if (this.socket === null && this.state === 'closed' && this.reconnectTimer === null) this.connect();
    });
  }

  // Drops the socket and connects again at once: after login or logout, because the server reads
  // the session cookie at the upgrade. Subscriptions survive and are renewed on the new socket.
  restart(): void {
    if (!this.started) return;
    this.attempt = 0;
    this.clearReconnect();
    const old = this.socket;
    this.detach(new WsError('restarted', 'Соединение переустанавливается.'));
    old?.close(1000, 'restart');
    this.connect();
  }

  // Sends one op and resolves with the reply's data; waits for the connection if it is not open yet.
  request<T = unknown>(op: string, fields: Record<string, unknown> = {}): Promise<T> {
    this.start();
    return new Promise<T>((resolve, reject) => {
      const deadline = setTimeout(() => {
        const index = this.waitingForOpen.indexOf(send);
        if (index >= 0) this.waitingForOpen.splice(index, 1);
        reject(new WsError('timeout', 'Сервер не ответил вовремя.'));
      }, this.requestTimeoutMs);
      const send = () => {
        clearTimeout(deadline);
        this.send(op, fields).then((data) => resolve(data as T), reject);
      };
      if (this.state === 'open') send();
      else this.waitingForOpen.push(send);
    });
  }

  // Subscribes to a topic; several listeners of one topic share one server subscription.
  // Returns the function that removes this listener (and unsubscribes when it was the last).
  subscribe(topicName: string, handlers: TopicHandlers): () => void {
    let topic = this.topics.get(topicName);
    if (!topic) {
      topic = { listeners: new Set(), lastData: undefined, subscribed: false, lastSeq: undefined, seenSeq: undefined };
      this.topics.set(topicName, topic);
      if (this.state === 'open') this.subscribeOnServer(topicName, topic);
    } else if (topic.subscribed) {
      const data = topic.lastData;
      queueMicrotask(() => handlers.onSubscribed?.(data));
    }
    topic.listeners.add(handlers);
    this.start();

    return () => {
      const current = this.topics.get(topicName);
      if (!current) return;
      current.listeners.delete(handlers);
      if (current.listeners.size > 0) return;
      this.topics.delete(topicName);
      if (this.state === 'open' && current.subscribed) {
        this.send('unsubscribe', { topic: topicName }).catch(() => undefined);
      }
    };
  }

  private connect(): void {
    this.setState('connecting');
    const inUrl = new Map<string, { topic: Topic; id: number }>();
    for (const [name, topic] of this.topics) {
      if (inUrl.size === kMostSubscribesInUrl) break;
      inUrl.set(name, { topic, id: this.nextId++ });
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.urlAsking(inUrl));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('open');
      this.startPing();
      // A topic asked for in the URL and dropped since still gets its reply, which unsubscribes it.
      for (const [name, asked] of inUrl) this.subscribeOnServer(name, asked.topic, asked.id);
      for (const [name, topic] of this.topics) {
        if (inUrl.get(name)?.topic !== topic) this.subscribeOnServer(name, topic);
      }
      const waiting = this.waitingForOpen.splice(0);
      for (const send of waiting) send();
    });
    socket.addEventListener('message', (e) => {
      if (this.socket !== socket) return;
      this.onMessage(e.data);
    });
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return;
      this.detach(new WsError('disconnected', 'Соединение с сервером прервано.'));
      if (e.code === kSessionChangedClose) {
        this.attempt = 0;
        this.connect();
        for (const listener of this.identityListeners) listener();
        return;
      }
      this.scheduleReconnect();
    });
    // An 'error' is always followed by 'close', which does the work.
  }

  // Forgets the current socket: fails what waits for a reply, marks topics for re-subscribe.
  private detach(error: WsError): void {
    this.socket = null;
    this.stopPing();
    for (const topic of this.topics.values()) topic.subscribed = false;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.setState('closed');
  }

  private scheduleReconnect(): void {
    this.clearReconnect();
    // Exponential backoff with full jitter, so that many pages do not return in one wave after a restart.
    const ceiling = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt);
    const delay = this.minBackoffMs / 2 + Math.random() * ceiling;
    this.attempt = Math.min(this.attempt + 1, 16);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private startPing(): void {
    this.stopPing();
    // A ping that gets no reply means the connection is dead without a close frame: drop it and reconnect.
    this.pingTimer = setInterval(() => {
      const socket = this.socket;
      this.send('ping').catch((e: WsError) => {
        if (e.code === 'timeout' && this.socket === socket && socket) socket.close(4000, 'ping timeout');
      });
    }, this.pingIntervalMs);
  }

  private stopPing(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  // The socket's URL with a subscribe for each topic in `asked`, from the last number seen on it.
  private urlAsking(asked: Map<string, { topic: Topic; id: number }>): string {
    if (asked.size === 0) return this.url;
    const params = [...asked].map(([name, { topic, id }]) => {
      const fields = topic.lastSeq !== undefined ? [id, name, topic.lastSeq] : [id, name];
      return `subscribe=${encodeURIComponent(fields.join(','))}`;
    });
    return `${this.url}${this.url.includes('?') ? '&' : '?'}${params.join('&')}`;
  }

  // Sends a subscribe, or with `askedId` waits for the reply to the one asked in the socket's URL.
  private subscribeOnServer(name: string, topic: Topic, askedId?: number): void {
    topic.seenSeq = undefined;
    const since = topic.lastSeq !== undefined ? { since: topic.lastSeq } : {};
    const reply = askedId === undefined ? this.send('subscribe', { topic: name, ...since }) : this.expect(askedId);
    reply.then(
      (data) => {
        if (this.topics.get(name) !== topic) {
          // The last listener left while the reply was on its way: the server holds a subscription
          // nobody wants. (A newer entry for the same topic keeps it instead.)
          if (!this.topics.has(name)) this.send('unsubscribe', { topic: name }).catch(() => undefined);
          return;
        }
        topic.subscribed = true;
        const reply = (data ?? {}) as { resumed?: unknown; seq?: unknown };
        // Resumed: what was missed (or a resync) comes as pushes; the page keeps its state.
        if (reply.resumed === true) return;
        if (typeof reply.seq === 'number') topic.lastSeq = Math.max(reply.seq, topic.seenSeq ?? 0);
        else topic.lastSeq = topic.seenSeq;
        topic.lastData = data;
        for (const l of topic.listeners) l.onSubscribed?.(data);
      },
      (error: WsError) => {
        if (this.topics.get(name) !== topic) return;
        // A dropped connection re-subscribes on its own; only a refusal is the listeners' business.
        if (error.code === 'disconnected' || error.code === 'restarted') return;
        for (const l of topic.listeners) l.onError?.(error);
      },
    );
  }

  private send(op: string, fields: Record<string, unknown> = {}): Promise<unknown> {
    const socket = this.socket;
    if (!socket || this.state !== 'open') {
      return Promise.reject(new WsError('disconnected', 'Нет соединения с сервером.'));
    }
    const id = this.nextId++;
    const reply = this.expect(id);
    socket.send(JSON.stringify({ ...fields, op, id }));
    return reply;
  }

  // The reply with "re": id, to an op sent or a subscribe asked in the socket's URL.
  private expect(id: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new WsError('timeout', 'Сервер не ответил вовремя.'));
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  private onMessage(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null) return;
      message = parsed as Record<string, unknown>;
    } catch {
      return;
    }

    if (typeof message.re === 'number') {
      const pending = this.pending.get(message.re);
      if (!pending) return;
      this.pending.delete(message.re);
      clearTimeout(pending.timer);
      const error = message.error as { code?: unknown; message?: unknown } | undefined;
      if (error && typeof error === 'object') {
        pending.reject(
          new WsError(
            typeof error.code === 'string' ? error.code : 'error',
            typeof error.message === 'string' && error.message ? error.message : 'Сервер отклонил запрос.',
          ),
        );
      } else {
        pending.resolve(message.data);
      }
      return;
    }

    if (typeof message.topic === 'string' && typeof message.event === 'string') {
      const topic = this.topics.get(message.topic);
      if (!topic) return;
      if (typeof message.seq === 'number') {
        topic.lastSeq = message.seq;
        topic.seenSeq = message.seq;
      }
      if (message.event === 'resync') {
        topic.lastData = message.data;
        for (const l of [...topic.listeners]) l.onSubscribed?.(message.data);
        return;
      }
      for (const l of [...topic.listeners]) l.onEvent?.(message.event, message.data);
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const l of [...this.stateListeners]) l(state);
  }
}

// The page's shared connection.
export const ws = new WsClient();
