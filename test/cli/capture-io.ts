// Test IO for `main`: collects stdout/stderr text and lets a test deliver Ctrl-C.
import type { CliIo, Writer } from '../../electron/cli/io';

export class TextWriter implements Writer {
  text = '';
  /** How many write() calls the text came in. */
  writes = 0;
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return true;
  }
  once(): this {
    return this;
  }
  lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

export interface CapturedIo extends CliIo {
  out: TextWriter;
  err: TextWriter;
  /** Simulates Ctrl-C: calls every registered interrupt handler. */
  interrupt(): void;
  handlerCount(): number;
}

export function captureIo(cwd: string, env: Record<string, string | undefined> = {}): CapturedIo {
  const handlers = new Set<() => void>();
  return {
    out: new TextWriter(),
    err: new TextWriter(),
    cwd,
    env,
    onInterrupt(handler) {
      const wrapped = (): void => handler();
      handlers.add(wrapped);
      return () => handlers.delete(wrapped);
    },
    interrupt() {
      for (const handler of [...handlers]) handler();
    },
    handlerCount: () => handlers.size,
  };
}
