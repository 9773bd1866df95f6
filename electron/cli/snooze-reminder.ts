// "A forgotten snooze is noticed" for the terminal (`hearth up`, `serve`, the background log of `up -d`),
// as the desktop app notifies: once an untimed snooze has been on for the stack's snooze_warn_after_secs,
// one line says so. Each snooze is timed exactly, so nothing wakes up while no snooze is on.
import { snoozeForgottenAt } from '../../shared/snooze';
import type { ServiceStatus } from '../../shared/types';
import { formatDuration } from './duration';

export interface SnoozeReminder {
  /** A service's latest status (a snooze may have started, ended or been replaced). */
  update(status: ServiceStatus): void;
  /** The stack's snooze_warn_after_secs, at the snapshot and after a reload. */
  setWarnAfter(secs: number): void;
  remove(name: string): void;
  dispose(): void;
}

export function createSnoozeReminder(say: (text: string) => void, now: () => number = Date.now): SnoozeReminder {
  let warnAfterSecs = 0;
  const latest = new Map<string, ServiceStatus>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** One reminder per snooze: a service and the time its snooze file appeared. */
  const reminded = new Set<string>();

  const schedule = (s: ServiceStatus): void => {
    clearTimeout(timers.get(s.name));
    timers.delete(s.name);
    const at = snoozeForgottenAt(s, warnAfterSecs);
    const key = `${s.name}@${s.snoozed_since}`;
    if (at === null || reminded.has(key)) return;
    const remind = (): void => {
      timers.delete(s.name);
      reminded.add(key);
      say(`${s.name}: health checks snoozed for ${formatDuration(now() - s.snoozed_since!)} and still off: remember to remove .healthchecksnooze (\`hearth unsnooze ${s.name}\`)`);
    };
    const delay = at - now();
    if (delay <= 0) remind();
    else timers.set(s.name, setTimeout(remind, delay).unref());
  };

  return {
    update(status) {
      latest.set(status.name, status);
      schedule(status);
    },
    setWarnAfter(secs) {
      if (secs === warnAfterSecs) return;
      warnAfterSecs = secs;
      for (const s of latest.values()) schedule(s);
    },
    remove(name) {
      latest.delete(name);
      clearTimeout(timers.get(name));
      timers.delete(name);
    },
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
