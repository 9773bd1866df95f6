// The control socket: how `hearth status/stop/logs/down…` reach a running instance.
// Newline-delimited JSON over a Unix socket in a 0700 folder; the socket itself is 0600.
import { chmodSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { parseCommand, type ClientFrame, type CommandArgs, type CommandName, type CommandResult } from '../../shared/contract';
import { AlreadyRunningError, NO_WEB_UI } from './errors';
import type { Supervisor } from '../supervisor/api';
import { probeControlSocket } from './probe';
import {
  CONTROL_PROTOCOL_VERSION,
  encodeFrame,
  LineSplitter,
  MAX_CLIENT_LINE_BYTES,
  type ControlServerFrame,
} from './protocol';
import { ensurePrivateDir } from './secure-dir';
import { isNamedPipe } from './socket-path';

export interface ControlServerOptions {
  supervisor: Supervisor;
  socketPath: string;
  /**
   * Called (after the reply is flushed) when a client sends `shutdown`, instead of passing it to the
   * supervisor: only the host can stop everything AND exit. Without it, `shutdown` goes to the supervisor.
   */
  onShutdown?: () => void;
  /**
   * Answers `web_login` (`hearth open`): a one-time login link of the web UI this process serves, or null
   * when it serves none right now (`hearth up`, the app). Asked at each request: the web host starts
   * after the control socket.
   */
  webLogin?: (args: CommandArgs<'web_login'>) => CommandResult<'web_login'> | null;
  /**
   * A client that lets more than this many bytes of output pile up (beyond its snapshot) is disconnected
   * (default 8 MiB); a UI reconnects and starts again from a snapshot.
   */
  maxPendingBytes?: number;
  /** Open connections beyond which new ones are closed as they arrive (default 256). */
  maxConnections?: number;
}

export interface ControlServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

/**
 * A subscriber that lets this much output pile up is not reading; drop it rather than grow forever. What
 * is queued sits in V8's heap as strings and, while written, in malloc's, which glibc keeps once freed:
 * with 32 MiB the soak's host swung by 100 MB and more under a flood (BENCHMARKS.md). A UI that reads at
 * all keeps up with far less.
 */
const DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;
/** Far above what `hearth status --watch` in a few terminals needs, far below the descriptor limit. */
export const DEFAULT_MAX_CONTROL_CONNECTIONS = 256;

export async function startControlServer(opts: ControlServerOptions): Promise<ControlServer> {
  const { socketPath } = opts;
  // A Windows named pipe is no file: no folder to protect, nothing stale to remove, no mode to set.
  const pipe = isNamedPipe(socketPath);
  if (!pipe) ensurePrivateDir(dirname(socketPath));
  if (!pipe) await clearStaleSocket(socketPath);
  else await assertNotRunning(socketPath);

  const connections = new Set<Socket>();
  // A runaway script looping `connect` must not take the descriptors the services' pipes and logs need:
  // past the cap a connection is closed as it arrives (counted with the set of connections kept anyway).
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONTROL_CONNECTIONS;
  const server = createServer((socket) => {
    if (connections.size >= maxConnections) return void socket.destroy();
    serveConnection(socket, opts, connections);
  });
  await listenOnce(server, socketPath).catch(async (error: NodeJS.ErrnoException) => {
    // Lost a race with another instance starting at the same moment, or a stale file appeared.
    if (error.code !== 'EADDRINUSE') throw error;
    await clearStaleSocket(socketPath);
    await listenOnce(server, socketPath);
  });
  if (!pipe) chmodSync(socketPath, 0o600);
  const ino = pipe ? null : statSync(socketPath).ino;

  let closing: Promise<void> | null = null;
  return {
    socketPath,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of connections) socket.destroy();
        // Remove the file only if it is still ours (never someone else's socket at the same path).
        try {
          if (ino !== null && lstatSync(socketPath).ino === ino) unlinkSync(socketPath);
        } catch {
          // already gone
        }
      });
      return closing;
    },
  };
}

/**
 * Throws AlreadyRunningError when a live instance answers on the socket. The host asks this before it
 * touches any of the stack's state (ports.json, pids.json): a second `hearth up` must fail without moving
 * the first one's ports. Returns what the probe found otherwise.
 */
export async function assertNotRunning(socketPath: string): Promise<'missing' | 'refused'> {
  const probe = await probeControlSocket(socketPath);
  if (probe.live) {
    const who = probe.hello ? `pid ${probe.hello.pid}` : 'pid unknown';
    throw new AlreadyRunningError(`hearth is already running this stack (${who})`);
  }
  return probe.reason;
}

async function clearStaleSocket(socketPath: string): Promise<void> {
  if ((await assertNotRunning(socketPath)) === 'refused') {
    // Left by a crashed run: nobody listens, so it carries no information. Never trust it.
    try {
      unlinkSync(socketPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

function listenOnce(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // The socket is created 0600, not chmod-ed after: no moment where it is open, and a crash never leaves an open one.
    const umask = process.umask(0o177);
    try {
      server.listen(socketPath);
    } finally {
      process.umask(umask);
    }
  });
}

function serveConnection(socket: Socket, opts: ControlServerOptions, connections: Set<Socket>): void {
  const { supervisor } = opts;
  const maxPending = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  connections.add(socket);
  let unsubscribe: (() => void) | null = null;
  // The snapshot is one frame the client asked for, not a backlog: until it is flushed it does not count
  // against the bound, else a stack whose snapshot alone is over it (5,000 long lines) would cut a UI off
  // at every reconnect, forever.
  let snapshotUnsent = 0;

  const send = (frame: ControlServerFrame): void => {
    if (socket.destroyed || !socket.writable) return;
    let text: string;
    try {
      text = encodeFrame(frame);
    } catch (error) {
      // A result that cannot be serialised must not take the connection down.
      text = encodeFrame(
        frame.type === 'result'
          ? { type: 'result', id: frame.id, ok: false, error: `cannot encode result: ${(error as Error).message}` }
          : { type: 'error', error: `cannot encode frame: ${(error as Error).message}` },
      );
    }
    if (frame.type === 'event' && frame.event === 'snapshot') {
      snapshotUnsent = text.length;
      socket.write(text, () => (snapshotUnsent = 0));
    } else socket.write(text);
    if (socket.writableLength > maxPending + snapshotUnsent) socket.destroy();
  };

  const invoke = async (id: number, command: unknown, args: unknown): Promise<void> => {
    try {
      const parsed = parseCommand(command, args, { controlSocket: true });
      if (parsed.command === 'web_login') {
        const login = opts.webLogin?.(parsed.args as CommandArgs<'web_login'>) ?? null;
        if (!login) throw new Error(`${NO_WEB_UI} (pid ${process.pid})`);
        send({ type: 'result', id, ok: true, result: login });
        return;
      }
      if (parsed.command === 'shutdown' && opts.onShutdown) {
        const onShutdown = opts.onShutdown;
        socket.write(encodeFrame({ type: 'result', id, ok: true, result: { stopping: true } }), () => onShutdown());
        return;
      }
      const result = await supervisor.invoke<CommandName>(parsed.command, parsed.args);
      send({ type: 'result', id, ok: true, result });
    } catch (error) {
      send({ type: 'result', id, ok: false, error: errorText(error) });
    }
  };

  const handleLine = (line: string): void => {
    let frame: Partial<ClientFrame> & { id?: unknown; type?: unknown };
    try {
      frame = JSON.parse(line) as typeof frame;
    } catch (error) {
      send({ type: 'error', error: `malformed JSON: ${(error as Error).message}` });
      return;
    }
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
      send({ type: 'error', error: 'a frame must be a JSON object' });
      return;
    }
    if (frame.type === 'invoke') {
      if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) {
        send({ type: 'error', error: 'invoke: "id" must be an integer' });
        return;
      }
      void invoke(frame.id, (frame as { command?: unknown }).command, (frame as { args?: unknown }).args);
    } else if (frame.type === 'subscribe') {
      if (unsubscribe) return;
      // `hearth status --watch` shows CPU/RSS: sampling runs while it is connected (`hearth logs -f` does not ask).
      const resources = (frame as { resources?: unknown }).resources === true;
      unsubscribe = supervisor.subscribe((event, payload) => send({ type: 'event', event, payload }), { resources });
      // The supervisor may have called back before returning; if the socket died meanwhile, let go now.
      if (socket.destroyed) cleanup();
    } else {
      send({ type: 'error', error: `unknown frame type ${JSON.stringify(frame.type)}` });
    }
  };

  const splitter = new LineSplitter(MAX_CLIENT_LINE_BYTES, handleLine, () =>
    send({ type: 'error', error: `frame longer than ${MAX_CLIENT_LINE_BYTES} bytes was ignored` }),
  );

  const cleanup = (): void => {
    connections.delete(socket);
    const stop = unsubscribe;
    unsubscribe = null;
    stop?.();
  };

  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', cleanup);
  send({ type: 'hello', protocol: CONTROL_PROTOCOL_VERSION, pid: process.pid, file: supervisor.file });
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
