/**
 * The Content-Security-Policy of speedscope's page (the flame graph, framed by Hearth's page), the same in
 * the desktop window (electron/main/security.ts) and from the web host (electron/web/headers.ts): its
 * CSS-in-JS needs inline styles, and it may fetch nothing but the blob: URL of the profile it is given, so
 * even a flaw in it cannot reach the API.
 */
export const SPEEDSCOPE_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  'connect-src blob:',
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
