// The renderer's web adapter against the real web host: the browser parts (location, history,
// window.open, WebSocket) are supplied the way a browser would, with a real `ws` socket that sends
// the page's Origin like a browser does.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HearthEvents } from '../../shared/contract';
import { startWebHost } from '../../electron/web/server';
import type { WebHost } from '../../electron/web/server';
import { createWebHostWith, isStackUrl, takeToken } from '../../renderer/src/host/web-host-core';
import type { WebHostClient, WebHostEnv, WebHostTuning } from '../../renderer/src/host/web-host-core';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor, runningStatus } from '../helpers/harness-supervisor';

const hosts: WebHost[] = [];
const clients: WebHostClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  for (const h of hosts.splice(0)) await h.close();
});

async function serve(sup: HarnessSupervisor, opts: { port?: number; token?: string } = {}): Promise<WebHost> {
  const h = await startWebHost({ supervisor: sup, staticDir: '/nonexistent', ...opts });
  hosts.push(h);
  return h;
}

interface Browser {
  env: WebHostEnv;
  urls: string[];
  opened: string[];
  socketUrls: string[];
}

/** What a page loaded from `pageUrl` would provide. */
function browser(pageUrl: string, { cookie }: { cookie?: string } = {}): Browser {
  const page = new URL(pageUrl);
  const b: Browser = {
    urls: [],
    opened: [],
    socketUrls: [],
    env: {
      location: { host: page.host, pathname: page.pathname, search: page.search, hash: page.hash },
      replaceUrl: (url) => b.urls.push(url),
      openWindow: (url) => b.opened.push(url),
      connect(url, handlers) {
        b.socketUrls.push(url);
        const ws = new WebSocket(url, { origin: page.origin, headers: cookie ? { Cookie: cookie } : {} });
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

describe('takeToken / isStackUrl', () => {
  it('removes only the token from the query', () => {
    expect(takeToken('?token=abc')).toEqual({ token: 'abc', rest: '' });
    expect(takeToken('?a=1&token=abc&b=2')).toEqual({ token: 'abc', rest: '?a=1&b=2' });
    expect(takeToken('')).toEqual({ token: null, rest: '' });
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
  it('logs in from ?token=, scrubs it from the address bar, gets the snapshot and runs commands', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(`${h.url}&view=logs#api`);
    const c = client(b);
    const snapshots = record(c, 'snapshot');
    const connection = record(c, 'connection');
    expect(c.host).toBe('web');
    expect(b.urls).toEqual(['/?view=logs#api']);

    // Issued before the socket is open: queued, then sent.
    const result = await c.invoke('start', { services: ['api'] });
    expect(result).toEqual({ services: ['api'] });
    expect(sup.invokes).toEqual([{ command: 'start', args: { services: ['api'] } }]);
    await waitFor(() => snapshots.length === 1, { what: 'snapshot' });
    expect(snapshots[0]!.stack?.name).toBe('demo');
    expect(connection).toEqual([{ connected: true }]);
  });

  it('works from the session cookie alone after the token left the URL', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(`http://127.0.0.1:${h.port}/`, { cookie: `hearth_token_${h.port}=${h.token}` });
    const c = client(b);
    expect(b.urls).toEqual([]);
    expect(b.socketUrls).toEqual([`ws://127.0.0.1:${h.port}/ws`]);
    expect((await c.invoke('status', {})).services).toHaveLength(2);
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

  it('reconnects after the server restarts, reports the outage, fails in-flight commands, and resyncs', async () => {
    const sup = new HarnessSupervisor();
    const first = await serve(sup);
    const c = client(browser(first.url));
    const connection = record(c, 'connection');
    const snapshots = record(c, 'snapshot');
    await waitFor(() => snapshots.length === 1, { what: 'first snapshot' });

    sup.onInvoke(() => new Promise(() => {}));
    const stuck = c.invoke('stop', {});
    await waitFor(() => sup.invokes.length === 1, { what: 'stop reached the server' });
    const stuckFails = expect(stuck).rejects.toThrow(/connection to Hearth lost/);
    await first.close();
    await stuckFails;
    await waitFor(() => connection.some((e) => !e.connected), { what: 'disconnected event' });
    expect(connection.at(-1)!.error).toMatch(/cannot reach Hearth at 127\.0\.0\.1:\d+/);

    // Same port and token, as after `hearth serve --port P` with the same session.
    sup.onInvoke(null);
    sup.emit('service', runningStatus('api', { restarts: 7 }));
    await serve(sup, { port: first.port, token: first.token });
    await waitFor(() => snapshots.length === 2, { what: 'fresh snapshot after reconnect' });
    expect(snapshots[1]!.services.find((s) => s.name === 'api')?.restarts).toBe(7);
    expect(connection.at(-1)).toEqual({ connected: true });
    await expect(c.invoke('status', {})).resolves.toMatchObject({ stack: { name: 'demo' } });
  });

  it('keeps retrying while the server refuses it, and stops for good on dispose', async () => {
    const sup = new HarnessSupervisor();
    const h = await serve(sup);
    const b = browser(`http://127.0.0.1:${h.port}/?token=wrong-token-of-some-length`);
    const c = client(b);
    const connection = record(c, 'connection');
    await waitFor(() => b.socketUrls.length >= 3, { what: 'retries' });
    expect(connection).toHaveLength(1); // the same outage is reported once
    expect(connection[0]!.connected).toBe(false);
    const pending = c.invoke('status', {});
    c.dispose();
    await expect(pending).rejects.toThrow('web host closed');
    const tries = b.socketUrls.length;
    // A "nothing happens" check needs a window: longer than the max backoff, so a leaked timer would show.
    await new Promise((r) => setTimeout(r, 250));
    expect(b.socketUrls.length).toBe(tries);
    expect(sup.listenerCount()).toBe(0);
  });
});
