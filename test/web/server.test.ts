// The web host's security and HTTP API, against a real server on a real port with real HTTP clients.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../electron/web/server';
import type { WebHost } from '../../electron/web/server';
import { makeTempDir } from '../helpers/temp-dir';
import { HarnessSupervisor } from '../helpers/harness-supervisor';
import { waitFor } from '../helpers/wait-for';
import { bearer, codeOf, handshakeStatus, httpGet, login, openSocket, postJson, send } from './clients';
import type { HttpReply } from './clients';

let tmp: ReturnType<typeof makeTempDir>;
let host: WebHost;
let sup: HarnessSupervisor;
let port: number;
const replies: HttpReply[] = [];

/** Every reply goes through here so the suite can check headers and bodies of all of them. */
async function track(p: Promise<HttpReply>): Promise<HttpReply> {
  const r = await p;
  replies.push(r);
  return r;
}
let session = '';
const auth = (): Record<string, string> => ({ Authorization: `Bearer ${session}` });
const origin = (): string => `http://127.0.0.1:${port}`;
const logins: Array<{ kind: string }> = [];

beforeAll(async () => {
  tmp = makeTempDir('hw-');
  const root = join(tmp.dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("hearth")');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'TOP SECRET');
  sup = new HarnessSupervisor();
  host = await startWebHost({ supervisor: sup, port: 0, staticDir: root, onLogin: (e) => logins.push(e) });
  port = host.port;
  session = await login(port, host.url);
});

afterAll(async () => {
  await host.close();
  tmp.cleanup();
});

describe('startWebHost', () => {
  it('returns a 127.0.0.1 URL carrying a 256-bit one-time code in its fragment, and a fresh one on every ask', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/#code=[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(codeOf(host.url), 'base64url')).toHaveLength(32);
    const more = new Set([host.loginUrl(), host.loginUrl(), host.loginUrl()].map(codeOf));
    expect(more.size).toBe(3);
    expect(more.has(codeOf(host.url))).toBe(false);
  });

  it('listens on 127.0.0.1 only', async () => {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (other) {
      const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        const s = connect({ host: other.address, port }, () => {
          s.destroy();
          resolve(null);
        });
        s.on('error', resolve);
      });
      expect(error?.code).toBe('ECONNREFUSED');
    }
    // Either way, the loopback address answers.
    expect((await track(httpGet(port, '/'))).status).toBe(200);
  });

  it('reports a busy port readably', async () => {
    await expect(startWebHost({ supervisor: sup, staticDir: tmp.dir, port })).rejects.toThrow(/already in use/);
  });
});

describe('logging in', () => {
  it('trades a code for a session once; the second try fails loudly and is reported', async () => {
    const url = host.loginUrl();
    const first = await track(postJson(port, '/api/session', { code: codeOf(url) }, { Origin: origin() }));
    expect(first.status).toBe(200);
    const { session: s } = JSON.parse(first.body) as { session: string };
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s).not.toBe(codeOf(url));
    const before = logins.length;
    const again = await track(postJson(port, '/api/session', { code: codeOf(url) }, { Origin: origin() }));
    expect(again.status).toBe(403);
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, used: true, error: expect.stringMatching(/^This login link was already used/) });
    expect(logins.slice(before)).toEqual([{ kind: 'reused' }]);
    // The session it gave still works, and the code cannot be turned into one.
    expect((await track(httpGet(port, '/api/status', bearer(s)))).status).toBe(200);
    expect((await track(httpGet(port, '/api/status', bearer(codeOf(url))))).status).toBe(401);
  });

  it('refuses unknown codes, junk, a foreign Origin, and non-JSON', async () => {
    const code = codeOf(host.loginUrl());
    const wrong = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    for (const body of [{ code: wrong }, { code: '' }, { code: 42 }, {}, null]) {
      const r = await track(postJson(port, '/api/session', body, { Origin: origin() }));
      expect(r.status, JSON.stringify(body)).toBe(403);
      expect(JSON.parse(r.body).error).toMatch(/unknown login code/);
    }
    expect((await track(postJson(port, '/api/session', { code }, { Origin: 'http://evil.com' }))).status).toBe(403);
    expect((await track(send(port, 'POST', '/api/session', { 'Content-Type': 'text/plain', Origin: origin() }, JSON.stringify({ code })))).status).toBe(415);
    expect((await track(postJson(port, '/api/session', { code, pad: 'x'.repeat(2000) }, { Origin: origin() }))).status).toBe(413);
    // None of that used the code up.
    expect((await track(postJson(port, '/api/session', { code }, { Origin: origin() }))).status).toBe(200);
  });

  it('says whether a session is still good (the page asks after its socket was refused)', async () => {
    expect((await track(httpGet(port, '/api/session', auth()))).status).toBe(200);
    expect((await track(httpGet(port, '/api/session', bearer('x'.repeat(43))))).status).toBe(401);
    expect((await track(httpGet(port, '/api/session'))).status).toBe(401);
  });
});

describe('login pages (serve --open, hearth open)', () => {
  it('writes a private, randomly named redirect to a fresh one-time link, gone once the link is used', async () => {
    const state = join(tmp.dir, 'state-used');
    mkdirSync(state, { mode: 0o700 });
    const a = host.loginPage(state);
    const b = host.loginPage(state);
    expect(a.page).not.toBe(b.page);
    expect(a.page).toMatch(new RegExp(`^${state}/login-[0-9a-f]{16}\\.html$`));
    expect(statSync(a.page).mode & 0o777).toBe(0o600);
    expect(readFileSync(a.page, 'utf8')).toContain(`content="0;url=${a.url}"`);
    expect(codeOf(a.url)).not.toBe(codeOf(b.url));
    expect((await track(postJson(port, '/api/session', { code: codeOf(a.url) }, { Origin: origin() }))).status).toBe(200);
    expect(existsSync(a.page)).toBe(false);
    expect(existsSync(b.page)).toBe(true);
    expect((await track(postJson(port, '/api/session', { code: codeOf(b.url) }, { Origin: origin() }))).status).toBe(200);
    expect(readdirSync(state)).toEqual([]);
  });

  it('an unused link expires: refused as such, saying how to get another, its page removed on time and at close', async () => {
    const state = join(tmp.dir, 'state-expiring');
    mkdirSync(state, { mode: 0o700 });
    const short = await startWebHost({ supervisor: sup, staticDir: tmp.dir, codeTtlMs: 300 });
    let closed = false;
    try {
      const first = codeOf(short.url);
      const { url, page } = short.loginPage(state);
      // Waiting on the page's removal: that is the expiry happening.
      await waitFor(() => !existsSync(page), { what: 'the expired login page to be removed' });
      for (const code of [first, codeOf(url)]) {
        const r = await track(postJson(short.port, '/api/session', { code }, { Origin: `http://127.0.0.1:${short.port}` }));
        expect(r.status).toBe(403);
        expect(JSON.parse(r.body)).toEqual({
          ok: false,
          expired: true,
          error: 'This login link expired: a link is good for 300 ms. For a new link, run `hearth open` (or press Enter where `hearth serve` runs).',
        });
      }
      const pending = short.loginPage(state);
      expect(existsSync(pending.page)).toBe(true);
      await short.close();
      closed = true;
      expect(readdirSync(state)).toEqual([]);
    } finally {
      if (!closed) await short.close();
    }
  });
});

describe('authentication', () => {
  it('serves the page itself to anyone on loopback (it holds nothing secret), without any cookie', async () => {
    for (const path of ['/', '/assets/app.js']) {
      const r = await track(httpGet(port, path));
      expect(r.status, path).toBe(200);
      expect(r.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('401s the API and the socket without a session, or with a wrong one of the right length', async () => {
    const sameLength = session.slice(0, -1) + (session.endsWith('A') ? 'B' : 'A');
    for (const headers of [{}, bearer(sameLength), bearer(`${session}x`), bearer(''), { Cookie: `hearth_token_${port}=${session}` }]) {
      const r = await track(httpGet(port, '/api/status', headers));
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
    }
    expect((await track(httpGet(port, `/api/status?token=${session}`))).status).toBe(401);
    expect(await handshakeStatus(port, { session: sameLength })).toBe(401);
    expect(await handshakeStatus(port, { path: `/ws?token=${session}` })).toBe(401);
  });

  it('accepts the session as a Bearer header', async () => {
    const r = await track(httpGet(port, '/api/status', auth()));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).services.map((s: { name: string }) => s.name)).toEqual(['api', 'db']);
  });

  it('403s a foreign Host even with a good session (DNS rebinding)', async () => {
    for (const h of [`evil.com:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.com:${port}`]) {
      expect((await track(httpGet(port, '/', { Host: h }))).status, h).toBe(403);
      expect((await track(httpGet(port, '/api/status', { ...auth(), Host: h }))).status, h).toBe(403);
    }
    expect((await track(httpGet(port, '/api/status', { ...auth(), Host: `localhost:${port}` }))).status).toBe(200);
  });

  it('403s a POST from a foreign Origin, even with a good session', async () => {
    expect((await track(postJson(port, '/api/command/status', {}, { ...auth(), Origin: 'http://evil.com' }))).status).toBe(403);
    expect((await track(postJson(port, '/api/command/status', {}, { ...auth(), Origin: 'null' }))).status).toBe(403);
    expect((await track(postJson(port, '/api/command/status', {}, { ...auth(), Origin: origin() }))).status).toBe(200);
    expect((await track(postJson(port, '/api/command/status', {}, auth()))).status).toBe(200);
  });

  it('403s a WebSocket upgrade from a foreign Origin or with no Origin, and takes the session as subprotocol or Bearer', async () => {
    expect(await handshakeStatus(port, { origin: 'http://evil.com', session })).toBe(403);
    expect(await handshakeStatus(port, { origin: null, session })).toBe(403);
    expect(await handshakeStatus(port, { origin: null, headers: auth() })).toBe(403);
    expect(await handshakeStatus(port, { headers: {} })).toBe(401);
    expect(await handshakeStatus(port, { session, headers: { Host: `evil.com:${port}` } })).toBe(403);
    expect(await handshakeStatus(port, { session, path: '/elsewhere' })).toBe(404);
    expect(await handshakeStatus(port, { session })).toBe(101);
    expect(await handshakeStatus(port, { origin: `http://localhost:${port}`, headers: auth() })).toBe(101);
  });

  it('answers the subprotocol handshake with `hearth`, never echoing the session', async () => {
    const s = await openSocket(port, { session });
    expect(s.ws.protocol).toBe('hearth');
    s.ws.close();
  });
});

describe('HTTP API', () => {
  it('runs a command and returns its result', async () => {
    const r = await track(postJson(port, '/api/command/start', { services: ['api'] }, auth()));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: { services: ['api'] } });
    expect(sup.invokes.at(-1)).toEqual({ command: 'start', args: { services: ['api'] } });
  });

  it('treats an empty JSON body as no arguments', async () => {
    const r = await track(send(port, 'POST', '/api/command/status', { ...auth(), 'Content-Type': 'application/json' }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).result.stack.name).toBe('demo');
  });

  it('refuses bodies that are not JSON', async () => {
    const text = await track(send(port, 'POST', '/api/command/start', { ...auth(), 'Content-Type': 'text/plain' }, '{}'));
    expect(text.status).toBe(415);
    const broken = await track(send(port, 'POST', '/api/command/start', { ...auth(), 'Content-Type': 'application/json' }, '{nope'));
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toEqual({ ok: false, error: 'body is not valid JSON' });
    const big = await track(
      send(port, 'POST', '/api/command/start', { ...auth(), 'Content-Type': 'application/json' }, `"${'x'.repeat(70 * 1024)}"`),
    );
    expect(big.status).toBe(413);
  });

  it('400s unknown commands and bad arguments with a readable message', async () => {
    const before = sup.invokes.length;
    const unknown = await track(postJson(port, '/api/command/explode', {}, auth()));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: 'unknown command "explode"' });
    const bad = await track(postJson(port, '/api/command/start', { services: ['../etc'] }, auth()));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/^start: services\.0: not a service name/);
    const extra = await track(postJson(port, '/api/command/reload', { force: true }, auth()));
    expect(extra.status).toBe(400);
    expect(JSON.parse(extra.body).error).toMatch(/^reload: /);
    const proto = await track(postJson(port, '/api/command/__proto__', {}, auth()));
    expect(proto.status).toBe(400);
    expect(sup.invokes.length).toBe(before);
  });

  it('refuses web_login with a good session: one login may not mint itself more (only the control socket may)', async () => {
    const before = sup.invokes.length;
    for (const args of [{}, { page: true }]) {
      const r = await track(postJson(port, '/api/command/web_login', args, auth()));
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: 'web_login: only the control socket carries this command (run `hearth open` in a terminal)' });
    }
    expect(sup.invokes.length).toBe(before);
  });

  it('reports a failing command as ok:false', async () => {
    sup.onInvoke(() => {
      throw new Error('no such service: web');
    });
    try {
      const r = await track(postJson(port, '/api/command/restart', { services: ['web'] }, auth()));
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: 'no such service: web' });
    } finally {
      sup.onInvoke(null);
    }
  });

  it('answers wrong methods and unknown routes', async () => {
    expect((await track(httpGet(port, '/api/command/status', auth()))).status).toBe(405);
    expect((await track(send(port, 'POST', '/api/status', { ...auth(), 'Content-Type': 'application/json' }, '{}'))).status).toBe(405);
    expect((await track(httpGet(port, '/api/nothing', auth()))).status).toBe(404);
    expect((await track(send(port, 'DELETE', '/', { ...auth(), Origin: origin() }))).status).toBe(405);
    expect((await track(httpGet(port, '/ws', auth()))).status).toBe(426);
  });
});

/** Send raw bytes (a request no HTTP client would form) and return the status line. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(text));
    let got = '';
    s.on('data', (d) => (got += d.toString()));
    s.on('end', () => resolve(got.split('\r\n')[0] ?? ''));
    s.on('error', reject);
  });
}

describe('malformed requests', () => {
  it('answers unparsable targets with 400 and keeps serving', async () => {
    const h = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n`;
    expect(await raw(`GET // HTTP/1.1\r\n${h}\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    const upgrade = `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n`;
    expect(await raw(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${upgrade}\r\n`)).toBe('HTTP/1.1 400 Bad Request');
    expect((await track(httpGet(port, '/api/status', auth()))).status).toBe(200);
  });
});

describe('every response', () => {
  it('has no CORS headers, nosniff and no-referrer, sets no cookie, and never contains the session', async () => {
    // A CORS preflight from a foreign page gets no permission either.
    await track(send(port, 'OPTIONS', '/api/command/start', { Origin: 'http://evil.com', 'Access-Control-Request-Method': 'POST' }));
    expect(replies.length).toBeGreaterThan(40);
    for (const r of replies) {
      for (const name of Object.keys(r.headers)) expect(name).not.toMatch(/^access-control-/i);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(r.body).not.toContain(session);
    }
  });
});
