// Who may talk to the web host: the holder of a random token, through a page served by this very
// origin. Pure functions over request headers so every rule is unit-testable without a socket.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** 32 random bytes, base64url: 256 bits, URL- and cookie-safe without escaping. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time token comparison. Both sides are hashed first so the buffers compared are always
 * the same length: a wrong length costs exactly as much as a wrong byte and reveals nothing.
 */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  // `given != null` is checked after the constant-time part so a missing token still does the work.
  return timingSafeEqual(a, b) && given != null && given.length === expected.length;
}

/**
 * Cookie name. It carries the port because cookies are not port-scoped: two `hearth serve` instances
 * on 127.0.0.1 would otherwise overwrite each other's session cookie.
 */
export function cookieName(port: number): string {
  return `hearth_token_${port}`;
}

/** HttpOnly so page scripts never see it; SameSite=Strict so other sites cannot ride on it. */
export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export type TokenSource = 'query' | 'cookie' | 'bearer';

/** The presented token and where it came from. Bearer wins over query over cookie. */
export function presentedToken(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  port: number,
): { token: string; source: TokenSource } | null {
  const auth = headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return { token: auth.replace(/^Bearer\s+/i, '').trim(), source: 'bearer' };
  const fromQuery = query.get('token');
  if (fromQuery != null) return { token: fromQuery, source: 'query' };
  const fromCookie = readCookie(headers.cookie, cookieName(port));
  if (fromCookie != null) return { token: fromCookie, source: 'cookie' };
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

export type AuthVerdict = { ok: true; source: TokenSource } | { ok: false; reason: string };

/**
 * The whole access decision for one request.
 * - Host must be loopback:port (DNS rebinding).
 * - The token must match (query, cookie or Bearer).
 * - WebSocket upgrades must carry our Origin (browsers always send it; a foreign page cannot fake it).
 * - Other state-changing methods: a present Origin must be ours; an absent one is accepted only with
 *   Bearer auth (a non-browser client), never with the ambient cookie.
 */
export function checkRequest(
  req: { method: string; headers: IncomingHttpHeaders; query: URLSearchParams; upgrade: boolean },
  port: number,
  token: string,
): AuthVerdict {
  if (!hostAllowed(req.headers.host, port)) return { ok: false, reason: 'bad host' };
  const presented = presentedToken(req.headers, req.query, port);
  if (!tokenMatches(presented?.token, token) || !presented) return { ok: false, reason: 'bad token' };
  const origin = req.headers.origin;
  if (req.upgrade) {
    if (!originAllowed(origin, port)) return { ok: false, reason: 'bad origin' };
  } else if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (origin != null) {
      if (!originAllowed(origin, port)) return { ok: false, reason: 'bad origin' };
    } else if (presented.source !== 'bearer') {
      return { ok: false, reason: 'missing origin' };
    }
  }
  return { ok: true, source: presented.source };
}
