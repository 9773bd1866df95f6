// Client side of the control socket, used by every `hearth` command that talks to a running instance.
import { connect, type Socket } from 'node:net';
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents } from '../../shared/contract';
import {
  encodeFrame,
  LineSplitter,
  MAX_SERVER_LINE_BYTES,
  type ControlServerFrame,
  type HelloFrame,
} from './protocol';
import { checkSocketTrust } from './secure-dir';

/** No instance serves this stack (no socket file, or a stale one nobody listens on). */
export class NotRunningError extends Error {
  constructor(readonly stackFile: string | null, readonly socketPath: string) {
    super(
      stackFile
        ? `no running hearth instance for ${stackFile} (start one with: hearth up -f ${stackFile})`
        : `no running hearth instance on ${socketPath} (start one with: hearth up)`,
    );
  }
}

/** The instance went away while a request was in flight. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('the hearth instance closed the connection');
  }
}

export type ControlListener = <E extends EventName>(event: E, payload: HearthEvents[E]) => void;

export interface ControlClient {
  /** Who answered: pid and stack file of the instance. */
  readonly info: { pid: number; file: string; protocol: number };
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  /** Resolves once the first event (the snapshot) has been delivered to `listener`. */
  /** `resources`: this subscriber shows CPU/RSS (the supervisor samples while it is subscribed). */
  subscribe(listener: ControlListener, opts?: { resources?: boolean }): Promise<void>;
  /** Resolves when the connection ends, for whatever reason. */
  readonly closed: Promise<void>;
  close(): void;
}

export interface ConnectOptions {
  /** Named in NotRunningError's message. */
  stackFile?: string;
  /** How long to wait for the server's hello. */
  timeoutMs?: number;
}

export function connectControl(socketPath: string, opts: ConnectOptions = {}): Promise<ControlClient> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    // Nothing, not even a connection, goes to a socket or folder that is not ours and private.
    try {
      if (checkSocketTrust(socketPath) === 'missing') return reject(new NotRunningError(opts.stackFile ?? null, socketPath));
    } catch (error) {
      return reject(error as Error);
    }
    const socket = connect(socketPath);
    let client: Client | null = null;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the hearth instance on ${socketPath} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (client) return;
      clearTimeout(timer);
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') reject(new NotRunningError(opts.stackFile ?? null, socketPath));
      else reject(new Error(`cannot reach hearth on ${socketPath}: ${error.message}`));
    });
    socket.once('close', () => {
      if (client) return;
      clearTimeout(timer);
      reject(new Error(`the hearth instance on ${socketPath} closed the connection before saying hello`));
    });
    const splitter = new LineSplitter(
      MAX_SERVER_LINE_BYTES,
      (line) => {
        let frame: ControlServerFrame;
        try {
          frame = JSON.parse(line) as ControlServerFrame;
        } catch {
          return; // a server bug; nothing useful to do with half a frame
        }
        if (!client) {
          if (frame.type !== 'hello') return;
          clearTimeout(timer);
          client = new Client(socket, frame);
          resolve(client);
          return;
        }
        client.handle(frame);
      },
      () => undefined,
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  });
}

class Client implements ControlClient {
  readonly info: { pid: number; file: string; protocol: number };
  readonly closed: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private subscription: { listener: ControlListener; ready: () => void; seen: boolean } | null = null;

  constructor(
    private readonly socket: Socket,
    hello: HelloFrame,
  ) {
    this.info = { pid: hello.pid, file: hello.file, protocol: hello.protocol };
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        for (const waiter of this.pending.values()) waiter.reject(new ConnectionClosedError());
        this.pending.clear();
        resolve();
      });
    });
    socket.on('error', () => undefined); // surfaced through 'close' and pending rejections
  }

  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    if (this.socket.destroyed) return Promise.reject(new ConnectionClosedError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(encodeFrame({ type: 'invoke', id, command, args }));
    });
  }

  subscribe(listener: ControlListener, opts: { resources?: boolean } = {}): Promise<void> {
    if (this.socket.destroyed) return Promise.reject(new ConnectionClosedError());
    // One subscription per connection (the server sends one snapshot); open another client for more.
    if (this.subscription) return Promise.reject(new Error('this connection is already subscribed'));
    return new Promise((resolve, reject) => {
      this.subscription = { listener, ready: resolve, seen: false };
      this.socket.write(encodeFrame(opts.resources ? { type: 'subscribe', resources: true } : { type: 'subscribe' }));
      void this.closed.then(() => reject(new ConnectionClosedError()));
    });
  }

  handle(frame: ControlServerFrame): void {
    if (frame.type === 'result') {
      const waiter = this.pending.get(frame.id);
      if (!waiter) return;
      this.pending.delete(frame.id);
      if (frame.ok) waiter.resolve(frame.result);
      else waiter.reject(new Error(frame.error));
    } else if (frame.type === 'event') {
      this.deliver(frame.event, frame.payload as HearthEvents[typeof frame.event]);
    }
    // 'error' frames answer garbage we never send; 'hello' only comes first.
  }

  private deliver<E extends EventName>(event: E, payload: HearthEvents[E]): void {
    const entry = this.subscription;
    if (!entry) return;
    if (!entry.seen && event !== 'snapshot') return; // a subscription starts at its snapshot
    entry.listener(event, payload);
    if (!entry.seen) {
      entry.seen = true;
      entry.ready();
    }
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}
