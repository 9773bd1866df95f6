// A Debug Adapter Protocol client over TCP (Content-Length framing), as an editor speaks it to debugpy:
// requests answered by their responses, events waited for by name.
import { connect, type Socket } from 'node:net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapClient {
  request(command: string, args?: Record<string, unknown>): Promise<DapMessage>;
  /** Resolves with the first event of this name (one already received counts). */
  event(name: string, timeoutMs?: number): Promise<DapMessage>;
  close(): void;
}

export function connectDap(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<DapClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, host);
    let buffer = Buffer.alloc(0);
    let seq = 0;
    const pending = new Map<number, { resolve: (m: DapMessage) => void; reject: (e: Error) => void }>();
    const events: DapMessage[] = [];
    const waiters: Array<{ name: string; resolve: (m: DapMessage) => void }> = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no DAP connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
      for (const p of pending.values()) p.reject(error);
    });
    socket.on('close', () => {
      for (const p of pending.values()) p.reject(new Error('the debug adapter closed the connection'));
      pending.clear();
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length:\s*(\d+)/i.exec(buffer.subarray(0, end).toString('latin1'))?.[1]);
        if (!Number.isFinite(length) || buffer.length < end + 4 + length) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as DapMessage;
        buffer = buffer.subarray(end + 4 + length);
        if (message.type === 'response') {
          pending.get(message.request_seq!)?.resolve(message);
          pending.delete(message.request_seq!);
        } else if (message.type === 'event') {
          events.push(message);
          for (const w of waiters.filter((x) => x.name === message.event)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(message);
          }
        }
      }
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve({
        request(command, args) {
          const body = Buffer.from(JSON.stringify({ seq: ++seq, type: 'request', command, ...(args ? { arguments: args } : {}) }), 'utf8');
          socket.write(`Content-Length: ${body.length}\r\n\r\n`);
          socket.write(body);
          return new Promise((res, rej) => pending.set(seq, { resolve: res, reject: rej }));
        },
        event(name, waitMs = 20_000) {
          const seen = events.find((e) => e.event === name);
          if (seen) return Promise.resolve(seen);
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error(`no DAP "${name}" event within ${waitMs} ms`)), waitMs);
            waiters.push({ name, resolve: (m) => (clearTimeout(t), res(m)) });
          });
        },
        close: () => socket.destroy(),
      });
    });
  });
}
