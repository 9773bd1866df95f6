// Reading /proc/<pid>/stat (Linux). The supervisor identifies a process by (pid, starttime) so that a
// reused pid is never mistaken for one of ours, and walks ppid/pgrp links to find a service's whole tree.
// This is the linux backend's reader (platform/linux.ts); other systems have their own (platform/). The
// tree walks at the end work on any backend's table.
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** Single-letter state: R, S, D, Z (zombie), X (dead), T, … */
  state: string;
  ppid: number;
  pgrp: number;
  /** Field 22: start time in clock ticks after boot; with pid it identifies one process for the boot. */
  startTime: number;
}

/**
 * The fields of a stat line from field 3 (state) on, so field N is at index N - 3; null without a comm.
 * comm (field 2) may contain spaces and ')' — so split after the LAST ')'.
 */
export function statFields(text: string): string[] | null {
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).split(' ');
}

/** The identity fields of one stat line, from its fields (see statFields). */
export function procStatOf(text: string, fields: string[]): ProcStat | null {
  const pid = Number.parseInt(text, 10);
  const startTime = Number(fields[19]);
  if (!Number.isFinite(pid) || fields.length < 20 || !Number.isFinite(startTime)) return null;
  return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime };
}

/** Parses one stat line. */
export function parseProcStat(text: string): ProcStat | null {
  const fields = statFields(text);
  return fields && procStatOf(text, fields);
}

export function readProcStat(pid: number): ProcStat | null {
  return readStatWith(pid, parseProcStat);
}

// A stat line is a few hundred bytes (comm is at most 64): one reused buffer, read in one call,
// instead of readFileSync's fstat + fresh buffer + UTF-8 decode for each of the hundreds of files a scan reads.
const statBuf = Buffer.allocUnsafe(4096);

export function readStatWith<T>(pid: number, parse: (text: string) => T | null): T | null {
  const fd = openStat(pid);
  if (fd === null) return null;
  try {
    return readStatFd(fd, parse);
  } finally {
    closeSync(fd);
  }
}

/** An open /proc/<pid>/stat (close it with closeSync), or null: gone, or no /proc on this platform. */
export function openStat(pid: number): number | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    return openSync(`/proc/${pid}/stat`, 'r');
  } catch {
    return null;
  }
}

/**
 * The stat line of an open /proc/<pid>/stat, read afresh: the kernel renders it again on every read at
 * offset 0, so a file kept open is re-read with one system call instead of three. The file stays bound
 * to the process it was opened for: once that one is gone the read fails (null), even if its pid was
 * reused since.
 */
export function readStatFd<T>(fd: number, parse: (text: string) => T | null): T | null {
  try {
    const n = readSync(fd, statBuf, 0, statBuf.length, 0);
    return parse(statBuf.toString('latin1', 0, n));
  } catch {
    return null; // the process exited (ESRCH)
  }
}

/** The user a process runs as (the owner of /proc/<pid>: its effective uid), or null (gone, or no /proc). */
export function processUid(pid: number): number | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    return statSync(`/proc/${pid}`).uid;
  } catch {
    return null;
  }
}

/** Zombies have exited already: they only wait to be reaped, and signals cannot affect them. */
export function isLiveStat<T extends { state: string }>(stat: T | null | undefined): stat is T {
  return stat != null && stat.state !== 'Z' && stat.state !== 'X';
}

/** What the tree walks need of a process, from /proc or from any backend's table (platform/types.ts). */
export interface ProcLink {
  pid: number;
  ppid: number;
  state: string;
}

/**
 * Every process currently visible in /proc. One readdir plus one small read per process. `parse` may
 * read more of the stat line (the resource sampler also wants CPU times and RSS).
 */
export function procTable(): Map<number, ProcStat>;
export function procTable<T extends ProcStat>(parse: (text: string) => T | null): Map<number, T>;
export function procTable(parse: (text: string) => ProcStat | null = parseProcStat): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue; // not a pid folder
    const stat = readStatWith(Number(entry), parse);
    if (stat) table.set(stat.pid, stat);
  }
  return table;
}

/** pid -> pids of its children, over the whole table. */
export function childrenIndex(table: Map<number, ProcLink>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const stat of table.values()) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat.pid);
    else children.set(stat.ppid, [stat.pid]);
  }
  return children;
}

/**
 * Live descendants of `roots` (children, grandchildren, …) in `table`, found through ppid links.
 * `children` (from childrenIndex) saves rebuilding the index when many roots are walked in one table.
 */
export function descendantsIn(
  table: Map<number, ProcLink>,
  roots: number | number[],
  children: Map<number, number[]> = childrenIndex(table),
): number[] {
  const found: number[] = [];
  const queue = typeof roots === 'number' ? [roots] : [...roots];
  const seen = new Set<number>(queue);
  while (queue.length > 0) {
    const next = queue.pop() as number;
    for (const child of children.get(next) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      if (isLiveStat(table.get(child))) found.push(child);
      // A zombie's children were already reparented, so there is nothing below it to walk.
      queue.push(child);
    }
  }
  return found;
}
