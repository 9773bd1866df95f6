// The GET behind HTTP health checks: one kept-alive socket per target, the response parsed by
// http-parser-js. Why not node:http? A check runs every interval for every service, and each
// http.get() cost ~0.25 ms of CPU here (ClientRequest, agent, IncomingMessage stream), against
// ~0.08 ms for the same GET on a plain socket: 50 checks a second were most of an idle
// supervisor's CPU (BENCHMARKS.md, round 5). A check needs far less than a general client: one
// GET, the status, a short body, and the connection back for the next check.
import net from 'node:net';
import { HTTPParser } from 'http-parser-js';
import { errorDetail, secs } from './details';
import { isAbsentError } from '../loopback';

export interface HttpGetTarget {
  host: string;
  port: number;
  /** The request target; anything outside visible ASCII is percent-encoded (no header injection). */
  path: string;
}

export interface HttpGetOptions {
  timeoutMs: number;
  /** A longer body fails the GET: a health endpoint answers briefly. */
  maxBodyBytes: number;
  userAgent: string;
  signal?: AbortSignal;
}

export type HttpGetOutcome =
  | { ok: true; status: number; body: Buffer }
  | {
      ok: false;
      detail: string;
      /** A reused connection died before any byte came back: the server closed it as we wrote. */
      retry: boolean;
      /** The connection was never made: nothing listens on this address (see ../loopback.ts). */
      absent?: boolean;
    };

/** Idle connections kept per target; more than one only when checks of one target overlap. */
const MAX_IDLE_PER_TARGET = 4;
/** An idle connection is closed after this long without a check. */
export const IDLE_SOCKET_TIMEOUT_MS = 15_000;
/** Headers (and chunk framing) beyond the body cap that one response may bring: the parser's own limit. */
const HEADER_ALLOWANCE = HTTPParser.maxHeaderSize;

// A connection's listeners are installed once; they hand events to the GET using it, if any.
interface Exchange {
  data(chunk: Buffer): void;
  end(): void;
  error(error: Error): void;
}

class Conn {
  exchange: Exchange | null = null;
  connected = false;
  readonly socket: net.Socket;

  constructor(
    readonly key: string,
    host: string,
    port: number,
  ) {
    const socket = (this.socket = net.connect({ host, port }));
    socket.setNoDelay(true);
    socket.setTimeout(IDLE_SOCKET_TIMEOUT_MS);
    socket.once('connect', () => (this.connected = true));
    // Bytes nobody asked for (or a server that talks first) make the connection unusable.
    socket.on('data', (chunk: Buffer) => (this.exchange ? this.exchange.data(chunk) : socket.destroy()));
    socket.on('end', () => this.exchange?.end());
    socket.on('error', (error) => this.exchange?.error(error));
    socket.on('close', () => {
      unpark(this);
      this.exchange?.end();
    });
    // A GET in progress has its own timeout; this one only retires idle connections.
    socket.on('timeout', () => {
      if (!this.exchange) socket.destroy();
    });
  }
}

const idle = new Map<string, Conn[]>();

function unpark(conn: Conn): void {
  const list = idle.get(conn.key);
  const at = list?.indexOf(conn) ?? -1;
  if (!list || at < 0) return;
  list.splice(at, 1);
  if (list.length === 0) idle.delete(conn.key);
}

function park(conn: Conn): void {
  const list = idle.get(conn.key) ?? [];
  if (list.length >= MAX_IDLE_PER_TARGET || conn.socket.destroyed || !conn.socket.writable) {
    conn.socket.destroy();
    return;
  }
  // An idle connection never keeps the process alive.
  conn.socket.unref();
  list.push(conn);
  idle.set(conn.key, list);
}

/** Closes every idle connection (supervisor shutdown). GETs in progress finish on their own. */
export function closeIdleConnections(): void {
  for (const list of [...idle.values()]) for (const conn of [...list]) conn.socket.destroy();
  idle.clear();
}

/** Percent-encodes every byte outside visible ASCII (spaces, CR/LF, non-ASCII) as UTF-8. */
export function requestTarget(path: string): string {
  return path.replace(/[^\x21-\x7e]+/g, (run) =>
    Array.from(Buffer.from(run, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** GET target.path; resolves (never rejects) with the status and body, or why there is none. */
export function httpGet(target: HttpGetTarget, options: HttpGetOptions): Promise<HttpGetOutcome> {
  if (options.signal?.aborted) return Promise.resolve({ ok: false, detail: 'aborted', retry: false });
  const key = `${target.host}:${target.port}`;
  const parked = idle.get(key)?.at(-1);
  if (parked) unpark(parked);
  const reused = parked !== undefined;
  const conn = parked ?? new Conn(key, target.host, target.port);
  conn.socket.ref();

  return new Promise((resolve) => {
    const parser = new HTTPParser(HTTPParser.RESPONSE);
    let status = 0;
    let keepAlive = false;
    let complete = false;
    let bodyBytes = 0;
    let received = 0;
    const body: Buffer[] = [];

    const settle = (outcome: HttpGetOutcome, reuse: boolean): void => {
      if (conn.exchange !== exchange) return;
      conn.exchange = null;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (reuse) park(conn);
      else conn.socket.destroy();
      resolve(outcome);
    };
    const fail = (detail: string, retry = false): void => settle({ ok: false, detail, retry }, false);
    const succeed = (reuse: boolean): void => settle({ ok: true, status, body: Buffer.concat(body) }, reuse);

    // The callbacks run inside parser.execute(); what they throw comes out of it (see parse).
    parser[HTTPParser.kOnHeadersComplete] = (info) => {
      const lengths = info.headers.filter((_, i) => i % 2 === 1 && /^content-length$/i.test(info.headers[i - 1] ?? ''));
      if (lengths.some((value) => !/^\d+$/.test(value.trim()))) throw new Error('invalid content-length');
      status = info.statusCode;
      keepAlive = info.shouldKeepAlive;
    };
    parser[HTTPParser.kOnBody] = (chunk, offset, length) => {
      if (!(length >= 0)) throw new Error('invalid chunk size');
      // 1xx answers are interim; the final response follows on the same connection.
      if (status < 200) return;
      bodyBytes += length;
      if (bodyBytes > options.maxBodyBytes) throw new BodyTooLong();
      body.push(chunk.subarray(offset, offset + length));
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (status >= 100 && status < 200) {
        status = 0;
        return;
      }
      complete = true;
    };
    /** Feeds the parser; what it (or a callback above) rejects comes back as an error. */
    const parse = (chunk: Buffer): Error | null => {
      try {
        const result = parser.execute(chunk);
        return result instanceof Error ? result : null;
      } catch (error) {
        return error as Error;
      }
    };

    const exchange: Exchange = {
      data(chunk) {
        received += chunk.length;
        if (received > options.maxBodyBytes + HEADER_ALLOWANCE) {
          return fail(`response over ${options.maxBodyBytes + HEADER_ALLOWANCE} bytes`);
        }
        const error = parse(chunk);
        // A whole answer counts even if junk follows it; the connection is then not trusted again.
        if (complete) return succeed(keepAlive && !error);
        if (error instanceof BodyTooLong) fail(`response body over ${options.maxBodyBytes} bytes`);
        else if (error) fail(`invalid HTTP response: ${error.message}`);
      },
      end() {
        // A body that runs until the server closes ends here (finish() completes it).
        if (!complete && received > 0) parser.finish();
        if (complete) return succeed(false);
        if (received === 0) return fail('connection closed without a response', reused);
        fail('response aborted');
      },
      error(error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (!conn.connected && isAbsentError(error)) return settle({ ok: false, detail: errorDetail(error), retry: false, absent: true }, false);
        fail(errorDetail(error), reused && received === 0 && (code === 'ECONNRESET' || code === 'EPIPE'));
      },
    };
    const onAbort = (): void => fail('aborted');
    const timer = setTimeout(() => fail(`timeout after ${secs(options.timeoutMs)}`), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    conn.exchange = exchange;
    conn.socket.write(
      `GET ${requestTarget(target.path)} HTTP/1.1\r\nHost: ${key}\r\nUser-Agent: ${options.userAgent}\r\nAccept: */*\r\n\r\n`,
      'latin1',
    );
  });
}

class BodyTooLong extends Error {}
