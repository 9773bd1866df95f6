// Response headers shared by every route. No CORS headers, ever: only pages served by this origin may
// use the API, and the browser's same-origin policy is the enforcement.
import type { ServerResponse } from 'node:http';
import { SPEEDSCOPE_POLICY } from '../../shared/speedscope-policy';

/** Headers on every response: no sniffing, no Referer (the first URL carries the token), no framing. */
export function baseHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The speedscope page (the flame graph, framed by the Hearth page): its own policy (shared/speedscope-policy.ts). */
export function speedscopeHeaders(): Record<string, string> {
  return {
    ...baseHeaders(),
    'X-Frame-Options': 'SAMEORIGIN',
    'Content-Security-Policy': SPEEDSCOPE_POLICY,
    'Cache-Control': 'no-store',
  };
}

export function htmlHeaders(port: number): Record<string, string> {
  return { ...baseHeaders(), 'Content-Security-Policy': contentSecurityPolicy(port), 'Cache-Control': 'no-store' };
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    ...baseHeaders(),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
