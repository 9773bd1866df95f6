// A minimal Chrome DevTools Protocol client over `ws`: numbered requests, their answers, and events.
// Only what the Node engine needs (Profiler, HeapProfiler, Debugger, Runtime); a library such as
// chrome-remote-interface would add its own dependency tree for four methods.
import type { RawData } from 'ws';

type Listener = (params: Record<string, unknown>) => void;

export interface CdpClient {
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` for each `method` event until the returned function is called. */
  on(method: string, listener: Listener): () => void;
  /** Resolves with the first `method` event's params (rejects when the connection closes first). */
  once(method: string): Promise<Record<string, unknown>>;
  close(): void;
  readonly closed: Promise<void>;
}

export async function connectCdp(url: string, timeoutMs = 5000): Promise<CdpClient> {
  // Loaded on the first capture, not with the supervisor: ws is 1.5 MB of V8 heap that `hearth up`
  // would otherwise hold all day for a feature most stacks never use.
  const { default: WebSocket } = await import('ws');
  return new Promise((resolve, reject) => {
    // maxPayload: a profile of a long capture, or a big heap snapshot chunk, is tens of megabytes.
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, maxPayload: 1024 * 1024 * 1024, perMessageDeflate: false });
    let nextId = 1;
    const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }>();
    const listeners = new Map<string, Set<Listener>>();
    let closedResolve: () => void = () => undefined;
    const closed = new Promise<void>((r) => (closedResolve = r));
    const gone = (why: string): void => {
      for (const p of pending.values()) p.reject(new Error(`${p.method}: ${why}`));
      pending.clear();
      closedResolve();
    };
    ws.on('message', (data: RawData) => {
      let msg: { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message?: string } };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message ?? 'failed'}`));
        else p.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const l of listeners.get(msg.method) ?? []) l(msg.params ?? {});
      }
    });
    ws.once('open', () => {
      const client: CdpClient = {
        send: <T>(method: string, params: Record<string, unknown> = {}) =>
          new Promise<T>((res, rej) => {
            if (ws.readyState !== ws.OPEN) return rej(new Error(`${method}: the inspector connection is closed`));
            const id = nextId++;
            pending.set(id, { resolve: res as (v: unknown) => void, reject: rej, method });
            ws.send(JSON.stringify({ id, method, params }));
          }),
        on(method, listener) {
          const set = listeners.get(method) ?? new Set<Listener>();
          set.add(listener);
          listeners.set(method, set);
          return () => set.delete(listener);
        },
        once(method) {
          return new Promise((res, rej) => {
            const off = client.on(method, (params) => {
              off();
              res(params);
            });
            void closed.then(() => rej(new Error(`the inspector connection closed before ${method}`)));
          });
        },
        close: () => ws.close(),
        closed,
      };
      resolve(client);
    });
    ws.once('error', (error) => {
      gone(error.message);
      reject(new Error(`cannot reach the inspector at ${url}: ${error.message}`));
    });
    ws.on('close', () => gone('the inspector connection closed'));
  });
}
