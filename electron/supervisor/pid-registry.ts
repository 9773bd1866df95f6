// What this supervisor started, on disk (.hearth/pids.json), so that the next run can reap what a
// crashed supervisor left behind. Every entry carries the process's /proc start time: a pid that
// now denotes another process (pids are reused) is never touched.
// Without /proc (macOS, Windows) start times are null and such entries are reported, not killed.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { killTreeNow } from './process/kill-tree';
import { isLiveStat, readProcStat } from './process/proc-stat';

export interface PidEntry {
  service: string;
  pid: number;
  startTime: number | null;
}

export interface ReapResult {
  service: string;
  pid: number;
  killed: boolean;
  reason: string;
}

/** /proc/<pid>/stat start time (clock ticks since boot), or null when there is no such process. */
export function procStartTime(pid: number): number | null {
  return readProcStat(pid)?.startTime ?? null;
}

export class PidRegistry {
  private list: PidEntry[];
  /** Why the registry file could not be written last time, or null. Recording never throws. */
  error: string | null = null;

  constructor(private readonly file: string) {
    this.list = readEntries(file);
  }

  record(service: string, pid: number, startTime: number | null): void {
    if (!Number.isInteger(pid) || pid <= 0) return;
    this.list = this.list.filter((e) => e.pid !== pid);
    this.list.push({ service, pid, startTime });
    this.persist();
  }

  forget(pid: number): void {
    const before = this.list.length;
    this.list = this.list.filter((e) => e.pid !== pid);
    if (this.list.length !== before) this.persist();
  }

  entries(): PidEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  /**
   * Writes are coalesced to one per event-loop turn: a restart does not wait on a synchronous write, and
   * starting or stopping 50 services rewrites the file once, not 50 times. (A supervisor SIGKILLed in the
   * same turn as a spawn can miss that one entry; the next turn has it on disk.)
   */
  private persist(): void {
    this.pending ??= setImmediate(() => this.flush());
  }

  private pending: NodeJS.Immediate | null = null;

  /** Writes what is pending now (on close, and in tests that read the file right away). */
  flush(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = null;
    this.writeNow();
  }

  /** Temp file + rename: a crash mid-write leaves the old file or the new one, never half of one. */
  private writeNow(): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 1, entries: this.list }, null, 2)}\n`);
      renameSync(tmp, this.file);
      this.error = null;
    } catch (error) {
      this.error = `cannot write ${this.file}: ${(error as Error).message}`;
    }
  }
}

function readEntries(file: string): PidEntry[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown };
    if (!Array.isArray(parsed.entries)) return [];
    return parsed.entries.filter(
      (e): e is PidEntry =>
        typeof e === 'object' && e !== null && typeof e.service === 'string' && Number.isInteger(e.pid) && e.pid > 0 && (e.startTime === null || Number.isInteger(e.startTime)),
    );
  } catch {
    return []; // no file (clean shutdown) or a corrupt one
  }
}

/** How long to wait for SIGKILLed orphans to disappear before reporting anyway. */
const REAP_WAIT_MS = 2000;

/**
 * Kills the process trees recorded in `file` that are still running (identity checked by start time),
 * then deletes the file. Call it at startup, before starting anything new.
 */
export async function reapOrphans(file: string): Promise<ReapResult[]> {
  const results: ReapResult[] = [];
  const signalled: number[] = [];
  for (const { service, pid, startTime } of readEntries(file)) {
    const stat = readProcStat(pid);
    const alive = isLiveStat(stat);
    if (alive && startTime === null) {
      results.push({ service, pid, killed: false, reason: 'no start time was recorded, so the pid cannot be verified; left alone' });
    } else if (alive && stat.startTime !== startTime) {
      results.push({ service, pid, killed: false, reason: 'pid reused, left alone' });
    } else if (alive) {
      const pids = killTreeNow(pid, startTime);
      signalled.push(...pids);
      results.push({ service, pid, killed: pids.length > 0, reason: `orphaned by a previous run; killed ${plural(pids.length)}` });
    } else {
      // The recorded process is gone, but what it started may still sit in its process group.
      const pids = startTime === null ? [] : killTreeNow(pid, startTime);
      signalled.push(...pids);
      results.push(
        pids.length > 0
          ? { service, pid, killed: true, reason: `process already gone; killed ${plural(pids.length)} it left in its group` }
          : { service, pid, killed: false, reason: 'already gone' },
      );
    }
  }
  await waitGone(signalled);
  try {
    unlinkSync(file);
  } catch {
    // never existed, or already cleared
  }
  return results;
}

function plural(n: number): string {
  return n === 1 ? '1 process' : `${n} processes`;
}

async function waitGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + REAP_WAIT_MS;
  let left = pids;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    left = left.filter((pid) => isLiveStat(readProcStat(pid)));
  }
}
