// CPU time and resident memory of whole process trees, read from /proc (Linux). A full scan reads
// the stat of every process on the machine (hundreds on a laptop, ~3 system calls each), so the
// TreeSampler does one only now and then, and in between re-reads just the processes it found
// (through stat files it keeps open: one system call each).
import { execFileSync } from 'node:child_process';
import { closeSync } from 'node:fs';
import { childrenIndex, descendantsIn, isLiveStat, openStat, procStatOf, procTable, readStatFd, readStatWith, statFields, type ProcStat } from '../process/proc-stat';

export interface ProcUsage extends ProcStat {
  /** Fields 14 and 15: user and system CPU time, in clock ticks. */
  utime: number;
  stime: number;
  /** Field 24: resident set size, in pages. */
  rssPages: number;
}

/** Usage of one tree at one moment. */
export interface TreeUsage {
  /** utime + stime per process, keyed by "pid:starttime" so a reused pid never inherits old CPU time. */
  ticks: Map<string, number>;
  rssBytes: number;
  /** Each process counted, by identity (TreeSampler re-reads these between full scans). */
  members: Array<{ pid: number; startTime: number }>;
}

export function parseProcUsage(text: string): ProcUsage | null {
  // One split for identity and usage alike: a scan parses every process on the machine.
  const fields = statFields(text);
  const base = fields && procStatOf(text, fields);
  if (!fields || !base) return null;
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime) || !Number.isFinite(rssPages)) return null;
  return { pid: base.pid, state: base.state, ppid: base.ppid, pgrp: base.pgrp, startTime: base.startTime, utime, stime, rssPages };
}

/** Links of one table, built once per scan and shared by every root measured in it. */
export interface TableIndex {
  children: Map<number, number[]>;
  /** pgrp -> live members. */
  groups: Map<number, number[]>;
}

export function indexTable(table: Map<number, ProcUsage>): TableIndex {
  const groups = new Map<number, number[]>();
  for (const stat of table.values()) {
    if (!isLiveStat(stat)) continue;
    const list = groups.get(stat.pgrp);
    if (list) list.push(stat.pid);
    else groups.set(stat.pgrp, [stat.pid]);
  }
  return { children: childrenIndex(table), groups };
}

/** Processes of the tree rooted at `root`: the root, its descendants, and members of its process group
 *  (a child that daemonized away from its parent but kept the group is still the service's). */
export function treeMembers(table: Map<number, ProcUsage>, root: number, index: TableIndex = indexTable(table)): ProcUsage[] {
  const pids = new Set<number>(descendantsIn(table, root, index.children));
  const rootStat = table.get(root) ?? null;
  if (isLiveStat(rootStat)) pids.add(root);
  // Hearth spawns each service in its own process group (pgid = root pid).
  for (const pid of index.groups.get(root) ?? []) pids.add(pid);
  return [...pids].map((pid) => table.get(pid)!).filter(Boolean);
}

export function treeUsage(table: Map<number, ProcUsage>, root: number, pageSize: number, index: TableIndex = indexTable(table)): TreeUsage {
  return usageOf(treeMembers(table, root, index), pageSize);
}

/** The usage of these processes together (one tree). */
function usageOf(members: readonly ProcUsage[], pageSize: number): TreeUsage {
  const ticks = new Map<string, number>();
  let rssPages = 0;
  for (const m of members) {
    ticks.set(`${m.pid}:${m.startTime}`, m.utime + m.stime);
    rssPages += m.rssPages;
  }
  return {
    ticks,
    rssBytes: rssPages * pageSize,
    members: members.map((m) => ({ pid: m.pid, startTime: m.startTime })),
  };
}

/** Reads /proc once and measures every root given. Empty off Linux. */
export function sampleTrees(roots: readonly number[]): Map<number, TreeUsage> {
  const out = new Map<number, TreeUsage>();
  if (roots.length === 0) return out;
  const table = procTable(parseProcUsage);
  const index = indexTable(table);
  const { pageSize } = systemUnits();
  for (const root of roots) out.set(root, treeUsage(table, root, pageSize, index));
  return out;
}

/** A full scan at least every this many samples, so processes a service starts later are found (10 s at 2 s). */
export const RESCAN_EVERY = 5;
/** At most this many stat files are held open between samples; processes past it are re-read by path. */
export const MAX_HELD_FILES = 512;

/** A process of a known tree, with its /proc/<pid>/stat held open (fd null: re-read by path). */
interface Known {
  pid: number;
  startTime: number;
  fd: number | null;
}

/**
 * sampleTrees with memory: a full scan when a root is new, when a process it knew is gone (the tree
 * changed), or every `rescanEvery` samples; otherwise only the processes the last scan found are
 * re-read, each checked against its start time so a reused pid is never counted. A child a service
 * starts between scans is counted from the next scan on, with all its CPU time.
 *
 * Between scans each known process's stat file stays open (up to MAX_HELD_FILES), so a re-read is one
 * read instead of open, read and close: with a UI open that is every 2 s for every process of the stack.
 * Call release() when sampling stops, to close them.
 */
export class TreeSampler {
  /** root -> the processes of its tree at the last full scan. */
  private known = new Map<number, Known[]>();
  private sinceScan = Number.POSITIVE_INFINITY;
  /** How the last sample was taken (tests read it). */
  lastSample: 'full' | 'known' | 'none' = 'none';

  constructor(
    private readonly rescanEvery = RESCAN_EVERY,
    private readonly maxHeld = MAX_HELD_FILES,
  ) {}

  /** How many stat files are held open now (tests read it). */
  get heldFiles(): number {
    let n = 0;
    for (const members of this.known.values()) for (const m of members) if (m.fd !== null) n++;
    return n;
  }

  sample(roots: readonly number[]): Map<number, TreeUsage> {
    if (roots.length === 0) {
      this.release();
      return new Map();
    }
    const fast = this.sinceScan + 1 < this.rescanEvery && roots.every((r) => this.known.has(r)) ? this.reread(roots) : null;
    if (fast) {
      this.sinceScan++;
      this.lastSample = 'known';
      return fast;
    }
    const out = sampleTrees(roots);
    this.remember(out);
    this.sinceScan = 0;
    this.lastSample = 'full';
    return out;
  }

  /** Forgets the trees and closes every stat file held; the next sample is a full scan. */
  release(): void {
    for (const members of this.known.values()) for (const m of members) if (m.fd !== null) closeSync(m.fd);
    this.known.clear();
    this.sinceScan = Number.POSITIVE_INFINITY;
  }

  /** The trees of a full scan become the known ones: files of processes still there stay open, others close. */
  private remember(out: Map<number, TreeUsage>): void {
    const held = new Map<string, number>();
    for (const members of this.known.values()) for (const m of members) if (m.fd !== null) held.set(`${m.pid}:${m.startTime}`, m.fd);
    const known = new Map<number, Known[]>();
    let open = 0;
    for (const [root, usage] of out) {
      known.set(
        root,
        usage.members.map(({ pid, startTime }) => {
          const key = `${pid}:${startTime}`;
          let fd = held.get(key) ?? null;
          held.delete(key); // each entry owns its file: a process in two trees has two
          if (fd !== null && open >= this.maxHeld) {
            closeSync(fd);
            fd = null;
          } else if (fd === null && open < this.maxHeld) {
            fd = openStat(pid); // checked against startTime on its first read
          }
          if (fd !== null) open++;
          return { pid, startTime, fd };
        }),
      );
    }
    for (const fd of held.values()) closeSync(fd);
    this.known = known;
  }

  /** The known processes re-read, or null as soon as one of them is gone or is another process now. */
  private reread(roots: readonly number[]): Map<number, TreeUsage> | null {
    const { pageSize } = systemUnits();
    const out = new Map<number, TreeUsage>();
    for (const root of roots) {
      const stats: ProcUsage[] = [];
      for (const m of this.known.get(root)!) {
        const stat = m.fd === null ? readStatWith(m.pid, parseProcUsage) : readStatFd(m.fd, parseProcUsage);
        if (!isLiveStat(stat) || stat.startTime !== m.startTime) return null;
        stats.push(stat);
      }
      out.set(root, usageOf(stats, pageSize));
    }
    return out;
  }
}

let units: { pageSize: number; clockTicks: number } | null = null;

/** Page size and clock ticks per second, asked of getconf once (4096 and 100 on almost every Linux). */
export function systemUnits(): { pageSize: number; clockTicks: number } {
  if (units) return units;
  const ask = (name: string, fallback: number): number => {
    try {
      const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return Number.isInteger(v) && v > 0 ? v : fallback;
    } catch {
      return fallback;
    }
  };
  units = { pageSize: ask('PAGESIZE', 4096), clockTicks: ask('CLK_TCK', 100) };
  return units;
}
