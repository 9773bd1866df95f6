// Parsing `ps -A -o pid=,ppid=,pgid=,stat=,lstart=,rss=,time=` as procps (Linux) and BSD ps (macOS,
// FreeBSD) print it under LC_ALL=C and TZ=UTC. Pure, so every format quirk is unit-tested on recorded lines.
//   procps:  "  4242     1  4242     0 Ss   Mon Dec  7 11:22:19 2026 15764 00:00:25"   time [DD-]HH:MM:SS
//   macOS:   "  4242     1  4242   501 Ss   Mon Dec  7 11:22:19 2026  15764   0:00.25"  time MMM:SS.hh
// (uid is one more column than the list: reaping signals only processes of this user.)
import type { ProcEntry, ProcTable } from './types';

/** The arguments that make ps print one line per process in the format parsed here. */
export const PS_FIELDS = 'pid=,ppid=,pgid=,uid=,stat=,lstart=,rss=,time=';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// pid ppid pgid uid stat  weekday month day HH:MM:SS year  rss time
const LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s+(\d+)\s+(\S+)\s*$/;

/** `lstart` (in UTC, as TZ=UTC makes ps print it) as epoch seconds; null when it is not one. */
export function parseLstart(month: string, day: string, h: string, m: string, s: string, year: string): number | null {
  const mon = MONTHS.indexOf(month);
  if (mon < 0) return null;
  const ms = Date.UTC(Number(year), mon, Number(day), Number(h), Number(m), Number(s));
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** Cumulative CPU time as ps prints it, in ms: procps `[DD-]HH:MM:SS`, BSD `MMM:SS.hh`. */
export function parseCpuTime(text: string): number | null {
  const m = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m) return null;
  const [, days, hours, minutes, seconds] = m;
  const total = (Number(days ?? 0) * 24 + Number(hours ?? 0)) * 3600 + Number(minutes) * 60 + Number(seconds);
  return Number.isFinite(total) ? Math.round(total * 1000) : null;
}

/** One line, or null for anything that is not a process line (a header, a truncated line). */
export function parsePsLine(line: string): ProcEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const [, pid, ppid, pgid, uid, stat, month, day, h, min, s, year, rss, time] = m as unknown as string[];
  const startTime = parseLstart(month!, day!, h!, min!, s!, year!);
  const cpuMs = parseCpuTime(time!);
  if (startTime === null || cpuMs === null) return null;
  return {
    pid: Number(pid),
    ppid: Number(ppid),
    pgid: Number(pgid),
    // The first letter is the state (Z zombie, R, S, D/U uninterruptible, T, I idle); the rest are flags (s, +, <, l).
    state: stat!.charAt(0),
    startTime,
    cpuMs,
    rssBytes: Number(rss) * 1024, // ps prints RSS in KiB on every system
    uid: Number(uid),
  };
}

export function parsePsTable(output: string): ProcTable {
  const table: ProcTable = new Map();
  for (const line of output.split('\n')) {
    const entry = parsePsLine(line);
    if (entry) table.set(entry.pid, entry);
  }
  return table;
}
