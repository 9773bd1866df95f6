// The `.healthchecksnooze` file in a service's sandbox. As in Aurora, its PRESENCE (as a regular file)
// pauses health checks: `touch` it in a terminal and checks stop at the next interval, `rm` it and
// they resume. Hearth writes a human note into it and, for a timed snooze, a JSON line with the end
// time, so a restarted supervisor still knows when to remove it.
import { existsSync, mkdirSync, readFileSync, statSync, unlinkSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { writeFileAtomic } from './safe-fs';

export const SNOOZE_FILE = '.healthchecksnooze';

export interface SnoozeInfo {
  snoozed: boolean;
  /** Epoch ms of the file's mtime (when it was made or last touched), or null. */
  since: number | null;
  /** Epoch ms when a timed snooze ends; null for an untimed one (e.g. a hand-made empty file). */
  until: number | null;
  /** Why Hearth made it ('capture', 'debug'); absent for a user's snooze or a hand-made file. */
  reason?: string;
  /** The Hearth process that made a capture or debug snooze: it alone may remove it, or a later Hearth once it is gone. */
  owner?: SnoozeOwner;
}

/** A process, told apart from a later one with the same pid by its start time (/proc, clock ticks; null elsewhere). */
export interface SnoozeOwner {
  pid: number;
  start: number | null;
}

const NOT_SNOOZED: SnoozeInfo = { snoozed: false, since: null, until: null };
/** Larger files are still a snooze, but their content is not ours: not read. */
const MAX_READ_BYTES = 4096;

export function snoozePath(sandbox: string): string {
  return join(sandbox, SNOOZE_FILE);
}

/** Cheap enough to call before every health check: one stat, plus a tiny read only while snoozed. */
export function readSnooze(sandbox: string): SnoozeInfo {
  const path = snoozePath(sandbox);
  let stat;
  try {
    // No file is the normal case, ~100 times a second with 50 services: not worth an exception each time.
    stat = statSync(path, { throwIfNoEntry: false });
  } catch {
    return NOT_SNOOZED; // EACCES, ENOTDIR, …
  }
  if (!stat?.isFile()) return NOT_SNOOZED; // Aurora uses os.path.isfile: a folder of that name is no snooze
  let note: SnoozeNote = { until: null };
  if (stat.size > 0 && stat.size <= MAX_READ_BYTES) {
    try {
      note = parseNote(readFileSync(path, 'utf8'));
    } catch {
      // removed between stat and read, or unreadable: still counts as present for this check
    }
  }
  const info: SnoozeInfo = { snoozed: true, since: Math.floor(stat.mtimeMs), until: note.until };
  if (note.reason !== undefined) info.reason = note.reason;
  if (note.owner !== undefined) info.owner = note.owner;
  return info;
}

interface SnoozeNote {
  until: number | null;
  reason?: string;
  owner?: SnoozeOwner;
}

/** Our JSON line ({"until": …, "reason": "capture", "owner": {"pid": …}}); anything else is a user's untimed snooze. */
export function parseNote(content: string): SnoozeNote {
  for (const line of content.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value = JSON.parse(text) as { until?: unknown; reason?: unknown; owner?: { pid?: unknown; start?: unknown } } | null;
      if (!value || typeof value !== 'object') continue;
      const note: SnoozeNote = { until: typeof value.until === 'number' && Number.isFinite(value.until) ? value.until : null };
      if (typeof value.reason === 'string' && /^[a-z-]{1,32}$/.test(value.reason)) note.reason = value.reason;
      const owner = value.owner;
      if (owner && Number.isSafeInteger(owner.pid) && (owner.pid as number) > 0) {
        note.owner = { pid: owner.pid as number, start: Number.isSafeInteger(owner.start) ? (owner.start as number) : null };
      }
      return note;
    } catch {
      // not our line
    }
  }
  return { until: null };
}

/** The end time from a line like {"until": 1735689600000, ...}; anything else means untimed. */
export function parseUntil(content: string): number | null {
  return parseNote(content).until;
}

function whoAmI(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/**
 * Create (or replace) the snooze file. Atomic: written to a temp file in the same folder, then
 * renamed, so a check never sees a half-written file. Creates the sandbox folder if needed.
 */
export function writeSnooze(
  sandbox: string,
  untilMs: number | null,
  now = Date.now(),
  made?: { reason: string; owner: SnoozeOwner },
): SnoozeInfo {
  mkdirSync(sandbox, { recursive: true });
  const who = whoAmI();
  const note = [
    `Health checks are snoozed: made by Hearth for ${who} at ${new Date(now).toISOString()}${made ? ` (${made.reason}, hearth pid ${made.owner.pid})` : ''}, ` +
      (untilMs === null ? 'until this file is removed.' : `until ${new Date(untilMs).toISOString()}.`),
    made ? `Hearth removes it when the ${made.reason} ends. Delete it to resume health checks now.` : 'Delete this file to resume health checks.',
    JSON.stringify(made ? { by: who, at: now, until: untilMs, reason: made.reason, owner: made.owner } : { by: who, at: now, until: untilMs }),
    '',
  ].join('\n');
  // An unpredictable temp name, created exclusively and never through a symlink, then renamed over the file.
  writeFileAtomic(snoozePath(sandbox), note, 0o644);
  return readSnooze(sandbox);
}

/** Remove the snooze file. Idempotent: returns false when there was none. */
export function removeSnooze(sandbox: string): boolean {
  try {
    unlinkSync(snoozePath(sandbox));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function snoozeExpired(info: SnoozeInfo, now: number): boolean {
  return info.snoozed && info.until !== null && now >= info.until;
}

export function sameInfo(a: SnoozeInfo, b: SnoozeInfo): boolean {
  return a.snoozed === b.snoozed && a.since === b.since && a.until === b.until && a.reason === b.reason && a.owner?.pid === b.owner?.pid;
}

/**
 * A capture or debug snooze whose Hearth is gone (crashed, killed): nobody will remove it, so the Hearth
 * that finds it does. `alive` says whether that process still runs (same pid AND start time).
 */
export function isOrphanedSnooze(info: SnoozeInfo, alive: (owner: SnoozeOwner) => boolean): boolean {
  return info.snoozed && info.reason !== undefined && info.owner !== undefined && !alive(info.owner);
}

export interface WatchSnoozeOptions {
  /** Coalesces the bursts of events one `touch`/`rm`/rename produces. */
  debounceMs?: number;
  /** Poll interval when the folder cannot be watched (missing, or the watch failed). */
  pollMs?: number;
}

/**
 * Calls `onChange` soon after the snooze file appears, is touched or disappears, so UIs update at
 * once instead of at the next health check. Watches the sandbox folder (the file itself may not
 * exist yet); falls back to polling if the folder cannot be watched. Never throws. Returns close().
 */
export function watchSnooze(
  sandbox: string,
  onChange: (info: SnoozeInfo) => void,
  { debounceMs = 30, pollMs = 1000 }: WatchSnoozeOptions = {},
): () => void {
  let last = readSnooze(sandbox);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let poller: NodeJS.Timeout | undefined;

  const check = (): void => {
    if (closed) return;
    const info = readSnooze(sandbox);
    if (sameInfo(info, last)) return;
    last = info;
    try {
      onChange(info);
    } catch {
      // a listener's bug must not kill the watch
    }
  };
  const schedule = (): void => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      check();
    }, debounceMs);
    timer.unref();
  };
  // Polling compares against what WE last reported. (fs.watchFile compares with its own last stat,
  // so a file that came and went between two of its polls, but was seen by us, would be missed.)
  // Each tick also tries to watch again, so a sandbox that (re)appears gets events again.
  const poll = (): void => {
    if (poller || closed) return;
    poller = setInterval(() => {
      if (tryWatch()) {
        clearInterval(poller);
        poller = undefined;
      }
      check(); // after re-watching, so nothing slips between the two
    }, pollMs);
    poller.unref();
  };
  const dropWatch = (dead: FSWatcher): void => {
    dead.close();
    if (watcher !== dead) return; // a late event from an already-replaced watch
    watcher = undefined;
    schedule(); // the file went with the folder
    poll();
  };
  const tryWatch = (): boolean => {
    try {
      const w = watch(sandbox, { persistent: false }, (_event, filename) => {
        if (filename === null || filename === SNOOZE_FILE) return schedule();
        // The watched folder itself was removed (inotify reports its own name): this watch is dead.
        if (filename === basename(sandbox) && !existsSync(sandbox)) dropWatch(w);
      });
      w.on('error', () => dropWatch(w));
      watcher = w;
      return true;
    } catch {
      return false;
    }
  };

  if (!tryWatch()) poll();

  return () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    watcher?.close();
    clearInterval(poller);
  };
}
