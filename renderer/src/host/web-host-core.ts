// The web host adapter's logic, with the browser injected (location, history, window.open, fetch,
// sessionStorage, WebSocket) so the same code is tested for real against `hearth serve` from Node.
// web-host.ts binds it to the browser. Logs in by trading the one-time code in the URL's fragment for a
// session (kept in sessionStorage: this origin and port only, this tab only, no cookie), then speaks the
// contract's ClientFrame/ServerFrame over one WebSocket, reconnecting while the session is good.
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

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface WebHostEnv {
  location: { host: string; pathname: string; search: string; hash: string };
  /** Rewrite the address bar without navigating (history.replaceState). */
  replaceUrl(url: string): void;
  openWindow(url: string): void;
  /** A same-origin request (fetch); rejects only when the server cannot be reached. */
  request(method: 'GET' | 'POST', path: string, opts: { headers?: Record<string, string>; json?: unknown }): Promise<HttpAnswer>;
  /** sessionStorage. */
  storage: { get(key: string): string | null; set(key: string, value: string): void; remove(key: string): void };
  connect(url: string, protocols: string[], handlers: SocketHandlers): SocketHandle;
}

/** sessionStorage key of the session token. */
export const SESSION_KEY = 'hearth.session';
/** The subprotocols the page offers: `hearth`, which the server picks, and the one carrying the session. */
export function socketProtocols(session: string): string[] {
  return ['hearth', `hearth-session.${session}`];
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

/** Split `#code=` off a fragment: the login code, and the fragment without it ('' when nothing is left). */
export function takeCode(hash: string): { code: string | null; rest: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const code = params.get('code');
  if (code === null) return { code, rest: hash }; // someone else's fragment, left exactly as it is
  params.delete('code');
  const rest = params.toString();
  return { code, rest: rest ? `#${rest}` : '' };
}

const NOT_LOGGED_IN = 'Not logged in. Open a login link: `hearth open` gives a new one (or Enter where `hearth serve` runs); each link logs in one tab, once.';
const SESSION_GONE = 'This tab’s session has ended (was `hearth serve` restarted?). Open the new login link it printed, or run `hearth open` for one.';

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

  // The first load carries #code=: out of the address bar at once (no bookmark, no screenshot, no
  // history entry keeps it), then traded for a session. A reload finds the session in sessionStorage.
  const { code, rest } = takeCode(location.hash);
  if (code !== null) env.replaceUrl(`${location.pathname}${location.search}${rest}`);
  const wsUrl = `ws://${location.host}/ws`;
  let session: string | null = code === null ? env.storage.get(SESSION_KEY) : null;
  /** Set when no session can come back by retrying: the page says why and stops. */
  let loggedOut: string | null = null;

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

  const stop = (why: string): void => {
    loggedOut = why;
    for (const id of [...pending.keys()]) settle(id)?.reject(new Error(why));
    setConnection({ connected: false, error: why, loggedOut: true });
  };

  const login = async (loginCode: string): Promise<void> => {
    try {
      const answer = await env.request('POST', '/api/session', { json: { code: loginCode } });
      const body = answer.body as { ok?: boolean; session?: unknown; error?: unknown } | null;
      if (answer.status === 200 && typeof body?.session === 'string') {
        session = body.session;
        env.storage.set(SESSION_KEY, session);
        return connect();
      }
      stop(typeof body?.error === 'string' ? body.error : `logging in failed (HTTP ${answer.status})`);
    } catch (error) {
      stop(`cannot reach Hearth at ${location.host} to log in: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  /** After the socket closed: is the session still good? 401 means it is gone for good. */
  const sessionGone = async (): Promise<boolean> => {
    try {
      const answer = await env.request('GET', '/api/session', { headers: { Authorization: `Bearer ${session}` } });
      return answer.status === 401;
    } catch {
      return false; // not answering: keep retrying
    }
  };

  const connect = (): void => {
    reconnectTimer = null;
    if (disposed || loggedOut) return;
    if (session === null) return stop(NOT_LOGGED_IN);
    const s = env.connect(wsUrl, socketProtocols(session), {
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
          error: `cannot reach Hearth at ${location.host} (code ${code}); retrying. If \`hearth serve\` was restarted, open the new login link it printed.`,
        });
        const delay = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** attempts);
        attempts += 1;
        void sessionGone().then((gone) => {
          if (disposed || loggedOut) return;
          if (gone) {
            env.storage.remove(SESSION_KEY);
            return stop(SESSION_GONE);
          }
          reconnectTimer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
        });
      },
    });
    socket = s;
  };
  if (code !== null) void login(code);
  else connect();

  return {
    host: 'web',
    invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      if (disposed) return Promise.reject(new Error('web host closed'));
      if (loggedOut) return Promise.reject(new Error(loggedOut));
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
