// What a command may touch of the outside world. `main` fills in the real process; tests inject
// writers, a cwd, an environment and a way to deliver Ctrl-C.
import type { Readable, Writable } from 'node:stream';
import type { Palette } from './color';

export interface Writer {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  out: Writer;
  err: Writer;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Standard input, for `hearth attach` (read only by that command). */
  in?: Readable;
  /** Called on every Ctrl-C / SIGTERM / SIGHUP while registered; returns the function that unregisters. */
  onInterrupt(handler: () => void): () => void;
}

/** Per-run context handed to every command. */
export interface CliContext {
  io: CliIo;
  palette: Palette;
  /** Stack file as the user wrote it (for messages) and resolved against io.cwd. */
  file: { given: string; path: string };
}

/**
 * process.stdout/stderr with a closed reader (`hearth logs | head`) handled: further output is
 * discarded and `onBroken` runs once, instead of an unhandled EPIPE crashing hearth (which, under
 * `hearth up`, would leave the services running with nobody supervising them).
 */
export class ProcessWriter implements Writer {
  private broken = false;
  /** 'drain' listeners not yet called: a broken stream never drains, so they are released by hand. */
  private readonly drainWaiters = new Set<() => void>();

  constructor(
    private readonly stream: Writable & { isTTY?: boolean },
    onBroken: () => void,
  ) {
    const markBroken = (): void => {
      if (this.broken) return;
      this.broken = true;
      for (const waiter of [...this.drainWaiters]) waiter();
      onBroken();
    };
    // process.stdout reports a closed reader as an EPIPE 'error'; other pipes may just 'close'.
    stream.on('error', markBroken);
    stream.on('close', markBroken);
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  write(chunk: string): boolean {
    if (this.broken) return true;
    return this.stream.write(chunk);
  }

  once(event: 'drain', listener: () => void): this {
    if (this.broken) {
      queueMicrotask(listener);
      return this;
    }
    const once = (): void => {
      if (!this.drainWaiters.delete(once)) return;
      listener();
    };
    this.drainWaiters.add(once);
    this.stream.once(event, once);
    return this;
  }
}

/**
 * Signals that mean "stop". SIGHUP is a closed terminal or a dropped SSH session: by default it would end
 * hearth at once, and the services, each in a process group of its own, would run on unsupervised.
 */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let shared: CliIo | null = null;

/**
 * The real process's I/O. One instance per process: each ProcessWriter listens on process.stdout/stderr,
 * and `main()` may run many times in one process (tests, embedding), which must not pile up listeners.
 */
export function processIo(): CliIo {
  shared ??= createProcessIo();
  return shared;
}

function createProcessIo(): CliIo {
  const handlers = new Set<() => void>();
  // A vanished stdout is treated like Ctrl-C: `up` stops the stack, `logs --follow` ends. It may break
  // before a command listens (while printing history), so it is remembered for later listeners too.
  let stdoutGone = false;
  const interruptAll = (): void => {
    stdoutGone = true;
    for (const handler of [...handlers]) handler();
  };
  return {
    out: new ProcessWriter(process.stdout, interruptAll),
    err: new ProcessWriter(process.stderr, () => undefined),
    get cwd() {
      return process.cwd();
    },
    env: process.env,
    in: process.stdin,
    onInterrupt(handler) {
      const wrapped = (): void => handler();
      handlers.add(wrapped);
      for (const signal of STOP_SIGNALS) process.on(signal, wrapped);
      if (stdoutGone) queueMicrotask(wrapped);
      return () => {
        handlers.delete(wrapped);
        for (const signal of STOP_SIGNALS) process.off(signal, wrapped);
      };
    },
  };
}

/** Resolves on the first interrupt; the handler stays registered until `dispose`. */
export function nextInterrupt(io: CliIo): { promise: Promise<void>; dispose: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const dispose = io.onInterrupt(() => resolve());
  return { promise, dispose };
}
