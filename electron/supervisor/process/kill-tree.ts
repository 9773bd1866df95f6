// Stopping a service's whole process tree, Aurora/Thermos style:
//   [HTTP lifecycle] POST graceful_shutdown_endpoint, wait graceful_shutdown_wait_secs for the exit;
//                    POST shutdown_endpoint, wait shutdown_wait_secs;
//   stop_signal (SIGTERM unless the service says otherwise) to the process group AND to descendants
//   that left it (setsid, double fork), wait shutdown_wait_secs; then SIGKILL whatever is left, until
//   nothing of the tree remains.
// Linux: the tree is found through /proc (ppid and pgrp links). On macOS the same walk needs
// `ps -A -o pid,ppid,pgid` (or the tree-kill package, which shells out to ps); on Windows there are no
// signals or process groups and `taskkill /T /F` is the only tool. Those ports are not done here.
import { request } from 'node:http';
import type { LifecycleConfig } from '../config/types';
import { childrenIndex, descendantsIn, isLiveStat, processUid, procTable, readProcStat, type ProcStat } from './proc-stat';
import { hostPort, isAbsentError, onLoopback } from '../loopback';
import { portUrl } from '../../../shared/port-url';

export interface StopTarget {
  pid: number;
  /** /proc start time recorded at spawn: proves the pid still denotes our process. */
  startTime?: number | null;
}

export interface StopOptions {
  lifecycle: LifecycleConfig;
  /** The resolved port of lifecycle.http.port, when the service has an HTTP lifecycle. */
  httpPort?: number;
  onPhase?: (msg: string) => void;
}

/** If SIGKILL does not finish the tree in this time (a process stuck in the kernel, state D), give up. */
const KILL_GIVE_UP_MS = 5_000;

/** Everything currently known to belong to one service's tree, keyed by pid, checked by start time. */
class Tree {
  private readonly members = new Map<number, ProcStat>();

  constructor(
    private readonly pgid: number,
    rootStartTime: number | null | undefined,
  ) {
    const root = readProcStat(pgid);
    // A pid that was reused (different start time) means our process is long gone — and Linux never
    // hands out a pid that is still some group's id, so its process group is empty as well.
    const reused = isLiveStat(root) && rootStartTime != null && root.startTime !== rootStartTime;
    if (isLiveStat(root) && !reused) this.members.set(pgid, root);
    // Without a start time to compare with, group members cannot be told apart from a later group.
    this.groupSince = reused ? null : (rootStartTime ?? (isLiveStat(root) ? root.startTime : null));
  }

  /** Start time of the group leader; null when the process group must not be trusted. */
  private readonly groupSince: number | null;

  /**
   * Re-reads /proc: drops members that are gone (or whose pid now denotes another process) and adds
   * new descendants of the remaining ones plus anything in the process group. Descendants are
   * collected before any signal and kept across calls, because once a parent dies its children are
   * reparented to init (or a subreaper) and can no longer be found by walking down from the root.
   */
  refresh(maxAgeMs = 0): ProcStat[] {
    const table = maxAgeMs > 0 ? recentProcTable(maxAgeMs) : procTable();
    for (const [pid, known] of this.members) {
      const now = table.get(pid);
      if (!isLiveStat(now ?? null) || now?.startTime !== known.startTime) this.members.delete(pid);
      else this.members.set(pid, now);
    }
    for (const pid of descendantsIn(table, [...this.members.keys()])) {
      const stat = table.get(pid);
      if (stat && !this.members.has(pid) && isOurs(pid)) this.members.set(pid, stat);
    }
    if (this.groupSince !== null) {
      for (const stat of table.values()) {
        // Group members whose leader already exited: they were necessarily started after it.
        if (stat.pgrp === this.pgid && isLiveStat(stat) && stat.startTime >= this.groupSince && isOurs(stat.pid)) {
          if (!this.members.has(stat.pid)) this.members.set(stat.pid, stat);
        }
      }
    }
    return [...this.members.values()];
  }

  /** The group in one atomic kill(-pgid) (it also catches a fork racing with us), the others one by one. */
  signal(live: ProcStat[], sig: NodeJS.Signals): void {
    if (live.some((s) => s.pgrp === this.pgid)) trySignal(-this.pgid, sig);
    for (const stat of live) if (stat.pgrp !== this.pgid) trySignal(stat.pid, sig);
  }

  pids(): number[] {
    return [...this.members.keys()];
  }

  has(pid: number): boolean {
    return this.members.has(pid);
  }
}

/** Never signal ourselves, our parent or init, whatever /proc says. */
function isOurs(pid: number): boolean {
  return pid > 1 && pid !== process.pid && pid !== process.ppid;
}

function trySignal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // ESRCH: already gone
  }
}

/**
 * `hearth signal`: `signal` to a service's main process, the command itself, or, when it runs through
 * `/bin/sh -c`, what the shell started (a shell would die of a USR1 meant for the program it runs). The
 * pids signalled; one that has just exited is left out (its exit is being handled), any other failure throws.
 */
export function signalMain(target: { pid: number; viaShell: boolean }, signal: NodeJS.Signals): number[] {
  return mainPids(target).filter((pid) => {
    try {
      process.kill(pid, signal);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw error;
    }
  });
}

/** The command's own process: for a command run through /bin/sh, what the shell started (dash does not exec its last command). */
export function mainPids(target: { pid: number; viaShell: boolean }): number[] {
  return target.viaShell ? (childrenIndex(procTable()).get(target.pid) ?? [target.pid]) : [target.pid];
}

/** Live descendants of `pid` (not `pid` itself), through /proc ppid links. */
export function descendantsOf(pid: number): number[] {
  return descendantsIn(procTable(), pid);
}

/**
 * SIGKILL the process group of `pid` and every descendant right away; returns the pids signalled.
 * With `startTime`, nothing is done if the pid now denotes another process, and when the leader is
 * gone its leftover group members (started after it) are still killed. With `onlyUid`, processes
 * running as another user are left alone.
 */
export function killTreeNow(pid: number, startTime?: number | null, onlyUid?: number | null): number[] {
  if (!isOurs(pid)) return [];
  const tree = new Tree(pid, startTime);
  const live = tree.refresh();
  if (onlyUid == null) {
    tree.signal(live, 'SIGKILL');
    return live.map((s) => s.pid);
  }
  // Reaping what a record names: only processes of that user, one by one (a group kill would reach all of its members).
  const mine = live.filter((s) => processUid(s.pid) === onlyUid);
  for (const s of mine) trySignal(s.pid, 'SIGKILL');
  return mine.map((s) => s.pid);
}

/**
 * What still runs in the process group of `target` once `target` itself has exited: what it started in the
 * background and left (`server &` in a script). Processes that also left the group (setsid, a daemon's
 * double fork) cannot be found once their parent is gone: init has adopted them.
 */
export function groupLeftovers(target: StopTarget): number[] {
  if (!isOurs(target.pid)) return [];
  // One syscall for the usual answer, an empty group; only a group with members costs a /proc scan.
  if (!trySignal(-target.pid, 0)) return [];
  return new Tree(target.pid, target.startTime)
    .refresh()
    .map((s) => s.pid)
    .filter((pid) => pid !== target.pid);
}

/** Resolves when nothing of the tree is left (or, after SIGKILL, when KILL_GIVE_UP_MS ran out). Never rejects. */
export async function stopTree(target: StopTarget, opts: StopOptions): Promise<void> {
  const phase = opts.onPhase ?? (() => {});
  if (!isOurs(target.pid)) return; // pid 0: the spawn failed, nothing runs
  const tree = new Tree(target.pid, target.startTime);
  if (tree.refresh().length === 0) return;
  const { lifecycle } = opts;
  const rootGone = () => !tree.has(target.pid);

  if (lifecycle.http && opts.httpPort) {
    const steps = [
      [lifecycle.http.graceful_shutdown_endpoint, lifecycle.graceful_shutdown_wait_secs],
      [lifecycle.http.shutdown_endpoint, lifecycle.shutdown_wait_secs],
    ] as const;
    for (const [endpoint, waitSecs] of steps) {
      if (rootGone()) break;
      const port = opts.httpPort;
      const path = `${endpoint.startsWith('/') ? '' : '/'}${endpoint}`;
      phase(`POST ${portUrl(port)}${path}, waiting up to ${waitSecs}s for the exit`);
      const deadline = Date.now() + waitSecs * 1000;
      void onLoopback(port, (host) => post(`http://${hostPort(host, port)}${path}`, waitSecs * 1000), (absent) => absent);
      // Waiting for the root only: once the server process exited, more HTTP is pointless and
      // stragglers it left behind get the signals below.
      await pollUntil(tree, deadline, rootGone, null);
    }
  }

  let live = tree.refresh();
  if (live.length === 0) return;
  const signal = lifecycle.stop_signal;
  phase(`${signal} to ${describe(live)}, waiting up to ${lifecycle.shutdown_wait_secs}s`);
  tree.signal(live, signal);
  await pollUntil(tree, Date.now() + lifecycle.shutdown_wait_secs * 1000, () => false, signal);

  const giveUp = Date.now() + KILL_GIVE_UP_MS;
  live = tree.refresh();
  if (live.length === 0) return;
  phase(`still running after ${lifecycle.shutdown_wait_secs}s: SIGKILL to ${describe(live)}`);
  tree.signal(live, 'SIGKILL');
  await pollUntil(tree, giveUp, () => false, 'SIGKILL');
  live = tree.refresh();
  if (live.length > 0) phase(`${describe(live)} survived SIGKILL for ${KILL_GIVE_UP_MS / 1000}s (stuck in the kernel?)`);
}

function describe(live: ProcStat[]): string {
  const pids = live.map((s) => s.pid).join(', ');
  return live.length === 1 ? `process ${pids}` : `${live.length} processes (${pids})`;
}

/**
 * Stopping a whole stack runs one poll loop per service, all waking on the same timer ticks: within a
 * few milliseconds they share one /proc scan instead of each reading every process (50 services stopped
 * at once made 50 full scans per round). The first signal of each phase goes out from a fresh scan;
 * re-sends inside the poll loop use one at most SHARED_SCAN_MS old.
 */
const SHARED_SCAN_MS = 5;
let lastScan: { at: number; table: Map<number, ProcStat> } | null = null;
function recentProcTable(maxAgeMs: number): Map<number, ProcStat> {
  const now = performance.now();
  if (!lastScan || now - lastScan.at > maxAgeMs) lastScan = { at: now, table: procTable() };
  return lastScan.table;
}

/**
 * Polls /proc until the tree is empty, `done()` holds or the deadline passes; true when the tree is empty.
 * Starts at 10 ms and backs off to 100 ms: quick exits are noticed quickly without hammering /proc.
 * Newly found members (forked meanwhile) get `resend`, so no late child escapes the current phase.
 */
async function pollUntil(tree: Tree, deadline: number, done: () => boolean, resend: NodeJS.Signals | null): Promise<boolean> {
  let interval = 10;
  let known = new Set(tree.pids());
  for (;;) {
    const live = tree.refresh(SHARED_SCAN_MS);
    if (live.length === 0) return true;
    if (resend) {
      const fresh = live.filter((s) => !known.has(s.pid));
      if (fresh.length > 0) tree.signal(fresh, resend);
      // Under SIGKILL, repeat for everyone: a process can only survive it by being mid-fork/exit.
      if (resend === 'SIGKILL') tree.signal(live, 'SIGKILL');
      known = new Set(live.map((s) => s.pid));
    }
    if (done()) return false;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, left)));
    interval = Math.min(100, Math.ceil(interval * 1.5));
  }
}

/**
 * Fire-and-forget POST with an empty body; any answer or error is fine — the exit is what counts.
 * Resolves true when nothing listens at the URL's address (the other loopback address may serve it).
 */
function post(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, timeout: Math.max(100, timeoutMs), headers: { 'content-length': '0' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(false));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', (error) => resolve(isAbsentError(error)));
    req.end();
  });
}
