// CPU time and resident memory of whole process trees, read from /proc (Linux) in one pass: one
// readdir + one stat read per process per tick, shared by every service of the stack.
import { execFileSync } from 'node:child_process';
import { descendantsIn, isLiveStat, parseProcStat, procTable, type ProcStat } from '../process/proc-stat';

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
  pids: number[];
}

export function parseProcUsage(text: string): ProcUsage | null {
  const base = parseProcStat(text);
  if (!base) return null;
  // Same field layout as parseProcStat: field N is at index N - 3 after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  if (![utime, stime, rssPages].every(Number.isFinite)) return null;
  return { ...base, utime, stime, rssPages };
}

/** Processes of the tree rooted at `root`: the root, its descendants, and members of its process group
 *  (a child that daemonized away from its parent but kept the group is still the service's). */
export function treeMembers(table: Map<number, ProcUsage>, root: number): ProcUsage[] {
  const pids = new Set<number>(descendantsIn(table, root));
  const rootStat = table.get(root) ?? null;
  if (isLiveStat(rootStat)) pids.add(root);
  // Hearth spawns each service in its own process group (pgid = root pid).
  for (const stat of table.values()) if (stat.pgrp === root && isLiveStat(stat)) pids.add(stat.pid);
  return [...pids].map((pid) => table.get(pid)!).filter(Boolean);
}

export function treeUsage(table: Map<number, ProcUsage>, root: number, pageSize: number): TreeUsage {
  const members = treeMembers(table, root);
  const ticks = new Map<string, number>();
  let rssPages = 0;
  for (const m of members) {
    ticks.set(`${m.pid}:${m.startTime}`, m.utime + m.stime);
    rssPages += m.rssPages;
  }
  return { ticks, rssBytes: rssPages * pageSize, pids: members.map((m) => m.pid) };
}

/** Reads /proc once and measures every root given. Empty off Linux. */
export function sampleTrees(roots: readonly number[]): Map<number, TreeUsage> {
  const out = new Map<number, TreeUsage>();
  if (roots.length === 0) return out;
  const table = procTable(parseProcUsage);
  const { pageSize } = systemUnits();
  for (const root of roots) out.set(root, treeUsage(table, root, pageSize));
  return out;
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
