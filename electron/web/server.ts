// `hearth serve`: the renderer in a browser, talking to one Supervisor over HTTP + WebSocket.
// Loopback only, token-gated, DNS-rebinding- and cross-origin-proof. Depends on nothing but the
// Supervisor interface, so it serves a real stack and the test harness alike.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Supervisor } from '../supervisor/api';
import { handleApi } from './api';
import { checkRequest, generateToken, sessionCookie } from './auth';
import { sendJson, sendText } from './headers';
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
  /** Use this token instead of a random one ([A-Za-z0-9_-], at least 16 characters). */
  token?: string;
  /** Tuning, mostly for tests. */
  flushMs?: number;
  heartbeatMs?: number;
  limits?: Partial<OutboxLimits>;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: opening it as is logs the browser in. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export const WS_PATH = '/ws';
const LOOPBACK = '127.0.0.1';
const MAX_FRAME_BYTES = 64 * 1024;

function forbidden(reason: string): string {
  return `Forbidden (${reason}). Open the URL printed by \`hearth serve\`: it carries the access token.`;
}

const REASONS = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' } as const;

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

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? generateToken();
  // The token travels unescaped in a URL and a cookie, and must not be guessable.
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('web host token must be at least 16 characters of [A-Za-z0-9_-]');
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
    const verdict = checkRequest({ method, headers: req.headers, query: url.searchParams, upgrade: false }, port, token);
    if (!verdict.ok) return sendText(res, 403, forbidden(verdict.reason));
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url.pathname, supervisor);
    if (url.pathname === WS_PATH) return sendText(res, 426, 'WebSocket endpoint: upgrade required');
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    // The first load carries ?token=; the cookie keeps assets, reloads and the WebSocket logged in.
    const indexExtra: Record<string, string> = verdict.source === 'query' ? { 'Set-Cookie': sessionCookie(port, token) } : {};
    return serveStatic(res, staticDir, url.pathname, port, indexExtra);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: error instanceof Error ? error.message : 'internal error' });
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    if (!url) return rejectUpgrade(socket, 400, 'Bad request');
    const verdict = checkRequest({ method: req.method ?? 'GET', headers: req.headers, query: url.searchParams, upgrade: true }, port, token);
    if (!verdict.ok) return rejectUpgrade(socket, 403, forbidden(verdict.reason));
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

  let closing: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await hub.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
