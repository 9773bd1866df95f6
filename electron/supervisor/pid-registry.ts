// What this supervisor started, on disk (.hearth/pids.json), so that the next run can reap what a
// crashed supervisor left behind. Every entry carries the process's start time and the process-platform
// backend that read it (start times of different backends are in different units: /proc clock ticks, ps
// seconds, FILETIME): a pid that now denotes another process (pids are reused) is never touched, and
// an entry that cannot be verified is reported, not killed.
// The file is trusted only as far as it is ours (safe-fs.ts: a regular file of this user in this user's
// private `.hearth`), and even then a pid is signalled only when its process runs as this user: the
// file says which processes this user's earlier run started, never which processes to kill.
import { unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { stopTree, type StopResult } from './process/kill-tree';
import { BUILTIN_DEFAULTS } from './config/defaults';
import type { LifecycleConfig } from './config/types';
import { isLiveStat } from './process/proc-stat';
import { waitGone } from './process/wait-gone';
import { BACKEND_NAMES, type BackendName, type ProcessPlatform } from './process/platform/types';
import { ensureStateDir, myUid, readOwnFile, UntrustedStateError, writeFileAtomic } from './safe-fs';

export interface PidEntry {
  service: string;
  pid: number;
  startTime: number | null;
  /** The backend that read startTime (files from before it was recorded: linux, the only one then). */
  backend: BackendName;
}

export interface ReapResult {
  service: string;
  pid: number;
  killed: boolean;
  reason: string;
}

export class PidRegistry {
  private list: PidEntry[];
  /** Why the registry file could not be written last time, or null. Recording never throws. */
  error: string | null = null;

  constructor(
    private readonly file: string,
    private readonly backend: BackendName,
  ) {
    this.list = readEntries(file);
  }

  record(service: string, pid: number, startTime: number | null): void {
    if (!Number.isInteger(pid) || pid <= 0) return;
    this.list = this.list.filter((e) => e.pid !== pid);
    this.list.push({ service, pid, startTime, backend: this.backend });
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
      // Checked on every write: a `.hearth` removed under a running stack is made again as ours, never trusted as found.
      ensureStateDir(dirname(this.file), { create: true });
      writeFileAtomic(this.file, `${JSON.stringify({ version: 1, uid: myUid(), entries: this.list }, null, 2)}\n`);
      this.error = null;
    } catch (error) {
      this.error = `cannot write ${this.file}: ${(error as Error).message}`;
    }
  }
}

function readEntries(file: string): PidEntry[] {
  let text: string | null;
  try {
    text = readOwnFile(file);
  } catch (error) {
    if (error instanceof UntrustedStateError) throw error; // a planted file is news, not an empty registry
    return [];
  }
  if (text === null) return [];
  try {
    const parsed = JSON.parse(text) as { entries?: unknown; uid?: unknown };
    // Written by another uid (a `.hearth` copied from elsewhere): none of its pids are this user's.
    if (parsed.uid !== undefined && parsed.uid !== myUid()) return [];
    if (!Array.isArray(parsed.entries)) return [];
    return parsed.entries
      .filter(
        (e): e is Omit<PidEntry, 'backend'> & { backend?: unknown } =>
          typeof e === 'object' && e !== null && typeof e.service === 'string' && Number.isInteger(e.pid) && e.pid > 0 && (e.startTime === null || Number.isInteger(e.startTime)),
      )
      .map((e) => ({ service: e.service, pid: e.pid, startTime: e.startTime, backend: (BACKEND_NAMES as readonly unknown[]).includes(e.backend) ? (e.backend as BackendName) : 'linux' }));
  } catch {
    return []; // no file (clean shutdown) or a corrupt one
  }
}

/** After the stops, how long to wait for every pid to be really gone (a zombie still counts: see waitGone). */
const REAP_WAIT_MS = 5000;

export interface ReapOptions {
  /**
   * How a service stops (its stop_signal, shutdown_wait_secs, kill_mode): an orphan is stopped as a stop
   * would, not SIGKILLed, so Postgres shuts down cleanly instead of running crash recovery next time.
   * Null for a service the stack no longer has: the built-in stop sequence.
   */
  lifecycleOf(service: string): LifecycleConfig | null;
  /** A line about a stop under way (its phases), for the host to show. */
  onPhase?(service: string, text: string): void;
}

/**
 * Stops the process trees recorded in `file` that are still running (identity checked by start time), each
 * as its service stops, all at once, waits until every pid is really gone, then deletes the file. Call it
 * at startup, before anything is allocated or started: the orphans may hold the ports this run reuses.
 */
export async function reapOrphans(file: string, platform: ProcessPlatform, opts: ReapOptions): Promise<ReapResult[]> {
  const results: ReapResult[] = [];
  const stops: Array<Promise<void>> = [];
  const signalled: number[] = [];
  const uid = myUid();
  const stop = (service: string, pid: number, startTime: number, report: (r: StopResult) => ReapResult): void => {
    const lifecycle = opts.lifecycleOf(service) ?? { http: null, ...BUILTIN_DEFAULTS.lifecycle };
    const index = results.push({ service, pid, killed: false, reason: '' }) - 1;
    stops.push(
      stopTree({ pid, startTime }, { lifecycle: { ...lifecycle, http: null }, platform, onlyUid: uid, onPhase: (m) => opts.onPhase?.(service, m) }).then((r) => {
        signalled.push(...r.pids);
        results[index] = report(r);
      }),
    );
  };
  for (const { service, pid, startTime, backend } of readEntries(file)) {
    const entry = await platform.read(pid);
    const alive = isLiveStat(entry);
    const owner = alive ? platform.uidOf(entry) : null;
    if (backend !== platform.name && (alive || platform.signalPid(pid, 0))) {
      results.push({ service, pid, killed: false, reason: `recorded by the ${backend} process backend, which this run (${platform.name}) cannot verify; left alone` });
    } else if (platform.name === 'none' && platform.signalPid(pid, 0)) {
      results.push({ service, pid, killed: false, reason: 'no process table here, so the pid cannot be verified; left alone' });
    } else if (alive && uid !== null && owner !== uid) {
      results.push({ service, pid, killed: false, reason: `runs as ${owner === null ? 'an unknown user' : `uid ${owner}`}, not as you (uid ${uid}); left alone` });
    } else if (alive && startTime === null) {
      results.push({ service, pid, killed: false, reason: 'no start time was recorded, so the pid cannot be verified; left alone' });
    } else if (alive && entry.startTime !== startTime) {
      results.push({ service, pid, killed: false, reason: 'pid reused, left alone' });
    } else if (alive) {
      const signal = (opts.lifecycleOf(service) ?? BUILTIN_DEFAULTS.lifecycle).stop_signal;
      stop(service, pid, startTime!, (r) => ({ service, pid, killed: r.pids.length > 0, reason: `orphaned by a previous run; stopped ${plural(r.pids.length)} (${how(signal, r)})` }));
    } else if (startTime !== null && backend === platform.name) {
      // The recorded process is gone, but what it started may still sit in its process group.
      const signal = (opts.lifecycleOf(service) ?? BUILTIN_DEFAULTS.lifecycle).stop_signal;
      stop(service, pid, startTime, (r) =>
        r.pids.length > 0
          ? { service, pid, killed: true, reason: `process already gone; stopped ${plural(r.pids.length)} it left in its group (${how(signal, r)})` }
          : { service, pid, killed: false, reason: 'already gone' },
      );
    } else {
      results.push({ service, pid, killed: false, reason: 'already gone' });
    }
  }
  await Promise.all(stops);
  const zombies = await waitGone(signalled, platform, REAP_WAIT_MS);
  if (zombies.length > 0) {
    for (const r of results) if (zombies.includes(r.pid)) r.reason += `; pid ${r.pid} is still a zombie (its parent has not reaped it), and a program that checks its old pid (Postgres's postmaster.pid) sees it as running`;
  }
  try {
    unlinkSync(file);
  } catch {
    // never existed, or already cleared
  }
  return results;
}

/** "SIGTERM", or "SIGTERM, then SIGKILL" when the grace ran out. */
function how(signal: string, r: StopResult): string {
  return r.killed ? `${signal}, then SIGKILL after the grace` : signal;
}

function plural(n: number): string {
  return n === 1 ? '1 process' : `${n} processes`;
}
