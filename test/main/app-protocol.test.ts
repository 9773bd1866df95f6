// The app://hearth handler under Node, on a real build folder: what the window can load, and what it
// cannot reach however the URL is written.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, serveAppRequest } from '../../electron/main/app-protocol';
import { contentSecurityPolicy } from '../../electron/main/security';
import { testTempDir } from '../helpers/temp-dir';

function build(): string {
  const tmp = testTempDir();
  const root = join(tmp, 'out', 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(tmp, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(tmp, 'secret.txt'), join(root, 'assets', 'link.txt'));
  return root;
}

describe('serveAppRequest', () => {
  it('serves the page and its assets with their types and the CSP, HEAD without a body', async () => {
    const root = build();
    const page = await serveAppRequest(root, APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Hearth</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await serveAppRequest(root, `${APP_ORIGIN}/`)).status).toBe(200);
    const js = await serveAppRequest(root, `${APP_ORIGIN}/assets/app.js?v=1#x`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export {}');
    const head = await serveAppRequest(root, `${APP_ORIGIN}/assets/app.js`, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('never serves anything outside the build folder', async () => {
    const root = build();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', `/${'%2e%2e/'.repeat(8)}etc/passwd`, '/%00']) {
      const r = await serveAppRequest(root, `${APP_ORIGIN}${path}`);
      expect([400, 403, 404], path).toContain(r.status);
      const body = await r.text();
      expect(body, path).not.toContain('SECRET');
      expect(body, path).not.toContain('root:');
    }
  });

  it('answers only its own host and GET/HEAD; a missing file is 404, never a throw', async () => {
    const root = build();
    expect((await serveAppRequest(root, 'app://evil/index.html')).status).toBe(404);
    expect((await serveAppRequest(root, 'file:///etc/passwd')).status).toBe(404);
    expect((await serveAppRequest(root, 'nonsense')).status).toBe(400);
    expect((await serveAppRequest(root, APP_INDEX_URL, 'POST')).status).toBe(405);
    expect((await serveAppRequest(root, `${APP_ORIGIN}/nope.js`)).status).toBe(404);
    expect((await serveAppRequest(root, `${APP_ORIGIN}/assets`)).status).toBe(404);
    expect((await serveAppRequest(join(root, 'missing'), APP_INDEX_URL)).status).toBe(404);
  });

  it('is registered standard and secure, without bypassing the CSP or opening CORS', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });
});
