// `hearth serve`: the renderer in a browser, talking to one Supervisor over HTTP + WebSocket.
// Loopback only, one-time login codes for sessions (auth.ts), DNS-rebinding- and cross-origin-proof, a
// cap on open connections. Depends on nothing but the Supervisor interface, so it serves a real stack
// and the test harness alike.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Supervisor } from '../supervisor/api';
import { handleApi } from './api';
import { checkRequest, Logins, type RequestKind } from './auth';
import { sendJson, sendText } from './headers';
import { handleLogin, type LoginEvent } from './login';
import { openLoginPage, type LoginPage } from './login-page';
import { DEFAULT_LIMITS } from './outbox';
import type { OutboxLimits } from './outbox';
import { serveStatic } from './static';
import { createWsHub } from './ws';

export interface WebHostOptions {
  supervisor: Supervisor;
  /** 0 or absent = any free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Told about every code exchange: a login, or a code used a second time (someone else may have it). */
  onLogin?: (event: LoginEvent) => void;
  /** Open connections (HTTP and WebSocket) beyond which new ones are refused (default 256). */
  maxConnections?: number;
  /** Lifetime of an unused login code (default CODE_TTL_MS, 15 minutes). */
  codeTtlMs?: number;
  /** Tuning, mostly for tests. */
  flushMs?: number;
  heartbeatMs?: number;
  limits?: Partial<OutboxLimits>;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/#code=CODE`: opening it logs one browser tab in, once, within CODE_TTL_MS. */
  readonly url: string;
  readonly port: number;
  /** Another one-time login URL (for a second browser, or `hearth open --print`). */
  loginUrl(): string;
  /**
   * Another one-time login URL, and a private page in `stateDir` (the stack's `.hearth/`) that sends a
   * browser on to it: what `--open` and `hearth open` hand the opener. The page goes when its code is
   * used, expires or is dropped, or the host closes.
   */
  loginPage(stateDir: string): { url: string; page: string };
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const LOOPBACK = '127.0.0.1';
const MAX_FRAME_BYTES = 64 * 1024;
/**
 * Far above what one developer's browser opens, far below the file-descriptor limit: 20,000 idle
 * sockets from anyone on the machine used to take every descriptor the supervisor needs for its
 * services' pipes and log files.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** A request's headers must be complete by then. */
const HEADERS_TIMEOUT_MS = 10_000;
/** A connection silent for this long is closed: idle sockets do not pile up. */
const IDLE_TIMEOUT_MS = 10_000;

function forbidden(reason: string): string {
  return `Forbidden (${reason}). Open the login link printed by \`hearth serve\`, or run \`hearth open\` for a new one.`;
}

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as const;

function rejectUpgrade(socket: Duplex, status: keyof typeof REASONS, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${body.length}\r\nX-Content-Type-Options: nosniff\r\n\r\n${body.toString('utf8')}`,
  );
}

/** The request target, or null when it does not parse (e.g. `//`): a bad request, never a crash. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    // The base only completes origin-form targets; the Host header is checked separately.
    return new URL(req.url ?? '/', `http://${LOOPBACK}`);
  } catch {
    return null;
  }
}

function kindOf(pathname: string): RequestKind {
  if (pathname === '/api/session') return 'login';
  if (pathname === '/api' || pathname.startsWith('/api/') || pathname === WS_PATH) return 'api';
  return 'page';
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const logins = new Logins({ codeTtlMs: opts.codeTtlMs });
  const { supervisor, staticDir } = opts;
  let port = 0; // known once listening; requests cannot arrive before that

  const hub = createWsHub({
    supervisor,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    flushMs: opts.flushMs ?? 50,
    heartbeatMs: opts.heartbeatMs ?? 30_000,
    maxPayload: MAX_FRAME_BYTES,
    maxInflight: 32,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    if (!url) return sendText(res, 400, 'Bad request');
    const method = req.method ?? 'GET';
    const kind = kindOf(url.pathname);
    const verdict = checkRequest({ method, headers: req.headers, kind }, port, logins);
    if (!verdict.ok) return sendText(res, verdict.status, forbidden(verdict.reason));
    if (kind === 'login') return handleLogin(req, res, logins, opts.onLogin);
    if (url.pathname === WS_PATH) return sendText(res, 426, 'WebSocket endpoint: upgrade required');
    if (kind === 'api') return handleApi(req, res, url.pathname, supervisor);
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    return serveStatic(res, staticDir, url.pathname, port);
  };

  // Idle connections are checked every second (Node's default is 30 s) against the headers timeout.
  const server = createServer({ connectionsCheckingInterval: 1000, headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: error instanceof Error ? error.message : 'internal error' });
      else res.destroy();
    });
  });

  // Connections past the cap are closed as they arrive; idle ones expire.
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // headersTimeout only counts from a request's first byte: a socket that never sends one is closed by
  // the idle timeout (the ws library lifts it from upgraded sockets, which the heartbeat watches instead).
  server.timeout = IDLE_TIMEOUT_MS;
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= maxConnections) return void socket.destroy();
    open += 1;
    socket.once('close', () => (open -= 1));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    if (!url) return rejectUpgrade(socket, 400, 'Bad request');
    const verdict = checkRequest({ method: req.method ?? 'GET', headers: req.headers, kind: 'socket' }, port, logins);
    if (!verdict.ok) return rejectUpgrade(socket, verdict.status, forbidden(verdict.reason));
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not found');
    hub.wss.handleUpgrade(req, socket, head, (ws) => hub.wss.emit('connection', ws, req));
  });

  const listening = new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${opts.port} on ${LOOPBACK} is already in use; pick another with --port or use 0 for any free port`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen({ host: LOOPBACK, port: opts.port ?? 0 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  try {
    await listening;
  } catch (error) {
    await hub.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;

  // The code travels in the fragment: never sent to a server, never in a Referer or an access log.
  const loginUrl = (onSettled?: () => void): string => `http://${LOOPBACK}:${port}/#code=${logins.issueCode(onSettled)}`;
  let closing: Promise<void> | null = null;
  return {
    url: loginUrl(),
    port,
    loginUrl: () => loginUrl(),
    loginPage(stateDir) {
      // The page exists before its code can be used: the code is only in the page and in what is returned.
      let page: LoginPage | null = null;
      let settled = false;
      const url = loginUrl(() => {
        settled = true;
        page?.remove();
      });
      page = openLoginPage(stateDir, url);
      if (settled) page.remove();
      return { url, page: page.path };
    },
    close() {
      closing ??= (async () => {
        logins.dropCodes(); // their login pages go with them
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await hub.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
