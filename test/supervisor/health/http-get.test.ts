import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for';
import { closeIdleConnections, httpGet, requestTarget, type HttpGetOutcome } from '../../../electron/supervisor/health/http-get';

const servers: net.Server[] = [];

function listen(srv: net.Server): Promise<number> {
  servers.push(srv);
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve((srv.address() as net.AddressInfo).port)));
}

/** A server that answers the n-th request (counted over all connections) with `reply(n)`, then maybe hangs up. */
async function rawServer(reply: (n: number) => Buffer | string, hangUp: boolean): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  let n = 0;
  const srv = net.createServer((socket) => {
    connections++;
    socket.on('error', () => {});
    socket.on('data', (data) => {
      if (!data.includes('\r\n\r\n')) return;
      socket.write(reply(n++));
      if (hangUp) socket.end();
    });
  });
  return { port: await listen(srv), connections: () => connections };
}

const options = { timeoutMs: 2000, maxBodyBytes: 1024, userAgent: 'test' };
const get = (port: number, path = '/health', opts = options): Promise<HttpGetOutcome> => httpGet({ host: '127.0.0.1', port, path }, opts);
const text = (outcome: HttpGetOutcome): unknown => (outcome.ok ? { status: outcome.status, body: outcome.body.toString() } : outcome.detail);
const tcpSockets = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;

afterEach(() => closeIdleConnections());
afterAll(async () => {
  for (const srv of servers) await new Promise((resolve) => srv.close(resolve));
});

describe('httpGet', () => {
  let srv: http.Server;
  let port: number;
  let connections = 0;
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders }> = [];
  beforeAll(async () => {
    srv = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url === '/chunked') {
        res.write('o');
        setImmediate(() => res.end('k'));
      } else if (req.url === '/big-chunked') {
        for (let i = 0; i < 10; i++) res.write('x'.repeat(200));
        res.end();
      } else if (req.url === '/close') {
        res.setHeader('connection', 'close');
        res.end('ok');
      } else res.end('ok');
    });
    srv.on('connection', () => connections++);
    port = await listen(srv);
  });

  it('reads a chunked body and keeps the connection for the next GET', async () => {
    const before = connections;
    expect(text(await get(port, '/chunked'))).toEqual({ status: 200, body: 'ok' });
    expect(text(await get(port, '/chunked'))).toEqual({ status: 200, body: 'ok' });
    expect(connections - before).toBe(1);
  });

  it('fails a chunked body over the cap', async () => {
    expect(text(await get(port, '/big-chunked'))).toBe('response body over 1024 bytes');
  });

  it('does not reuse a connection the server said it closes', async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) expect(text(await get(port, '/close'))).toEqual({ status: 200, body: 'ok' });
    expect(connections - before).toBe(3);
  });

  it('percent-encodes what may not stand in a request line, so no header can be injected', async () => {
    expect(requestTarget('/health?x=1&y=%20')).toBe('/health?x=1&y=%20');
    await get(port, '/a b\r\nX-Injected: 1\r\n\r\n/é');
    const last = seen.at(-1)!;
    expect(last.url).toBe('/a%20b%0D%0AX-Injected:%201%0D%0A%0D%0A/%C3%A9');
    expect(last.headers['x-injected']).toBeUndefined();
    expect(last.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it('holds no reference on the process while a connection waits for the next GET', async () => {
    const open = (): Promise<number> => new Promise((resolve) => srv.getConnections((_error, count) => resolve(count)));
    await waitFor(async () => (await open()) === 0, { what: 'earlier connections to close' });
    const before = tcpSockets();
    await get(port);
    // One connection stays open: its server side still counts, the client side no longer does.
    expect(await open()).toBe(1);
    expect(tcpSockets()).toBe(before + 1);
  });

  it('reads a body that runs until the server hangs up (HTTP/1.0)', async () => {
    const srv = await rawServer(() => 'HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nok', true);
    expect(text(await get(srv.port))).toEqual({ status: 200, body: 'ok' });
    expect(text(await get(srv.port))).toEqual({ status: 200, body: 'ok' });
    expect(srv.connections()).toBe(2);
  });

  it('takes a whole answer followed by junk, and then opens a new connection', async () => {
    const srv = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK\r\n', false);
    expect(text(await get(srv.port))).toEqual({ status: 200, body: 'ok' });
    expect(text(await get(srv.port))).toEqual({ status: 200, body: 'ok' });
    expect(srv.connections()).toBe(2);
  });

  it('skips interim 1xx answers', async () => {
    const srv = await rawServer(() => 'HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n', false);
    expect(text(await get(srv.port))).toEqual({ status: 204, body: '' });
  });

  it('parses a response that arrives one byte at a time', async () => {
    const response = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    const srv = net.createServer((socket) => {
      socket.once('data', () => {
        let i = 0;
        const next = (): void => {
          if (i < response.length) socket.write(response[i++]!, () => setTimeout(next, 1));
        };
        next();
      });
    });
    expect(text(await get(await listen(srv)))).toEqual({ status: 200, body: 'ok' });
  });

  it('calls a reused connection that closes without an answer retryable, a fresh one not', async () => {
    // Every connection answers its first request and closes on the second, as a server does
    // whose keep-alive timeout ends just as the next check arrives.
    const srv = net.createServer((socket) => {
      let requests = 0;
      socket.on('data', () => {
        if (requests++ === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.end();
      });
    });
    const p = await listen(srv);
    expect((await get(p)).ok).toBe(true);
    expect(await get(p)).toEqual({ ok: false, detail: 'connection closed without a response', retry: true });
    const silent = await rawServer(() => '', true);
    expect(await get(silent.port)).toEqual({ ok: false, detail: 'connection closed without a response', retry: false });
  });

  it.each([
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH_9.2\r\n\r\n', 'invalid HTTP response'],
    ['a negative content-length', 'HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nokokok', 'invalid HTTP response: invalid content-length'],
    ['a content-length that is not a number', 'HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok', 'invalid HTTP response: invalid content-length'],
    ['a negative chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nokokok\r\n0\r\n\r\n', 'invalid HTTP response'],
    ['a body cut short', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok', 'response aborted'],
    ['headers without end', `HTTP/1.1 200 OK\r\n${'x-pad: y\r\n'.repeat(20_000)}`, 'response over'],
  ])('fails, without hanging, on %s', async (_name, response, detail) => {
    const srv = await rawServer(() => response, true);
    const outcome = await get(srv.port);
    expect(outcome.ok).toBe(false);
    expect(text(outcome)).toContain(detail);
  });

  it('always settles on random bytes, and never hands back a status it did not read', async () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['HTTP/1.1 200 OK\r\n', 'Content-Length: 3\r\n', 'Transfer-Encoding: chunked\r\n', '\r\n', '3\r\nabc\r\n', '-1\r\n', '0\r\n\r\n', 'abc', '\n', 'HTTP/1.0 500 x\r\n'];
    const responses = Array.from({ length: 150 }, () => Array.from({ length: 1 + random(6) }, () => pieces[random(pieces.length)]!).join(''));
    const srv = await rawServer((n) => responses[n] ?? '', true);
    for (const response of responses) {
      const outcome = await get(srv.port, '/', { ...options, timeoutMs: 300 });
      if (outcome.ok) expect(response).toMatch(new RegExp(`^HTTP/1\\.[01] ${outcome.status} `));
      else expect(outcome.detail).not.toBe('');
    }
  });
});
