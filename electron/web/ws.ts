// The WebSocket side of the web host: one supervisor subscription per client, events coalesced and
// batched through the client's outbox, commands validated with the contract, dead clients dropped.
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { parseCommand } from '../../shared/contract';
import type { ServerFrame } from '../../shared/contract';
import type { Supervisor, SupervisorListener } from '../supervisor/api';
import { errorMessage } from './api';
import { WS_PROTOCOL } from './auth';
import { createOutbox, drain, enqueue } from './outbox';
import type { OutboxLimits } from './outbox';

export interface WsHubOptions {
  supervisor: Supervisor;
  limits: OutboxLimits;
  /** Longest time an event waits in the outbox before it is sent. */
  flushMs: number;
  /** Ping interval; a client that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** Largest client frame accepted. */
  maxPayload: number;
  /** Commands one client may have running at once. */
  maxInflight: number;
}

export interface WsHub {
  readonly wss: WebSocketServer;
  readonly clientCount: () => number;
  close(): Promise<void>;
}

/** Id used in result frames for frames too broken to carry their own id. */
export const NO_ID = -1;

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

function fail(ws: WebSocket, id: number, error: string): void {
  send(ws, { type: 'result', id, ok: false, error });
}

export function createWsHub(opts: WsHubOptions): WsHub {
  const { supervisor, limits } = opts;
  // Terminate, not just drop logs for, a client whose send buffer runs far past the log limit: one
  // drain may legitimately add a full batch of long lines, but state frames piling up on top of that
  // means it stopped reading. It reconnects and gets a fresh snapshot.
  const hardLimit = limits.maxBufferedBytes * 2 + 32 * 1024 * 1024;
  // The page offers `hearth` and the session subprotocol; the answer names `hearth` only, never the session.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();

  wss.on('connection', (ws: WebSocket) => {
    const box = createOutbox();
    let timer: NodeJS.Timeout | null = null;
    let closed = false;
    let inflight = 0;
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));

    const flush = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (closed || ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > hardLimit) {
        ws.terminate();
        return;
      }
      const { frames, pendingGap } = drain(box, ws.bufferedAmount, limits);
      for (const frame of frames) send(ws, frame);
      if (pendingGap) schedule();
    };
    const schedule = (): void => {
      if (!timer && !closed) timer = setTimeout(flush, opts.flushMs);
    };
    const listener: SupervisorListener = (event, payload) => {
      if (closed) return;
      try {
        if (enqueue(box, event, payload, limits) === 'now') flush();
        else schedule();
      } catch {
        // A broken client socket must never throw into the supervisor's event loop.
        ws.terminate();
      }
    };
    // The supervisor calls `listener` with the snapshot before returning: the client gets it first.
    // An open page shows CPU/RSS meters: sampling runs while at least one is connected.
    let unsubscribe = supervisor.subscribe(listener, { resources: true });

    const onFrame = (data: RawData, isBinary: boolean): void => {
      if (isBinary) return fail(ws, NO_ID, 'binary frames are not supported');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return fail(ws, NO_ID, 'frame is not valid JSON');
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return fail(ws, NO_ID, 'frame must be a JSON object');
      const f = frame as Record<string, unknown>;
      const id = typeof f.id === 'number' && Number.isSafeInteger(f.id) ? f.id : NO_ID;
      if (f.type === 'subscribe') {
        // Resubscribing yields a fresh snapshot: a client that suspects it missed something can resync.
        unsubscribe();
        unsubscribe = supervisor.subscribe(listener, { resources: true });
        return;
      }
      if (f.type !== 'invoke') return fail(ws, id, `unknown frame type ${JSON.stringify(f.type)}`);
      if (id === NO_ID) return fail(ws, NO_ID, 'invoke needs an integer id');
      if (inflight >= opts.maxInflight) return fail(ws, id, `too many commands in flight (max ${opts.maxInflight})`);
      let parsed: ReturnType<typeof parseCommand>;
      try {
        parsed = parseCommand(f.command, f.args);
      } catch (error) {
        return fail(ws, id, errorMessage(error));
      }
      inflight += 1;
      supervisor.invoke(parsed.command, parsed.args).then(
        (result) => {
          inflight -= 1;
          flush(); // state changes caused by the command reach the client before its result
          send(ws, { type: 'result', id, ok: true, result });
        },
        (error: unknown) => {
          inflight -= 1;
          flush();
          fail(ws, id, errorMessage(error));
        },
      );
    };
    ws.on('message', onFrame);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      unsubscribe();
    });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    wss,
    clientCount: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      const closing = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close(1001, 'server shutting down');
            // Do not wait on a peer that never answers the closing handshake.
            setTimeout(() => ws.terminate(), 500).unref();
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
