import http from 'node:http';
import net from 'node:net';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  judgeHttp,
  probeTarget,
  releaseProbeSockets,
  runProbe,
  type ResolvedProbe,
} from '../../../electron/supervisor/health/probes';
import { linuxPlatform } from '../../../electron/supervisor/process/platform/linux';
import { hasIpv6Loopback, listenOn } from '../../helpers/loopback';
import { makeTempDir } from '../../helpers/temp-dir';
import { pidsWithEnv } from '../../helpers/proc';
import { waitFor } from '../../helpers/wait-for';

const linux = linuxPlatform();

const ipv6Loopback = await hasIpv6Loopback();
let server: http.Server;
let port: number;
let closedPort: number;
let connections = 0;

function listen(srv: net.Server): Promise<number> {
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port)));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/ok':
        return res.end('OK\n');
      case '/text':
        return res.end('hello there');
      case '/fail':
        res.statusCode = 500;
        return res.end('ok'); // an error status reads as an empty body, whatever it says
      case '/redirect':
        res.writeHead(302, { location: '/ok' });
        return res.end();
      case '/big':
        return res.end('x'.repeat(100 * 1024));
      case '/hang':
        return; // never answers
      case '/half':
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        return; // never finishes the body
      default:
        res.statusCode = 404;
        return res.end();
    }
  });
  server.on('connection', () => connections++);
  port = await listen(server);
  const closed = net.createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  releaseProbeSockets();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function httpProbe(endpoint: string, expected_response: string | null = null, expected_response_code = 0, p = port): ResolvedProbe {
  return { kind: 'http', port: p, endpoint, expected_response, expected_response_code };
}

describe('http probe', () => {
  it.each([
    // endpoint, expected_response, expected_response_code, ok, detail (substring)
    ['/ok', null, 0, true, 'HTTP 200'],
    ['/ok', 'ok', 0, true, 'HTTP 200'], // body trimmed and lower-cased
    ['/ok', 'OK', 0, true, 'HTTP 200'], // expected lower-cased too
    ['/ok', 'ok', 200, true, 'HTTP 200'],
    ['/ok', null, 201, false, 'HTTP 200, expected 201'],
    ['/text', 'ok', 0, false, 'expected "ok", got "hello there"'],
    ['/fail', null, 0, false, 'HTTP 500'],
    ['/fail', 'ok', 0, false, 'HTTP 500'], // error status: empty body, even though it says "ok"
    ['/fail', null, 500, true, 'HTTP 500'],
    ['/redirect', null, 0, false, 'HTTP 302 (redirects are not followed)'],
    ['/redirect', 'ok', 0, false, 'HTTP 302'], // not followed, so the body is not /ok's
    ['/redirect', null, 302, true, 'HTTP 302'],
    ['/missing', null, 0, false, 'HTTP 404'],
    ['/big', null, 0, false, 'response body over'],
  ])('GET %s expecting body %s / code %s -> ok=%s (%s)', async (endpoint, body, code, ok, detail) => {
    const result = await runProbe(httpProbe(endpoint, body, code), 2000);
    expect(result.ok).toBe(ok);
    expect(result.detail).toContain(detail);
  });

  it('times out on a server that never answers, and on a body that never ends', async () => {
    const started = Date.now();
    expect(await runProbe(httpProbe('/hang'), 150)).toEqual({ ok: false, detail: 'timeout after 0.15s' });
    expect(await runProbe(httpProbe('/half'), 150)).toEqual({ ok: false, detail: 'timeout after 0.15s' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a closed port as connection refused', async () => {
    expect(await runProbe(httpProbe('/ok', null, 0, closedPort), 1000)).toEqual({ ok: false, detail: 'connection refused' });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const pending = runProbe(httpProbe('/hang'), 10_000, controller.signal);
    controller.abort();
    expect(await pending).toEqual({ ok: false, detail: 'aborted' });
    expect(await runProbe(httpProbe('/ok'), 1000, controller.signal)).toEqual({ ok: false, detail: 'aborted' });
  });

  it('reuses one keep-alive connection for checks in a row', async () => {
    await runProbe(httpProbe('/ok'), 1000);
    const before = connections;
    for (let i = 0; i < 30; i++) {
      const endpoint = ['/ok', '/fail', '/redirect', '/text'][i % 4]!;
      await runProbe(httpProbe(endpoint), 1000);
    }
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('survives a server that drops idle keep-alive connections at once', async () => {
    const eager = http.createServer((_req, res) => res.end('ok'));
    eager.keepAliveTimeout = 1;
    const eagerPort = await listen(eager);
    try {
      const results = [];
      for (let i = 0; i < 60; i++) {
        results.push(await runProbe(httpProbe('/ok', 'ok', 200, eagerPort), 2000));
        if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      eager.closeAllConnections();
      await new Promise((resolve) => eager.close(resolve));
    }
  });
});

describe('judgeHttp', () => {
  it('checks the body before the status, as HttpSignaler', () => {
    expect(judgeHttp({ expected_response: 'up', expected_response_code: 200 }, 503, '')).toEqual({ ok: false, detail: 'HTTP 503' });
    expect(judgeHttp({ expected_response: 'up', expected_response_code: 201 }, 200, ' UP \n')).toEqual({
      ok: false,
      detail: 'HTTP 200, expected 201',
    });
    expect(judgeHttp({ expected_response: '', expected_response_code: 0 }, 204, '')).toEqual({ ok: true, detail: 'HTTP 204' });
  });
});

describe('tcp probe', () => {
  it('succeeds when something listens, and leaves no connection open', async () => {
    const tcp = net.createServer();
    const open = new Set<net.Socket>();
    tcp.on('connection', (s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
    });
    const tcpPort = await listen(tcp);
    try {
      expect(await runProbe({ kind: 'tcp', port: tcpPort }, 1000)).toEqual({
        ok: true,
        detail: `connected to 127.0.0.1:${tcpPort}`,
      });
      await waitFor(() => open.size === 0, { what: 'the probe socket to close' });
    } finally {
      await new Promise((resolve) => tcp.close(resolve));
    }
  });

  it('fails on a closed port', async () => {
    expect(await runProbe({ kind: 'tcp', port: closedPort }, 1000)).toEqual({
      ok: false,
      detail: 'connection refused',
    });
  });
});

describe('shell probe', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());
  const shell = (command: string, env: NodeJS.ProcessEnv = {}): ResolvedProbe => ({
    kind: 'shell',
    command,
    cwd: temp.dir,
    env: { PATH: process.env.PATH, ...env },
    platform: linux,
    shell: null,
  });

  it('passes on exit 0, in the given folder and environment', async () => {
    expect(await runProbe(shell(`test "$(pwd)" = "${temp.dir}" && test "$FOO" = bar`, { FOO: 'bar' }), 5000)).toEqual({
      ok: true,
      detail: 'exit 0',
    });
  });

  it('fails on a non-zero exit with the output tail in the detail', async () => {
    const result = await runProbe(shell('echo starting; echo "db not ready" >&2; exit 3'), 5000);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/^exit 3: /);
    expect(result.detail).toContain('db not ready');
  });

  it('caps the captured output', async () => {
    const result = await runProbe(shell('head -c 100000 /dev/zero | tr "\\0" a; exit 1'), 5000);
    expect(result.ok).toBe(false);
    expect(result.detail.length).toBeLessThan(2100);
  });

  it('kills the whole process group on timeout', async () => {
    const marker = `HEARTH_PROBE_TEST=${process.pid}-timeout`;
    const [key, value] = marker.split('=') as [string, string];
    const result = await runProbe(shell('sleep 30 & sleep 30 | cat; wait', { [key]: value }), 300);
    expect(result).toEqual({ ok: false, detail: 'timeout after 0.3s' });
    await waitFor(() => pidsWithEnv(marker).length === 0, { what: 'the check processes to die' });
  });

  it('leaves nothing running after the check exits', async () => {
    const marker = `HEARTH_PROBE_TEST=${process.pid}-leftover`;
    const [key, value] = marker.split('=') as [string, string];
    const started = Date.now();
    expect(await runProbe(shell('sleep 30 & exit 0', { [key]: value }), 10_000)).toEqual({ ok: true, detail: 'exit 0' });
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(() => pidsWithEnv(marker).length === 0, { what: 'the background sleep to die' });
  });

  it('fails (does not throw) when the folder does not exist', async () => {
    const result = await runProbe({ ...shell('true'), cwd: `${temp.dir}/nope` } as ResolvedProbe, 5000);
    expect(result.ok).toBe(false);
    expect(result.detail).toContain('cannot run health check');
  });

  it('stops and kills the group when aborted', async () => {
    const marker = `HEARTH_PROBE_TEST=${process.pid}-abort`;
    const [key, value] = marker.split('=') as [string, string];
    const controller = new AbortController();
    const pending = runProbe(shell('sleep 30', { [key]: value }), 30_000, controller.signal);
    await waitFor(() => pidsWithEnv(marker).length > 0, { what: 'the check to start' });
    controller.abort();
    expect(await pending).toEqual({ ok: false, detail: 'aborted' });
    await waitFor(() => pidsWithEnv(marker).length === 0, { what: 'the check to die' });
  });
});

describe('resource use', () => {
  const fdCount = (): number => readdirSync('/proc/self/fd').length;

  it('2000+ checks of every outcome leak no file descriptors', async () => {
    // Warm up: the keep-alive socket (and its server side) exist before the baseline.
    await runProbe(httpProbe('/ok'), 1000);
    const baseline = fdCount();
    const endpoints = ['/ok', '/fail', '/redirect', '/text', '/missing', '/big'];
    for (let batch = 0; batch < 100; batch++) {
      const checks: Promise<unknown>[] = [];
      for (let i = 0; i < 16; i++) checks.push(runProbe(httpProbe(endpoints[(batch + i) % endpoints.length]!), 2000));
      checks.push(runProbe(httpProbe('/hang'), 10));
      checks.push(runProbe(httpProbe('/half'), 10));
      checks.push(runProbe(httpProbe('/ok', null, 0, closedPort), 1000));
      checks.push(runProbe({ kind: 'tcp', port }, 1000));
      checks.push(runProbe({ kind: 'tcp', port: closedPort }, 1000));
      await Promise.all(checks);
    }
    for (let i = 0; i < 20; i++) {
      await runProbe({ kind: 'shell', command: i % 2 ? 'exit 0' : 'echo no; exit 1', cwd: '/', env: {}, platform: linux, shell: null }, 5000);
    }
    // Sockets closed on either side are released asynchronously: wait for the count to settle.
    await waitFor(() => fdCount() <= baseline + 10, { what: `fd count to return near ${baseline}`, timeoutMs: 15_000 });
  });
});

// A Node server told listen(port, 'localhost') binds ::1 only where localhost resolves there first
// (macOS); Aurora's checks call localhost and so reach it. Skipped, and reported so, without IPv6.
describe.skipIf(!ipv6Loopback)('localhost: 127.0.0.1 or ::1', () => {
  const servers: net.Server[] = [];
  afterAll(async () => {
    releaseProbeSockets();
    for (const s of servers) {
      if (s instanceof http.Server) s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  /** An HTTP server on `host` that counts the requests it answers. */
  async function httpOn(host: string, p = 0) {
    const served = { count: 0 };
    const srv = http.createServer((_req, res) => {
      served.count++;
      res.end('ok');
    });
    servers.push(srv);
    return { srv, served, port: await listenOn(srv, host, p) };
  }

  it('an HTTP check reaches a server on ::1 only, and tries ::1 first from then on', async () => {
    const v6 = await httpOn('::1');
    expect(await runProbe(httpProbe('/', 'ok', 200, v6.port), 1000)).toEqual({ ok: true, detail: 'HTTP 200' });
    // Now 127.0.0.1 answers too, on the same port: the port was last reached on ::1, so ::1 is asked.
    const v4 = await httpOn('127.0.0.1', v6.port);
    releaseProbeSockets(); // a fresh connection, so the choice of address is made again
    expect(await runProbe(httpProbe('/', 'ok', 200, v6.port), 1000)).toEqual({ ok: true, detail: 'HTTP 200' });
    expect([v6.served.count, v4.served.count]).toEqual([2, 0]);
  });

  it('a server that moved from ::1 to 127.0.0.1 is still found', async () => {
    const v6 = await httpOn('::1');
    expect((await runProbe(httpProbe('/', null, 0, v6.port), 1000)).ok).toBe(true);
    releaseProbeSockets();
    v6.srv.closeAllConnections();
    await new Promise((resolve) => v6.srv.close(resolve));
    const v4 = await httpOn('127.0.0.1', v6.port);
    expect(await runProbe(httpProbe('/', null, 0, v6.port), 1000)).toEqual({ ok: true, detail: 'HTTP 200' });
    expect(v4.served.count).toBe(1);
  });

  it('a server on both addresses is asked on 127.0.0.1', async () => {
    const v4 = await httpOn('127.0.0.1');
    const v6 = await httpOn('::1', v4.port);
    expect((await runProbe(httpProbe('/', null, 0, v4.port), 1000)).ok).toBe(true);
    expect([v4.served.count, v6.served.count]).toEqual([1, 0]);
  });

  it('a TCP check reaches a listener on ::1 only and says so', async () => {
    const tcp = net.createServer((s) => s.destroy());
    servers.push(tcp);
    const tcpPort = await listenOn(tcp, '::1');
    expect(await runProbe({ kind: 'tcp', port: tcpPort }, 1000)).toEqual({ ok: true, detail: `connected to [::1]:${tcpPort}` });
  });
});

describe('probeTarget', () => {
  it('describes each kind', () => {
    expect(probeTarget(httpProbe('/health', null, 0, 20001))).toBe('GET http://localhost:20001/health');
    expect(probeTarget({ kind: 'tcp', port: 20002 })).toBe('tcp localhost:20002');
    expect(probeTarget({ kind: 'shell', command: 'curl -f x', cwd: '/', env: {}, platform: linux, shell: null })).toBe('sh: curl -f x');
  });
});
