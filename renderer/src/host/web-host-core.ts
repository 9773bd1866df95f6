// The web host adapter's logic, with the browser injected (location, history, window.open, WebSocket)
// so the same code is tested for real against `hearth serve` from Node. web-host.ts binds it to the
// browser. Speaks the contract's ClientFrame/ServerFrame over one WebSocket, reconnecting forever.
import type {
  ClientFrame,
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  HearthApi,
  HearthEvents,
  ServerFrame,
  Unsubscribe,
} from '../../../shared/contract';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(code: number): void;
}

export interface SocketHandle {
  send(data: string): void;
  close(): void;
}

export interface WebHostEnv {
  location: { host: string; pathname: string; search: string; hash: string };
  /** Rewrite the address bar without navigating (history.replaceState). */
  replaceUrl(url: string): void;
  openWindow(url: string): void;
  connect(url: string, handlers: SocketHandlers): SocketHandle;
}

export interface WebHostTuning {
  invokeTimeoutMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

export interface WebHostClient extends HearthApi {
  /** Close the socket for good (tests, page teardown). */
  dispose(): void;
}

/** Split `?token=` off a query string: the token, and the query without it ('' when nothing is left). */
export function takeToken(search: string): { token: string | null; rest: string } {
  const params = new URLSearchParams(search);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token, rest: rest ? `?${rest}` : '' };
}

/** Links the UI may open: a stack service on loopback, http only, with an explicit port. */
export function isStackUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && u.port !== '' && !u.username && !u.password;
}

interface Pending {
  frame: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type AnyListener = (payload: unknown) => void;

export function createWebHostWith(env: WebHostEnv, tuning: WebHostTuning = {}): WebHostClient {
  const { invokeTimeoutMs = 60_000, reconnectInitialMs = 250, reconnectMaxMs = 5_000 } = tuning;
  const { location } = env;

  // The first load carries ?token=. Keep it in memory (so the socket works even where cookies are
  // blocked) and take it out of the address bar so it is not bookmarked or shared with a screenshot.
  const { token, rest } = takeToken(location.search);
  if (token !== null) env.replaceUrl(`${location.pathname}${rest}${location.hash}`);
  const wsUrl = `ws://${location.host}/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  const listeners = new Map<EventName, Set<AnyListener>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: SocketHandle | null = null;
  let open = false;
  let disposed = false;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let lastConnection: string | null = null;

  const emit = <E extends EventName>(event: E, payload: HearthEvents[E]): void => {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        // One broken listener must not stop the others or the socket: report it out of band.
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  };

  const setConnection = (state: HearthEvents['connection']): void => {
    const key = JSON.stringify(state);
    if (key === lastConnection) return;
    lastConnection = key;
    emit('connection', state);
  };

  const settle = (id: number): Pending | undefined => {
    const p = pending.get(id);
    if (!p) return undefined;
    pending.delete(id);
    clearTimeout(p.timer);
    return p;
  };

  const onMessage = (data: string): void => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'result') {
      const p = settle(frame.id);
      if (!p) return;
      if (frame.ok) p.resolve(frame.result);
      else p.reject(new Error(frame.error));
    } else if (frame.type === 'event' && frame.event !== 'connection') {
      emit(frame.event, frame.payload as never);
    }
  };

  const connect = (): void => {
    reconnectTimer = null;
    if (disposed) return;
    const s = env.connect(wsUrl, {
      open() {
        if (disposed || socket !== s) return;
        open = true;
        attempts = 0;
        setConnection({ connected: true });
        // Commands issued while disconnected go out now; the server sends a fresh snapshot by itself.
        for (const p of pending.values()) {
          if (!p.sent) {
            p.sent = true;
            s.send(p.frame);
          }
        }
      },
      message(data) {
        if (socket === s) onMessage(data);
      },
      close(code) {
        if (socket !== s) return;
        socket = null;
        open = false;
        // Commands already sent may or may not have run: fail them rather than guess.
        for (const [id, p] of [...pending]) {
          if (p.sent) settle(id)?.reject(new Error('connection to Hearth lost before the command finished'));
        }
        if (disposed) return;
        setConnection({
          connected: false,
          error: `cannot reach Hearth at ${location.host} (code ${code}); retrying. If \`hearth serve\` was restarted, open the URL it printed.`,
        });
        const delay = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** attempts);
        attempts += 1;
        reconnectTimer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
      },
    });
    socket = s;
  };
  connect();

  return {
    host: 'web',
    invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      if (disposed) return Promise.reject(new Error('web host closed'));
      const id = nextId++;
      const frame: ClientFrame = { type: 'invoke', id, command, args };
      return new Promise<CommandResult<C>>((resolve, reject) => {
        const p: Pending = {
          frame: JSON.stringify(frame),
          sent: false,
          resolve: resolve as (value: unknown) => void,
          reject,
          timer: setTimeout(() => settle(id)?.reject(new Error(`${command}: no answer from Hearth after ${invokeTimeoutMs} ms`)), invokeTimeoutMs),
        };
        pending.set(id, p);
        if (open && socket) {
          p.sent = true;
          socket.send(p.frame);
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: HearthEvents[E]) => void): Unsubscribe {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as AnyListener;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    async openExternal(url: string): Promise<void> {
      if (!isStackUrl(url)) throw new Error(`refusing to open ${url}: only http://127.0.0.1:PORT or http://localhost:PORT links`);
      env.openWindow(url);
    },
    dispose() {
      disposed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) settle(id)?.reject(new Error('web host closed'));
      const s = socket;
      socket = null;
      open = false;
      s?.close();
    },
  };
}
