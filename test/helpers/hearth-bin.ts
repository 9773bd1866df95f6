// bin/hearth.js as people run it: a real process on a stack file, its exit code and output.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'hearth.js');

export interface HearthRun {
  code: number;
  out: string;
  err: string;
}

/** `hearth -f FILE ARGS…` in the stack's folder, colours off; `env` is added to this process's environment. */
export function hearthBin(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<HearthRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, '-f', file, ...args], { cwd: dirname(file), env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}
