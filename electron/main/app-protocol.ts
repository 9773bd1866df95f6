// The window's page comes from app://hearth/, a scheme of our own (protocol.handle in index.ts), not from
// file://. Under file:// the CSP's `script-src 'self'` means "any file on the disk" to some checks, and a
// file:// page may read other local files; under app://hearth, 'self' is exactly the built renderer
// folder. This module is the whole of what the handler does, and plain: it maps a request to a file of
// out/renderer (decoded, resolved, checked again after symlinks, as the web host's static.ts does) and
// answers with a standard Response, so it runs and is tested under Node. The glue in index.ts only
// registers the scheme and hands requests here.
import { readFile, realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { contentType, resolveStaticPath } from '../web/static';
import { contentSecurityPolicy } from './security';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hearth';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * protocol.registerSchemesAsPrivileged: `standard` (real origin, relative URLs resolve like http),
 * `secure` (a secure context, like https), fetch allowed. Not bypassCSP, not corsEnabled: the page's
 * own policy applies to it, and nothing else may read from it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
}

/** The answer to one request for app://…; never throws. */
export async function serveAppRequest(rendererDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return text(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'Not found');
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method not allowed');
  const target = resolveStaticPath(rendererDir, url.pathname);
  if (!target.ok) return text(target.status, target.status === 400 ? 'Bad request' : 'Forbidden');
  try {
    const real = await realpath(target.file);
    // A symlink inside the build folder must not lead out of it.
    if (!real.startsWith((await realpath(rendererDir)) + sep)) return text(403, 'Forbidden');
    if (!(await stat(real)).isFile()) return text(404, 'Not found');
    const body = method === 'HEAD' ? null : await readFile(real);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': contentType(real),
        // Set here as well as by the session's header hook: that hook is not guaranteed to see custom schemes.
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch {
    return text(404, 'Not found');
  }
}
