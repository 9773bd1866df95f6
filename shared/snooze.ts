/**
 * When a snooze counts as forgotten (Aurora's advice for its snooze file: "remember to remove it when you
 * are done"): an untimed snooze older than the stack's `snooze_warn_after_secs`; 0 turns the warning off.
 * A timed snooze ends by itself and is never forgotten. One rule for the UI, the CLI and the notifications.
 */
import type { ServiceStatus } from './types';

type SnoozeFields = Pick<ServiceStatus, 'snoozed' | 'snoozed_since' | 'snooze_until'>;

/**
 * Its health checks run and can get it killed: a process waiting at a prompt (a debugger's breakpoint)
 * answers none, so it should be snoozed first. One rule for `hearth attach`, the UI and the notifications.
 */
export function checksCanKill(s: Pick<ServiceStatus, 'health' | 'snoozed'> | undefined): boolean {
  return s !== undefined && s.health.status !== 'none' && !s.snoozed;
}

/** Epoch ms from which the snooze counts as forgotten, or null when it never will (as it stands). */
export function snoozeForgottenAt(s: SnoozeFields, warnAfterSecs: number): number | null {
  if (!s.snoozed || s.snooze_until !== null || s.snoozed_since === null || !(warnAfterSecs > 0)) return null;
  return s.snoozed_since + warnAfterSecs * 1000;
}

export function isSnoozeForgotten(s: SnoozeFields, warnAfterSecs: number, now: number): boolean {
  const at = snoozeForgottenAt(s, warnAfterSecs);
  return at !== null && now >= at;
}
