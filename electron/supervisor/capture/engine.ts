// What a capture engine is given and gives back. An engine knows one tool (the inspector, py-spy, gcore…);
// snoozing, naming the file and listing it are the controller's (controller.ts).
import type { CaptureFormat, CaptureKind } from '../../../shared/types';

export interface CaptureJob {
  /** The process to capture (for a command run through /bin/sh, what the shell started). */
  pid: number;
  kind: CaptureKind;
  /** How long a sampling capture (cpu) runs; ignored by one-shot kinds. */
  durationMs: number;
  /** Where the file goes, without its extension: the engine adds the one its format has. */
  basePath: string;
  /** Aborted by `capture_cancel`, Ctrl-C on `hearth capture`, or the service stopping: end early, keep what there is. */
  signal: AbortSignal;
  /** The service's named ports (a Go service's `pprof`). */
  ports: Record<string, number>;
  /** A line in the service's log (what the capture is doing). */
  note(text: string): void;
  /** Lines the service prints from now on, until the returned function is called. */
  tapOutput(listener: (line: string) => void): () => void;
  /** Lines the service printed in its current run (most recent last). */
  recentOutput(): string[];
}

export interface CaptureOutput {
  file: string;
  format: CaptureFormat;
  /** The command (or place) that opens it outside Hearth. */
  openWith: string;
}

export interface CaptureEngine {
  readonly name: string;
  run(job: CaptureJob): Promise<CaptureOutput>;
}

/** Formats speedscope reads, so the UI can show them as a flame graph. */
export const FLAME_FORMATS: ReadonlySet<CaptureFormat> = new Set(['cpuprofile', 'speedscope', 'pprof', 'perf-script']);

/** Resolves after `ms`, or at once when `signal` aborts: a sampling capture ends early and keeps its samples. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
