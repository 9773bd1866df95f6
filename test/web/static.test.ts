// Static serving of the built renderer: content types, security headers, traversal, symlinks, and the
// "not built" page. Pure path resolution first, then a real server over real files.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../electron/web/server';
import type { WebHost } from '../../electron/web/server';
import { resolveStaticPath } from '../../electron/web/static';
import { makeTempDir } from '../helpers/temp-dir';
import { HarnessSupervisor } from '../helpers/harness-supervisor';
import { httpGet, login, send } from './clients';

describe('resolveStaticPath', () => {
  const root = '/srv/ui';
  it('maps / and /index.html to the index', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ ok: true, file: '/srv/ui/index.html', index: true });
    expect(resolveStaticPath(root, '/index.html')).toEqual({ ok: true, file: '/srv/ui/index.html', index: true });
    expect(resolveStaticPath(root, '/assets/a%20b.js')).toEqual({ ok: true, file: '/srv/ui/assets/a b.js', index: false });
  });

  it('refuses anything that leaves the root', () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/..%5cpackage.json', '/a%00.js', '/%2E%2E/x']) {
      expect(resolveStaticPath(root, p), p).toEqual({ ok: false, status: 403 });
    }
    expect(resolveStaticPath(root, '/%E0%A4%A')).toEqual({ ok: false, status: 400 });
    // Staying inside is fine even with dot segments.
    expect(resolveStaticPath(root, '/assets/../assets/x.js')).toMatchObject({ ok: true, file: resolve(root, 'assets/x.js') });
  });
});

describe('static files over HTTP', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let host: WebHost;
  let root: string;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    tmp = makeTempDir('hs-');
    root = join(tmp.dir, 'out', 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
    writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
    writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0, 1, 2]));
    writeFileSync(join(root, 'assets', 'blob.xyz'), 'x');
    mkdirSync(join(root, 'speedscope'));
    writeFileSync(join(root, 'speedscope', 'index.html'), '<!doctype html><title>speedscope</title>');
    writeFileSync(join(tmp.dir, 'package.json'), '{"secret":true}');
    writeFileSync(join(tmp.dir, 'out', 'package.json'), '{"secret":true}');
    symlinkSync(join(tmp.dir, 'package.json'), join(root, 'assets', 'link.json'));
    host = await startWebHost({ supervisor: new HarnessSupervisor(), staticDir: root });
    bearer = { Authorization: `Bearer ${await login(host.port, host.url)}` };
  });

  afterAll(async () => {
    await host.close();
    tmp.cleanup();
  });

  it('serves index.html with the security headers and no caching', async () => {
    const r = await httpGet(host.port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Hearth</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    const p = host.port;
    expect(r.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws://127.0.0.1:${p} ws://localhost:${p}; ` +
        "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it("frames speedscope's page (the flame graph) from the same origin only, and lets it fetch nothing but blob: URLs", async () => {
    const r = await httpGet(host.port, '/speedscope/index.html', bearer);
    expect(r.status).toBe(200);
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain('connect-src blob:;');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Any other page keeps its own policy: no framing at all.
    expect((await httpGet(host.port, '/')).headers['x-frame-options']).toBe('DENY');
  });

  it('serves assets with their content types, HEAD without a body', async () => {
    const types: Record<string, string> = {
      '/assets/app.js': 'text/javascript; charset=utf-8',
      '/assets/app.css': 'text/css; charset=utf-8',
      '/assets/logo.svg': 'image/svg+xml',
      '/assets/font.woff2': 'font/woff2',
      '/assets/blob.xyz': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await httpGet(host.port, path, bearer);
      expect(r.status, path).toBe(200);
      expect(r.headers['content-type'], path).toBe(type);
    }
    const head = await send(host.port, 'HEAD', '/assets/app.js', bearer);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('9');
    expect(head.body).toBe('');
  });

  it('404s missing files and folders', async () => {
    expect((await httpGet(host.port, '/nope.js', bearer)).status).toBe(404);
    expect((await httpGet(host.port, '/assets', bearer)).status).toBe(404);
    expect((await httpGet(host.port, '/assets/', bearer)).status).toBe(404);
  });

  it('never serves a file outside the build folder', async () => {
    const attempts = [
      '/../package.json',
      '/../../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5c..%5cpackage.json',
      '/%252e%252e%252fpackage.json',
      '/assets/link.json',
      `/${'%2e%2e/'.repeat(10)}etc/passwd`,
    ];
    for (const path of attempts) {
      const r = await httpGet(host.port, path, bearer);
      expect([400, 403, 404], path).toContain(r.status);
      expect(r.body, path).not.toContain('secret');
      expect(r.body, path).not.toContain('root:');
    }
  });

  it('explains how to build the UI when index.html is missing, and recovers once it exists', async () => {
    rmSync(join(root, 'index.html'));
    try {
      const r = await httpGet(host.port, '/');
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build:renderer');
    } finally {
      writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
    }
    expect((await httpGet(host.port, '/', bearer)).status).toBe(200);
  });

  it('works when the static folder does not exist at all', async () => {
    const other = await startWebHost({ supervisor: new HarnessSupervisor(), staticDir: join(tmp.dir, 'missing') });
    try {
      const r = await httpGet(other.port, '/');
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build:renderer');
      const api = await httpGet(other.port, '/api/status', { Authorization: `Bearer ${await login(other.port, other.url)}` });
      expect(api.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
