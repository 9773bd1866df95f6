// Real processes for the capture engine tests, and a CaptureJob wired to their output.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';
import type { CaptureKind } from '../../../shared/types';
import type { CaptureJob } from '../../../electron/supervisor/capture/engine';
import { testTempDir } from '../../helpers/temp-dir';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface Subject {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Resolves when a line matching `pattern` has been printed. */
  waitLine(pattern: RegExp): Promise<string>;
  job(kind: CaptureKind, extra?: Partial<CaptureJob>): CaptureJob;
}

export function startSubject(cmd: string, args: string[]): Subject {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  const lines: string[] = [];
  const taps = new Set<(line: string) => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const tap of taps) tap(line);
    });
  }
  const dir = testTempDir('cap-');
  const waitLine = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return resolve(seen);
      const tap = (line: string) => {
        if (!pattern.test(line)) return;
        taps.delete(tap);
        resolve(line);
      };
      taps.add(tap);
      child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before printing ${pattern}: ${lines.join('\n')}`)));
    });
  return {
    child,
    pid: child.pid!,
    lines,
    waitLine,
    job: (kind, extra = {}) => ({
      pid: child.pid!,
      kind,
      durationMs: 1000,
      basePath: join(dir, `capture-${kind}`),
      signal: new AbortController().signal,
      ports: {},
      note: () => undefined,
      tapOutput: (listener) => {
        taps.add(listener);
        return () => taps.delete(listener);
      },
      recentOutput: () => [...lines],
      ...extra,
    }),
  };
}
