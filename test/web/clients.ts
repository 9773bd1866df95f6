// Real clients for the web host tests: node:http (so Host/Origin/Cookie are under the test's control)
// and the `ws` package, recording every frame it receives.
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';
import type { ServerFrame } from '../../shared/contract';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return send(port, 'GET', path, headers);
}

export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  host = '127.0.0.1',
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // setHost: false lets a test send any Host header, or none.
      { host, port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers }, setHost: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function postJson(port: number, path: string, value: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  return send(port, 'POST', path, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(value));
}

/** The one-time code of a login URL (`…/#code=CODE`). */
export function codeOf(url: string): string {
  const code = new URLSearchParams(new URL(url).hash.slice(1)).get('code');
  if (!code) throw new Error(`no #code= in ${url}`);
  return code;
}

/** Trades the login URL's code for a session, as the page does (with the page's Origin). */
export async function login(port: number, url: string): Promise<string> {
  const r = await postJson(port, '/api/session', { code: codeOf(url) }, { Origin: `http://127.0.0.1:${port}` });
  if (r.status !== 200) throw new Error(`login answered ${r.status}: ${r.body}`);
  return (JSON.parse(r.body) as { session: string }).session;
}

/** The header a script (not a browser) sends with a session. */
export function bearer(session: string): Record<string, string> {
  return { Authorization: `Bearer ${session}` };
}

export interface RecordingSocket {
  ws: WebSocket;
  frames: ServerFrame[];
  events(name: string): unknown[];
  /** Resolves with the HTTP status when the handshake is refused. */
  closed: Promise<{ code: number }>;
}

/** Open a WebSocket; resolves once open or rejects with `Unexpected server response: NNN`. */
export function openSocket(
  port: number,
  {
    origin = `http://127.0.0.1:${port}`,
    headers = {},
    path = '/ws',
    autoPong = true,
    session,
  }: { origin?: string | null; headers?: Record<string, string>; path?: string; autoPong?: boolean; session?: string } = {},
): Promise<RecordingSocket> {
  return new Promise((resolve, reject) => {
    // As the page does it: the session in the subprotocol list (the browser's WebSocket cannot set headers).
    const protocols = session ? ['hearth', `hearth-session.${session}`] : [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, {
      headers: { ...(origin ? { Origin: origin } : {}), ...headers },
      perMessageDeflate: false,
      autoPong,
    });
    const frames: ServerFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as ServerFrame));
    const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })));
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        closed,
        events: (name) => frames.filter((f) => f.type === 'event' && f.event === name).map((f) => (f as { payload: unknown }).payload),
      }),
    );
    ws.once('error', reject);
  });
}

/** The status code of a refused handshake (`ws` reports it in the error message). */
export async function handshakeStatus(port: number, opts: Parameters<typeof openSocket>[1]): Promise<number> {
  try {
    const s = await openSocket(port, opts);
    s.ws.close();
    return 101;
  } catch (error) {
    const m = /Unexpected server response: (\d+)/.exec(error instanceof Error ? error.message : '');
    if (!m) throw error;
    return Number(m[1]);
  }
}
