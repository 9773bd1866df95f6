// The renderer's web adapter against the real web host: the browser parts (location, history,
// window.open, fetch, sessionStorage, WebSocket) are supplied the way a browser would, with real HTTP
// requests and a real `ws` socket that send the page's Origin like a browser does.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HearthEvents } from '../../shared/contract';
import { startWebHost } from '../../electron/web/server';
import type { WebHost } from '../../electron/web/server';
import { createWebHostWith, isStackUrl, SESSION_KEY, takeCode } from '../../renderer/src/host/web-host-core';
import type { WebHostClient, WebHostEnv, WebHostTuning } from '../../renderer/src/host/web-host-core';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor, runningStatus } from '../helpers/harness-supervisor';
import { send } from './clients';

const hosts: WebHost[] = [];
const clients: WebHostClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  for (const h of hosts.splice(0)) await h.close();
});

async function serve(sup: HarnessSupervisor, opts: { port?: number } = {}): Promise<WebHost> {
  const h = await startWebHost({ supervisor: sup, staticDir: '/nonexistent', ...opts });
  hosts.push(h);
  return h;
}

interface Browser {
  env: WebHostEnv;
  urls: string[];
  opened: string[];
  socketUrls: string[];
  /** The tab's sessionStorage. */
  storage: Map<string, string>;
  /** Every socket the page opened, to cut one from the outside (a network blip). */
  sockets: WebSocket[];
}

/** What a page loaded from `pageUrl` would provide (`storage`: sessionStorage surviving a reload). */
function browser(pageUrl: string, storage = new Map<string, string>()): Browser {
  const page = new URL(pageUrl);
  const b: Browser = {
    urls: [],
    opened: [],
    socketUrls: [],
    storage,
    sockets: [],
    env: {
      location: { host: page.host, pathname: page.pathname, search: page.search, hash: page.hash },
      replaceUrl: (url) => b.urls.push(url),
      openWindow: (url) => b.opened.push(url),
      async request(method, path, { headers = {}, json }) {
        const r = await send(Number(page.port), method, path, { Origin: page.origin, ...headers, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) }, json !== undefined ? JSON.stringify(json) : undefined);
        let body: unknown = null;
        try {
          body = JSON.parse(r.body);
        } catch {
          // not JSON
        }
        return { status: r.status, body };
      },
      storage: {
        get: (key) => storage.get(key) ?? null,
        set: (key, value) => void storage.set(key, value),
        remove: (key) => void storage.delete(key),
      },
      connect(url, protocols, handlers) {
        b.socketUrls.push(url);
        const ws = new WebSocket(url, protocols, { origin: page.origin });
        b.sockets.push(ws);
        ws.on('open', () => handlers.open());
        ws.on('message', (data) => handlers.message(data.toString()));
        ws.on('close', (code) => handlers.close(code));
        ws.on('error', () => {}); // a refused handshake also closes; that is what the adapter handles
        return { send: (data) => ws.send(data), close: () => ws.close() };
      },
    },
  };
  return b;
}

function client(b: Browser, tuning: WebHostTuning = {}): WebHostClient {
  const c = createWebHostWith(b.env, { reconnectInitialMs: 20, reconnectMaxMs: 100, ...tuning });
  clients.push(c);
  return c;
}

function record<E extends keyof HearthEvents>(c: WebHostClient, event: E): HearthEvents[E][] {
  const seen: HearthEvents[E][] = [];
  c.on(event, (p) => seen.push(p));
  return seen;
}

describe('takeCode / isStackUrl', () => {
  it('removes only the code from the fragment', () => {
    expect(takeCode('#code=abc')).toEqual({ code: 'abc', rest: '' });
    expect(takeCode('#a=1&code=abc&b=2')).toEqual({ code: 'abc', rest: '#a=1&b=2' });
    expect(takeCode('')).toEqual({ code: null, rest: '' });
    expect(takeCode('#api')).toEqual({ code: null, rest: '#api' });
  });

  it('accepts only loopback http links with a port', () => {
    expect(isStackUrl('http://127.0.0.1:3000/')).toBe(true);
    expect(isStackUrl('http://localhost:8080/health?x=1')).toBe(true);
    for (const url of ['https://127.0.0.1:3000', 'http://127.0.0.1/', 'http://evil.com:80', 'javascript:alert(1)', 'file:///etc/passwd', 'http://user:pw@127.0.0.1:3000', 'nonsense']) {
      expect(isStackUrl(url), url).toBe(false);
    }
  });
});

describe('createWebHostWith against a real web host', () => {
  it('logs in from #code=, scrubs it from the address bar, keeps the session in sessionStorage, gets the snapshot and runs commands', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(h.url.replace('/#', '/?view=logs#'));
    const c = client(b);
    const snapshots = record(c, 'snapshot');
    const connection = record(c, 'connection');
    expect(c.host).toBe('web');
    expect(b.urls).toEqual(['/?view=logs']);

    // Issued before the socket is open: queued, then sent.
    const result = await c.invoke('start', { services: ['api'] });
    expect(result).toEqual({ services: ['api'] });
    expect(sup.invokes).toEqual([{ command: 'start', args: { services: ['api'] } }]);
    await waitFor(() => snapshots.length === 1, { what: 'snapshot' });
    expect(snapshots[0]!.stack?.name).toBe('demo');
    expect(connection).toEqual([{ connected: true }]);
    expect(b.storage.get(SESSION_KEY)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('after a reload (the code gone from the URL) logs in from sessionStorage alone', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const first = browser(h.url);
    await client(first).invoke('status', {});
    const reloaded = browser(`http://127.0.0.1:${h.port}/`, first.storage);
    const c = client(reloaded);
    expect(reloaded.urls).toEqual([]);
    expect((await c.invoke('status', {})).services).toHaveLength(2);
    expect(reloaded.socketUrls).toEqual([`ws://127.0.0.1:${h.port}/ws`]);
  });

  it('says so, and does not connect, when the link was already used or there is no session', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    await client(browser(h.url)).invoke('status', {});
    const second = browser(h.url); // the same link again, in another tab
    const c = client(second);
    const connection = record(c, 'connection');
    await waitFor(() => connection.length === 1, { what: 'the refusal' });
    expect(connection[0]).toEqual({ connected: false, loggedOut: true, error: expect.stringMatching(/^This login link was already used/) });
    await expect(c.invoke('status', {})).rejects.toThrow(/already used/);
    expect(second.socketUrls).toEqual([]);
    expect(second.storage.size).toBe(0);

    const bare = browser(`http://127.0.0.1:${h.port}/`);
    const none = client(bare);
    await expect(none.invoke('status', {})).rejects.toThrow(/^Not logged in/);
    expect(bare.socketUrls).toEqual([]);
  });

  it('delivers events to listeners until they unsubscribe', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const c = client(browser(h.url));
    const statuses: string[] = [];
    const off = c.on('service', (s) => statuses.push(s.state));
    await c.invoke('status', {});
    sup.emit('service', runningStatus('api', { state: 'STOPPING' }));
    await waitFor(() => statuses.length === 1, { what: 'service event' });
    off();
    sup.emit('service', runningStatus('api', { state: 'STOPPED' }));
    await c.invoke('status', {}); // results are sent after queued events: the second one has arrived by now
    expect(statuses).toEqual(['STOPPING']);
  });

  it('rejects with the server error message, and on timeout', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const c = client(browser(h.url), { invokeTimeoutMs: 200 });
    await expect(c.invoke('start', { services: ['Bad Name'] } as never)).rejects.toThrow(/^start: services\.0: not a service name/);
    sup.onInvoke(() => {
      throw new Error('no such service: web');
    });
    await expect(c.invoke('restart', { services: ['web'] })).rejects.toThrow('no such service: web');
    sup.onInvoke(() => new Promise(() => {}));
    await expect(c.invoke('reload', {})).rejects.toThrow('reload: no answer from Hearth after 200 ms');
  });

  it('opens only stack links, in a new window', async () => {
    const h = await serve(new HarnessSupervisor());
    const b = browser(h.url);
    const c = client(b);
    await c.openExternal('http://127.0.0.1:20001/');
    await expect(c.openExternal('https://example.com/')).rejects.toThrow(/refusing/);
    expect(b.opened).toEqual(['http://127.0.0.1:20001/']);
  });

  it('reconnects after the socket drops, reports the outage, fails in-flight commands, and resyncs', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(h.url);
    const c = client(b);
    const connection = record(c, 'connection');
    const snapshots = record(c, 'snapshot');
    await waitFor(() => snapshots.length === 1, { what: 'first snapshot' });

    sup.onInvoke(() => new Promise(() => {}));
    const stuck = c.invoke('stop', {});
    await waitFor(() => sup.invokes.length === 1, { what: 'stop reached the server' });
    const stuckFails = expect(stuck).rejects.toThrow(/connection to Hearth lost/);
    sup.onInvoke(null);
    sup.emit('service', runningStatus('api', { restarts: 7 }));
    b.sockets[0]!.terminate();
    await stuckFails;
    await waitFor(() => snapshots.length === 2, { what: 'fresh snapshot after reconnect' });
    expect(connection.find((e) => !e.connected)!.error).toMatch(/cannot reach Hearth at 127\.0\.0\.1:\d+/);
    expect(snapshots[1]!.services.find((s) => s.name === 'api')?.restarts).toBe(7);
    expect(connection.at(-1)).toEqual({ connected: true });
    await expect(c.invoke('status', {})).resolves.toMatchObject({ stack: { name: 'demo' } });
  });

  it('after `hearth serve` restarted (same port, sessions gone) stops retrying and asks for the new link', async () => {
    const sup = new HarnessSupervisor();
    const first = await serve(sup);
    const b = browser(first.url);
    const c = client(b);
    const connection = record(c, 'connection');
    await c.invoke('status', {});
    await first.close();
    await serve(sup, { port: first.port });
    await waitFor(() => connection.at(-1)?.error?.startsWith('This tab’s session has ended'), { what: 'the session-ended message' });
    expect(b.storage.size).toBe(0);
    const tries = b.socketUrls.length;
    await new Promise((r) => setTimeout(r, 250)); // longer than the max backoff: a retry would show
    expect(b.socketUrls.length).toBe(tries);
  });

  it('keeps retrying while the server cannot be reached, and stops for good on dispose', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(h.url);
    await client(b).invoke('status', {});
    await h.close();
    const r = browser(`http://127.0.0.1:${h.port}/`, b.storage);
    const c = client(r);
    const connection = record(c, 'connection');
    await waitFor(() => r.socketUrls.length >= 3, { what: 'retries' });
    expect(connection).toHaveLength(1); // the same outage is reported once
    expect(connection[0]!.connected).toBe(false);
    expect(r.storage.size).toBe(1); // unreachable is not logged out
    const pending = c.invoke('status', {});
    c.dispose();
    await expect(pending).rejects.toThrow('web host closed');
    const tries = r.socketUrls.length;
    // A "nothing happens" check needs a window: longer than the max backoff, so a leaked timer would show.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(r.socketUrls.length).toBe(tries);
    expect(sup.listenerCount()).toBe(0);
  });
});
