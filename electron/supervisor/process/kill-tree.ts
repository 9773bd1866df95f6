// Stopping a service's whole process tree, Aurora/Thermos style:
//   [HTTP lifecycle] POST graceful_shutdown_endpoint, wait graceful_shutdown_wait_secs for the exit;
//                    POST shutdown_endpoint, wait shutdown_wait_secs;
//   stop_signal (SIGTERM unless the service says otherwise) to the process group AND to descendants
//   that left it (setsid, double fork) — with kill_mode mixed, to the process group only —, wait
//   shutdown_wait_secs; then SIGKILL whatever is left, until nothing of the tree remains.
// The tree is found through the process platform (platform/): /proc on Linux, ps on macOS and the BSDs,
// CIM on Windows (where "signals" are taskkill). With no process table at all, the process group is
// signalled blind, and its emptiness is what tells that the stop is over.
import { request } from 'node:http';
import type { LifecycleConfig } from '../config/types';
import { childrenIndex, descendantsIn, isLiveStat } from './proc-stat';
import type { ProcEntry, ProcessPlatform } from './platform/types';
import { hostPort, isAbsentError, onLoopback } from '../loopback';
import { portUrl } from '../../../shared/port-url';

export interface StopTarget {
  pid: number;
  /** Start time recorded at spawn (the backend's unit): proves the pid still denotes our process. */
  startTime?: number | null;
  /** Resolves once `startTime` is known, where the backend reads it asynchronously (ps, CIM). */
  identified?: Promise<unknown>;
  /** Date.now() at spawn: bounds the start times of the group's members when `startTime` is unknown. */
  startedAt?: number;
}

export interface StopOptions {
  lifecycle: LifecycleConfig;
  platform: ProcessPlatform;
  /** Only processes running as this user are stopped, one by one (reaping what a record names). */
  onlyUid?: number | null;
  /** The resolved port of lifecycle.http.port, when the service has an HTTP lifecycle. */
  httpPort?: number;
  onPhase?: (msg: string) => void;
}

/** If SIGKILL does not finish the tree in this time (a process stuck in the kernel, state D), give up. */
export const KILL_GIVE_UP_MS = 5_000;

/** What a stop did: every process it found in the tree, and whether it came to SIGKILL. */
export interface StopResult {
  pids: number[];
  killed: boolean;
}
/** How long a stop waits for a start time still being read (a ps or PowerShell call) before going on without it. */
const IDENTITY_WAIT_MS = 5_000;

/** Everything currently known to belong to one service's tree, keyed by pid, checked by start time. */
class Tree {
  private readonly members = new Map<number, ProcEntry>();
  /** Start time of the group leader; null when the process group must not be trusted. */
  private groupSince: number | null = null;
  /** The last refresh had no table: only the process group (signalled blind) is known. */
  blind = false;

  /** Every pid that was ever a member (for the caller's report). */
  readonly seen = new Set<number>();

  private constructor(
    private readonly platform: ProcessPlatform,
    private readonly pgid: number,
    private readonly rootStartTime: number | null,
    private readonly onlyUid: number | null,
  ) {}

  static async open(platform: ProcessPlatform, pgid: number, rootStartTime: number | null | undefined, startedAt?: number, onlyUid: number | null = null): Promise<Tree> {
    const tree = new Tree(platform, pgid, rootStartTime ?? null, onlyUid);
    const table = await platform.table(0);
    const root = table?.get(pgid);
    // A pid that was reused (different start time) means our process is long gone — and a pid that is
    // still some group's id is never handed out again, so its process group is empty as well.
    const reused = isLiveStat(root) && rootStartTime != null && root.startTime !== rootStartTime;
    if (isLiveStat(root) && !reused) tree.members.set(pgid, root);
    // Without a start time to compare with, group members cannot be told apart from a later group; a
    // root spawned by us whose start time was not read in time gives a floor (see startTimeFloor).
    const floor = startedAt !== undefined && platform.startTimeFloor ? platform.startTimeFloor(startedAt) : null;
    tree.groupSince = !platform.groups || reused ? null : (rootStartTime ?? (isLiveStat(root) ? root.startTime : floor));
    return tree;
  }

  /**
   * Re-reads the table: drops members that are gone (or whose pid now denotes another process) and adds
   * new descendants of the remaining ones plus anything in the process group. Descendants are collected
   * before any signal and kept across calls, because once a parent dies its children are reparented to
   * init (or a subreaper) and can no longer be found by walking down from the root. (Windows does not
   * reparent: there the dead root's pid still leads to its children, checked to be younger than it.)
   */
  async refresh(maxAgeMs = 0): Promise<ProcEntry[]> {
    const table = await this.platform.table(maxAgeMs);
    if (!table) {
      this.blind = true;
      return this.blindLive();
    }
    this.blind = false;
    for (const [pid, known] of this.members) {
      const now = table.get(pid);
      if (!isLiveStat(now) || now.startTime !== known.startTime) this.members.delete(pid);
      else this.members.set(pid, now);
    }
    const roots = [...this.members.keys()];
    if (!this.platform.groups && this.rootStartTime !== null && !this.members.has(this.pgid)) roots.push(this.pgid);
    for (const pid of descendantsIn(table, roots)) {
      const entry = table.get(pid);
      if (!entry || this.members.has(pid) || !isOurs(pid)) continue;
      if (!this.platform.groups && this.rootStartTime !== null && entry.startTime < this.rootStartTime) continue;
      this.members.set(pid, entry);
    }
    if (this.groupSince !== null) {
      for (const entry of table.values()) {
        // Group members whose leader already exited: they were necessarily started after it.
        if (entry.pgid === this.pgid && isLiveStat(entry) && entry.startTime >= this.groupSince && isOurs(entry.pid)) {
          if (!this.members.has(entry.pid)) this.members.set(entry.pid, entry);
        }
      }
    }
    if (this.onlyUid !== null) for (const [pid, e] of this.members) if (this.platform.uidOf(e) !== this.onlyUid) this.members.delete(pid);
    for (const pid of this.members.keys()) this.seen.add(pid);
    return [...this.members.values()];
  }

  /** No table: the group stands for the whole tree while kill(-pgid, 0) finds members in it. */
  private blindLive(): ProcEntry[] {
    const there = this.platform.groups ? this.platform.signalGroup(this.pgid, 0) : this.platform.signalPid(this.pgid, 0);
    return there ? [{ pid: this.pgid, ppid: 0, pgid: this.pgid, state: '?', startTime: this.rootStartTime ?? 0 }] : [];
  }

  signal(live: readonly ProcEntry[], sig: NodeJS.Signals): Promise<void> {
    // Restricted to one user: never a group kill, which reaches every member whoever it runs as.
    if (this.onlyUid !== null && !this.blind) return this.signalEach(live, sig);
    if (this.blind) {
      if (this.platform.groups) this.platform.signalGroup(this.pgid, sig);
      else this.platform.signalPid(this.pgid, sig);
      return Promise.resolve();
    }
    return this.platform.signalTree(this.pgid, live, sig);
  }

  /**
   * `sig` to exactly these processes, one by one: for members found after a phase began. A group kill here
   * would hit the main process again with every fork, and a shell whose trap forks would never finish.
   */
  signalEach(fresh: readonly ProcEntry[], sig: NodeJS.Signals): Promise<void> {
    if (this.blind || !this.platform.groups) return this.signal(fresh, sig);
    for (const e of fresh) this.platform.signalPid(e.pid, sig);
    return Promise.resolve();
  }

  describe(live: readonly ProcEntry[]): string {
    if (this.blind) return `process group ${this.pgid} (no process table here: ${this.platform.lastError ?? 'unknown'})`;
    const pids = live.map((s) => s.pid).join(', ');
    return live.length === 1 ? `process ${pids}` : `${live.length} processes (${pids})`;
  }

  pids(): number[] {
    return [...this.members.keys()];
  }

  /** The members still in the service's process group (all of them where there are no groups, or no table). */
  inGroup(live: readonly ProcEntry[]): ProcEntry[] {
    return this.blind || !this.platform.groups ? [...live] : live.filter((e) => e.pgid === this.pgid);
  }

  has(pid: number): boolean {
    return this.blind ? this.platform.signalPid(pid, 0) : this.members.has(pid);
  }
}

/** Never signal ourselves, our parent or init, whatever a table says. */
function isOurs(pid: number): boolean {
  return pid > 1 && pid !== process.pid && pid !== process.ppid;
}

/** The start time of `target` once known, waiting for it at most IDENTITY_WAIT_MS. */
async function knownStartTime(target: StopTarget): Promise<number | null> {
  if (target.identified) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, IDENTITY_WAIT_MS)));
    await Promise.race([target.identified, late]);
    clearTimeout(timer);
  }
  return target.startTime ?? null;
}

/**
 * `hearth signal`: `signal` to a service's main process, the command itself, or, when it runs through
 * `/bin/sh -c`, what the shell started (a shell would die of a USR1 meant for the program it runs). The
 * pids signalled; one that has just exited is left out (its exit is being handled), any other failure throws.
 * Without a process table the shell's children cannot be found: the shell itself gets it.
 */
export async function signalMain(target: { pid: number; viaShell: boolean }, signal: NodeJS.Signals, platform: ProcessPlatform): Promise<number[]> {
  // Node on Windows turns every signal into TerminateProcess: a HUP meant to reload a config would kill.
  if (!platform.signals && signal !== 'SIGKILL') throw new Error(`${signal}: Windows has no signals, only a forced kill (SIGKILL); use hearth restart to restart a service`);
  const table = target.viaShell ? await platform.table(0) : null;
  const pids = (table && childrenIndex(table).get(target.pid)) || [target.pid];
  return pids.filter((pid) => {
    try {
      process.kill(pid, signal);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw error;
    }
  });
}

/**
 * The command's own process: for a command run through /bin/sh, what the shell started (dash does not exec
 * its last command). Synchronous (a capture picks its target at once): where the backend has no table it
 * can read at once (only linux has), the shell's own pid.
 */
export function mainPids(target: { pid: number; viaShell: boolean }, platform: ProcessPlatform): number[] {
  const table = target.viaShell ? platform.tableNow?.() : undefined;
  return (table && childrenIndex(table).get(target.pid)) || [target.pid];
}

/** Live descendants of `pid` (not `pid` itself), through the table's parent links. */
export async function descendantsOf(pid: number, platform: ProcessPlatform): Promise<number[]> {
  const table = await platform.table(0);
  return table ? descendantsIn(table, pid) : [];
}

/**
 * SIGKILL the process group of `pid` and every descendant right away; returns the pids signalled.
 * With `startTime`, nothing is done if the pid now denotes another process, and when the leader is
 * gone its leftover group members (started after it) are still killed. With `onlyUid`, processes
 * running as another user are left alone.
 */
export async function killTreeNow(pid: number, startTime: number | null | undefined, platform: ProcessPlatform, onlyUid?: number | null): Promise<number[]> {
  if (!isOurs(pid)) return [];
  const tree = await Tree.open(platform, pid, startTime);
  const live = await tree.refresh();
  if (onlyUid == null) {
    await tree.signal(live, 'SIGKILL');
    return live.map((s) => s.pid);
  }
  // Reaping what a record names: only processes of that user, one by one (a group kill would reach all of its members).
  const mine = tree.blind ? [] : live.filter((s) => platform.uidOf(s) === onlyUid);
  for (const s of mine) platform.signalPid(s.pid, 'SIGKILL');
  return mine.map((s) => s.pid);
}

/**
 * What still runs in the process group of `target` once `target` itself has exited: what it started in the
 * background and left (`server &` in a script). Processes that also left the group (setsid, a daemon's
 * double fork) cannot be found once their parent is gone: init has adopted them.
 */
export async function groupLeftovers(target: StopTarget, platform: ProcessPlatform): Promise<number[]> {
  if (!isOurs(target.pid)) return [];
  // One syscall for the usual answer, an empty group; only a group with members costs a table scan.
  if (platform.groups && !platform.signalGroup(target.pid, 0)) return [];
  const tree = await Tree.open(platform, target.pid, await knownStartTime(target), target.startedAt);
  const live = await tree.refresh();
  if (tree.blind) return live.length > 0 ? [target.pid] : []; // the group has members, which are unknown
  return live.map((s) => s.pid).filter((pid) => pid !== target.pid);
}

/** Resolves when nothing of the tree is left (or, after SIGKILL, when KILL_GIVE_UP_MS ran out). Never rejects. */
export async function stopTree(target: StopTarget, opts: StopOptions): Promise<StopResult> {
  const phase = opts.onPhase ?? (() => {});
  if (!isOurs(target.pid)) return { pids: [], killed: false }; // pid 0: the spawn failed, nothing runs
  const tree = await Tree.open(opts.platform, target.pid, await knownStartTime(target), target.startedAt, opts.onlyUid ?? null);
  const done = (killed: boolean): StopResult => ({ pids: [...tree.seen], killed });
  if ((await tree.refresh()).length === 0) return done(false);
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

  let live = await tree.refresh();
  if (live.length === 0) return done(false);
  const signal = lifecycle.stop_signal;
  // mixed: only the process group hears the stop signal; a main process that shuts down its own children
  // (Postgres's postmaster and its setsid'd backends) must not have them cut off under it.
  const mixed = lifecycle.kill_mode === 'mixed';
  const first = mixed ? tree.inGroup(live) : live;
  const spared = live.length - first.length;
  phase(`${signal} to ${tree.describe(first)}${spared > 0 ? ` (mixed: ${spared} that left its group get nothing before the SIGKILL)` : ''}, waiting up to ${lifecycle.shutdown_wait_secs}s`);
  await tree.signal(first, signal);
  await pollUntil(tree, Date.now() + lifecycle.shutdown_wait_secs * 1000, () => false, signal, mixed);

  const giveUp = Date.now() + KILL_GIVE_UP_MS;
  live = await tree.refresh();
  if (live.length === 0) return done(false);
  phase(`still running after ${lifecycle.shutdown_wait_secs}s: SIGKILL to ${tree.describe(live)}`);
  await tree.signal(live, 'SIGKILL');
  await pollUntil(tree, giveUp, () => false, 'SIGKILL');
  live = await tree.refresh();
  if (live.length > 0) phase(`${tree.describe(live)} survived SIGKILL for ${KILL_GIVE_UP_MS / 1000}s (stuck in the kernel?)`);
  return done(true);
}

/**
 * Stopping a whole stack runs one poll loop per service, all waking on the same timer ticks: within a
 * few milliseconds they share one table scan (platform/scan-cache.ts) instead of each reading every
 * process (50 services stopped at once made 50 full scans per round). The first signal of each phase
 * goes out from a fresh scan; re-sends inside the poll loop use one at most SHARED_SCAN_MS old.
 */
const SHARED_SCAN_MS = 5;

/**
 * Polls until the tree is empty, `done()` holds or the deadline passes; true when the tree is empty.
 * Starts at 10 ms and backs off to 100 ms: quick exits are noticed quickly without hammering the table.
 * Newly found members (forked meanwhile) get `resend`, so no late child escapes the current phase.
 */
async function pollUntil(tree: Tree, deadline: number, done: () => boolean, resend: NodeJS.Signals | null, groupOnly = false): Promise<boolean> {
  let interval = 10;
  let known = new Set(tree.pids());
  for (;;) {
    const live = await tree.refresh(SHARED_SCAN_MS);
    if (live.length === 0) return true;
    if (resend) {
      const fresh = (groupOnly ? tree.inGroup(live) : live).filter((s) => !known.has(s.pid));
      if (fresh.length > 0) await tree.signalEach(fresh, resend);
      // Under SIGKILL, repeat for everyone: a process can only survive it by being mid-fork/exit.
      if (resend === 'SIGKILL') await tree.signal(live, 'SIGKILL');
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
