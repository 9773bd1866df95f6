// Who made a capture or debug snooze: this Hearth process, told apart from a later process with the same
// pid by its start time. A restarted Hearth that finds a snooze whose maker is gone removes it.
import { isLiveStat, readProcStat } from '../process/proc-stat';
import type { SnoozeOwner } from '../snooze';

export function selfOwner(): SnoozeOwner {
  return { pid: process.pid, start: readProcStat(process.pid)?.startTime ?? null };
}

export function ownerAlive(owner: SnoozeOwner): boolean {
  if (owner.pid === process.pid) return true;
  if (process.platform === 'linux') {
    const stat = readProcStat(owner.pid);
    return isLiveStat(stat) && (owner.start === null || stat.startTime === owner.start);
  }
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
