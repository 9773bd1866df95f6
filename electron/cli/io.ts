// What a command may touch of the outside world. `main` fills in the real process; tests inject
// writers, a cwd, an environment and a way to deliver Ctrl-C.
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
  /** Called on every Ctrl-C / SIGTERM while registered; returns the function that unregisters. */
  onInterrupt(handler: () => void): () => void;
}

/** Per-run context handed to every command. */
export interface CliContext {
  io: CliIo;
  palette: Palette;
  /** Stack file as the user wrote it (for messages) and resolved against io.cwd. */
  file: { given: string; path: string };
}

export function processIo(): CliIo {
  return {
    out: process.stdout,
    err: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
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
