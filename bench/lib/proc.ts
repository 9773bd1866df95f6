// Reading other processes from /proc (Linux): CPU ticks, memory, children. The bench measures each
// supervisor's OWN cost this way, separately from its children's.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync, type ChildProcess } from 'node:child_process';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Stat {
  state: string;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

export function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name may contain spaces and parentheses: fields start after the LAST ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** True while the pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  const s = readStat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** CPU seconds (user + system) the process itself used so far, children excluded. */
export function cpuSeconds(pid: number): number | null {
  const s = readStat(pid);
  return s ? s.ticks / CLK_TCK : null;
}

/**
 * CPU seconds the process's live threads spent running, from /proc/<pid>/task/<tid>/schedstat (the
 * scheduler's own count, in nanoseconds). /proc/<pid>/stat counts the same time in 10 ms clock ticks, so
 * an idle supervisor reads 0 there over a whole window and two of them can only tie. Falls back to
 * `cpuSeconds` where schedstat is missing. Threads that exit in between take their time with them;
 * the supervisors measured here keep theirs.
 */
export function runSeconds(pid: number): number | null {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let ns = 0;
  for (const tid of tids) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      if (tid === String(pid)) return cpuSeconds(pid);
    }
  }
  return Number.isFinite(ns) ? ns / 1e9 : cpuSeconds(pid);
}

/** The process's run time over a window of `ms` (slept through), as a percentage of one core. */
export async function cpuPercentOver(pid: number, ms: number): Promise<number> {
  const c0 = runSeconds(pid)!;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return ((runSeconds(pid)! - c0) / ((performance.now() - t0) / 1000)) * 100;
}

/** A `Key:   123 kB` line of a /proc status-like file, in bytes (0 when absent). */
function kbField(text: string, key: string): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
}

/**
 * Memory only this process holds (USS: Private_Clean + Private_Dirty of /proc/<pid>/smaps_rollup), in
 * bytes. RSS also counts pages shared with other processes, such as the `node` binary's, which every
 * Node process on the machine maps.
 */
export function privateMemory(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return kbField(text, 'Private_Clean') + kbField(text, 'Private_Dirty');
  } catch {
    return null;
  }
}

/** Current and peak resident set size in bytes (VmRSS, VmHWM). */
export function memory(pid: number): { rss: number; hwm: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  return { rss: kbField(text, 'VmRSS'), hwm: kbField(text, 'VmHWM') };
}

function readChildren(pid: number, tid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/**
 * Direct children. `mainThreadOnly` is the cheap variant for tight polling: Node, pm2 and supervisord
 * all fork from their main thread, so that thread's list is the one that changes.
 */
export function childrenOf(pid: number, mainThreadOnly = false): number[] {
  if (mainThreadOnly) return readChildren(pid, pid);
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => readChildren(pid, Number(tid)));
}

export function descendants(pid: number, mainThreadOnly = false): number[] {
  const out: number[] = [];
  const queue = childrenOf(pid, mainThreadOnly);
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...childrenOf(p, mainThreadOnly));
  }
  return out;
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Sum of CPU seconds of a set of processes (those that are gone count as 0). */
export function cpuSecondsOf(pids: number[]): number {
  return pids.reduce((sum, p) => sum + (cpuSeconds(p) ?? 0), 0);
}

/** Pids of live processes whose environment contains `marker` (KEY=VALUE). */
export function pidsWithEnv(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (env.includes(marker) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone, or not readable
    }
  }
  return found;
}

/** Ctrl-C (SIGINT), as `hearth up` is stopped in a terminal; SIGKILL if it has not exited within `graceMs`. */
export async function interrupt(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  }
  child.kill('SIGKILL');
}
