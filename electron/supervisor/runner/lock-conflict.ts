// A service that exits because a lock file says another instance runs (Postgres's "lock file
// "postmaster.pid" already exists ... (PID 1234)") is not helped by blind retries: Hearth finds out who
// the named pid is and says so. Gone: the file is stale, and the program takes it over at its next start.
// A zombie (exited, its parent has not reaped it yet; kill(pid, 0) still finds it, so Postgres still
// counts it as running): the restart waits until it is gone. Running: it is someone else's instance, and
// the service's status says which pid to stop.
import type { ProcessPlatform } from '../process/platform/types';
import { waitGone } from '../process/wait-gone';

export interface LockConflict {
  /** The lock file, as the program named it. */
  file: string;
  /** The pid the program says holds it, when it says. */
  pid: number | null;
}

/** The lock-file conflict reported in a run's last lines (Postgres's wording, and the same shape elsewhere), or null. */
export function findLockConflict(lines: readonly string[]): LockConflict | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /lock file "([^"]+)" already exists/.exec(lines[i]!);
    if (!m) continue;
    // Postgres puts the pid on its HINT line, right after: "Is another postmaster (PID 1234) running …?"
    const near = lines.slice(i, i + 3).join('\n');
    const pid = /\(PID (\d+)\)/.exec(near)?.[1];
    return { file: m[1]!, pid: pid === undefined ? null : Number(pid) };
  }
  return null;
}

export type Holder = 'gone' | 'zombie' | 'running' | 'unknown';

export interface LockVerdict {
  holder: Holder;
  /** One line for the log and, while the holder runs, the status error. */
  text: string;
}

/** Who holds the lock now, and what that means for the restart. */
export async function judgeLockConflict(lock: LockConflict, platform: ProcessPlatform): Promise<LockVerdict> {
  const about = `lock file "${lock.file}" already exists`;
  if (lock.pid === null) return { holder: 'unknown', text: `${about}, and no pid is named in it: another instance may be running; if none is, remove the file` };
  const entry = await platform.read(lock.pid);
  const there = platform.signalPid(lock.pid, 0);
  if (!there) return { holder: 'gone', text: `${about}, naming pid ${lock.pid}, which is gone: the file is stale and is taken over at the next start` };
  if (entry?.state === 'Z' || entry?.state === 'X') {
    return { holder: 'zombie', text: `${about}, naming pid ${lock.pid}, which has exited but is a zombie its parent has not reaped yet (still counted as running): restarting once it is gone` };
  }
  const uid = entry ? platform.uidOf(entry) : null;
  return {
    holder: 'running',
    text: `${about}: pid ${lock.pid}${uid === null ? '' : ` (uid ${uid})`} is running and holds it, and it is not this service's process: stop it (or, if it is no instance of this program, remove "${lock.file}")`,
  };
}

/** How long a restart waits for a zombie that a lock file names to be reaped by its parent. */
export const ZOMBIE_WAIT_MS = 30_000;

/**
 * A run that ended on a lock file (its last lines): says who holds it, and waits for a zombie holder to go.
 * Returns the text for the service's status error while someone else holds it, else null.
 */
export async function settleLockConflict(lines: readonly string[], platform: ProcessPlatform, say: (text: string) => void): Promise<string | null> {
  const lock = findLockConflict(lines);
  if (!lock) return null;
  const verdict = await judgeLockConflict(lock, platform);
  say(verdict.text);
  if (verdict.holder === 'zombie' && lock.pid !== null && (await waitGone([lock.pid], platform, ZOMBIE_WAIT_MS, 50)).length > 0) {
    say(`pid ${lock.pid} is still a zombie after ${ZOMBIE_WAIT_MS / 1000}s: restarting anyway`);
  }
  return verdict.holder === 'running' || verdict.holder === 'unknown' ? verdict.text : null;
}
