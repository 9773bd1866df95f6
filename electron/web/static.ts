// Serves the built renderer (out/renderer) read-only. Path traversal is impossible by construction:
// every request is decoded, resolved under the root and checked again after symlinks are followed.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { baseHeaders, htmlHeaders, sendText, speedscopeHeaders } from './headers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export const NOT_BUILT_MESSAGE =
  'The Hearth UI is not built yet, so there is nothing to show here.\n' +
  'Build it once with:\n\n    npm run build:renderer\n\n' +
  'then reload this page. (The HTTP API under /api and the WebSocket at /ws work already.)';

export type StaticTarget = { ok: true; file: string; index: boolean } | { ok: false; status: 400 | 403 };

/**
 * Map a URL pathname (still percent-encoded) to a file under `root`. Pure: no file system access.
 * `/` is index.html. Anything that decodes to a path outside `root` (`..`, encoded `%2e%2e%2f`,
 * backslashes, NUL) is 403; a malformed escape is 400.
 */
export function resolveStaticPath(root: string, pathname: string): StaticTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 403 };
  if (decoded === '/' || decoded === '' || decoded === '/index.html') {
    return { ok: true, file: resolve(root, 'index.html'), index: true };
  }
  const base = resolve(root);
  const file = resolve(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (!file.startsWith(base + sep)) return { ok: false, status: 403 };
  return { ok: true, file, index: false };
}

/** Serve GET/HEAD of a static file. `indexExtra` adds headers to the index response (the session cookie). */
export async function serveStatic(
  res: ServerResponse,
  root: string,
  pathname: string,
  port: number,
  indexExtra: Record<string, string> = {},
): Promise<void> {
  const target = resolveStaticPath(root, pathname);
  if (!target.ok) return sendText(res, target.status, target.status === 400 ? 'Bad request' : 'Forbidden');

  let real: string;
  try {
    real = await realpath(target.file);
    const realRoot = await realpath(root);
    // A symlink inside the build folder must not lead out of it.
    if (!real.startsWith(realRoot + sep)) return sendText(res, 403, 'Forbidden');
    const info = await stat(real);
    if (!info.isFile()) throw new Error('not a file');
    const isHtml = extname(real).toLowerCase() === '.html';
    const framed = real.startsWith(join(realRoot, 'speedscope') + sep);
    res.writeHead(200, {
      ...(isHtml ? (framed ? speedscopeHeaders() : htmlHeaders(port)) : { ...baseHeaders(), 'Cache-Control': 'no-cache' }),
      ...(target.index ? indexExtra : {}),
      'Content-Type': contentType(real),
      'Content-Length': String(info.size),
    });
  } catch {
    if (target.index) {
      return sendText(res, 503, NOT_BUILT_MESSAGE, indexExtra);
    }
    return sendText(res, 404, 'Not found');
  }
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
