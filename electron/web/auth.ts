// Who may talk to the web host. The URL `hearth serve` prints (or the file `--open` hands the browser)
// carries a one-time login code; the page exchanges it once, over POST /api/session, for a session
// token, and the code is dead from then on: a second exchange fails loudly, on the page and in
// `hearth serve`'s output. The session lives in the page's sessionStorage, which the browser scopes to
// this origin, port included, and travels in an `Authorization: Bearer` header (HTTP) or as a
// WebSocket subprotocol (the browser's WebSocket cannot set headers). No cookie: cookies are not
// port-scoped, so a page another user serves on another port of 127.0.0.1 would receive it.
// Pure over request headers, so every rule is unit-testable without a socket.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** 32 random bytes, base64url: 256 bits, URL-safe without escaping. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Secrets are kept only as their hash: a lookup by hash tells nothing about a secret by its timing. */
function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The WebSocket subprotocol the page asks for; the server answers with this one only. */
export const WS_PROTOCOL = 'hearth';
/** Prefix of the subprotocol that carries the session (`hearth-session.<token>`). */
export const WS_SESSION_PREFIX = 'hearth-session.';

/** Codes not yet used, and sessions, are capped: each `hearth open`-style request adds one. */
const MAX_CODES = 16;
const MAX_SESSIONS = 64;
const MAX_USED = 256;

export type Exchange = { ok: true; session: string } | { ok: false; reason: 'used' | 'unknown' };

/** One web host's codes and sessions. */
export class Logins {
  private readonly codes = new Set<string>();
  private readonly used = new Set<string>();
  private readonly sessions = new Set<string>();

  /** A fresh one-time login code. The oldest unused code is dropped past the cap. */
  issueCode(): string {
    const code = generateToken();
    this.codes.add(digest(code));
    if (this.codes.size > MAX_CODES) this.codes.delete(this.codes.values().next().value!);
    return code;
  }

  /** Trades a code for a new session, once. */
  exchange(code: unknown): Exchange {
    if (typeof code !== 'string' || !TOKEN_SHAPE.test(code)) return { ok: false, reason: 'unknown' };
    const key = digest(code);
    if (!this.codes.delete(key)) return { ok: false, reason: this.used.has(key) ? 'used' : 'unknown' };
    this.used.add(key);
    if (this.used.size > MAX_USED) this.used.delete(this.used.values().next().value!);
    const session = generateToken();
    this.sessions.add(digest(session));
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    return { ok: true, session };
  }

  isSession(token: string | null): boolean {
    return token !== null && TOKEN_SHAPE.test(token) && this.sessions.has(digest(token));
  }
}

/** The session a request presents: `Authorization: Bearer …`, or (WebSocket) the session subprotocol. */
export function presentedSession(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const protocols = headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',')) {
      const value = p.trim();
      if (value.startsWith(WS_SESSION_PREFIX)) return value.slice(WS_SESSION_PREFIX.length);
    }
  }
  return null;
}

/** DNS-rebinding guard: the browser must believe it is talking to loopback on our port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}

/** Origins of pages this server itself serves. */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin != null && allowedOrigins(port).includes(origin.toLowerCase());
}

export type AuthVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** What a request is for, as far as access goes. */
export type RequestKind = 'page' | 'login' | 'api' | 'socket';

/**
 * The whole access decision for one request.
 * - Host must be loopback:port (DNS rebinding), always.
 * - `page` (the built UI: public files, nothing secret in them) needs nothing more.
 * - `login` (the code exchange) and `api`: a present Origin must be ours (the page's own fetch sends
 *   it); there is no ambient credential a foreign page could ride on, so none is needed for CSRF.
 * - `api` and `socket` need a live session. WebSocket upgrades must carry our Origin (browsers always
 *   send it; a foreign page cannot fake it).
 */
export function checkRequest(
  req: { method: string; headers: IncomingHttpHeaders; kind: RequestKind },
  port: number,
  logins: Logins,
): AuthVerdict {
  if (!hostAllowed(req.headers.host, port)) return { ok: false, status: 403, reason: 'bad host' };
  if (req.kind === 'page') return { ok: true };
  const origin = req.headers.origin;
  if (req.kind === 'socket' ? !originAllowed(origin, port) : origin != null && !originAllowed(origin, port)) {
    return { ok: false, status: 403, reason: 'bad origin' };
  }
  if (req.kind === 'login') return { ok: true };
  if (!logins.isSession(presentedSession(req.headers))) return { ok: false, status: 401, reason: 'no session' };
  return { ok: true };
}
