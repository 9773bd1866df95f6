// Who may talk to the web host. The URL `hearth serve` prints (or the file `--open` hands the browser,
// or `hearth open` mints over the owner-only control socket) carries a one-time login code; the page
// exchanges it once, over POST /api/session, for a session token, and the code is dead from then on: a
// second exchange fails loudly, on the page and in `hearth serve`'s output. A code nobody uses expires
// (CODE_TTL_MS). The session lives in the page's sessionStorage, which the browser scopes to
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

/** Codes not yet used, and sessions, are capped: each `hearth open` (or Enter in `hearth serve`) adds one. */
const MAX_CODES = 16;
const MAX_SESSIONS = 64;
const MAX_SPENT = 256;

/**
 * How long a login code stays good when nobody uses it. A link is for now: it sits in a terminal's
 * scrollback, in `.hearth/hearth.log` (`serve -d`) or in a login page file, and a later login is one
 * `hearth open` away. Sessions do not expire: they end with the tab (sessionStorage) or the host.
 */
export const CODE_TTL_MS = 15 * 60_000;

export type Exchange = { ok: true; session: string } | { ok: false; reason: 'used' | 'expired' | 'unknown' };

export interface LoginsOptions {
  /** Lifetime of an unused code (default CODE_TTL_MS). */
  codeTtlMs?: number;
  /** The clock codes expire by (tests pass a fake one). */
  now?: () => number;
}

interface PendingCode {
  expires: number;
  timer: ReturnType<typeof setTimeout>;
  onSettled: (() => void) | undefined;
}

/** One web host's codes and sessions. */
export class Logins {
  /** Unused codes (by hash), each with when it expires and what to do once it is settled (remove its login page). */
  private readonly codes = new Map<string, PendingCode>();
  /** Codes that were good once (by hash): how each ended, so a second try is told why it fails. */
  private readonly spent = new Map<string, 'used' | 'expired'>();
  private readonly sessions = new Set<string>();
  /** How long an unused code stays good. */
  readonly codeTtlMs: number;
  private readonly now: () => number;

  constructor(opts: LoginsOptions = {}) {
    this.codeTtlMs = opts.codeTtlMs ?? CODE_TTL_MS;
    this.now = opts.now ?? (() => Date.now());
  }

  /**
   * A fresh one-time login code, good for the TTL. The oldest unused code is dropped past the cap.
   * `onSettled` runs once, when the code is exchanged, expires or is dropped: whatever still holds it (a
   * login page file) can go then.
   */
  issueCode(onSettled?: () => void): string {
    const code = generateToken();
    const key = digest(code);
    // The timer removes an expired code's page on time; exchange() checks the clock itself as well.
    const timer = setTimeout(() => this.settle(key, 'expired'), this.codeTtlMs);
    timer.unref?.();
    this.codes.set(key, { expires: this.now() + this.codeTtlMs, timer, onSettled });
    if (this.codes.size > MAX_CODES) this.settle(this.codes.keys().next().value!, null);
    return code;
  }

  /** Trades a code for a new session, once, before it expires. */
  exchange(code: unknown): Exchange {
    if (typeof code !== 'string' || !TOKEN_SHAPE.test(code)) return { ok: false, reason: 'unknown' };
    const key = digest(code);
    const pending = this.codes.get(key);
    if (!pending) return { ok: false, reason: this.spent.get(key) ?? 'unknown' };
    if (this.now() >= pending.expires) {
      this.settle(key, 'expired');
      return { ok: false, reason: 'expired' };
    }
    this.settle(key, 'used');
    const session = generateToken();
    this.sessions.add(digest(session));
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    return { ok: true, session };
  }

  /** Drops every unused code (the host is closing), running what each was waiting to do. */
  dropCodes(): void {
    for (const key of [...this.codes.keys()]) this.settle(key, null);
  }

  /** Ends a pending code: remembered as used or expired, or (dropped) forgotten. */
  private settle(key: string, how: 'used' | 'expired' | null): void {
    const pending = this.codes.get(key);
    if (!pending) return;
    this.codes.delete(key);
    clearTimeout(pending.timer);
    if (how) {
      this.spent.set(key, how);
      if (this.spent.size > MAX_SPENT) this.spent.delete(this.spent.keys().next().value!);
    }
    pending.onSettled?.();
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
