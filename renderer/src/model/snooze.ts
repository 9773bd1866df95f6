// Snooze wording: how long, how long left, and whether it looks forgotten (Aurora's warning:
// "Remember to remove this when you are done").
import { isSnoozeForgotten } from '../../../shared/snooze';
import type { ServiceStatus, StackInfo } from '../../../shared/types';
import { formatDurationCoarse, formatMinutes } from '../time/format';

export interface SnoozeInfo {
  /** "snoozed 12m" */
  label: string;
  /** "48m left" for a timed snooze */
  left: string | null;
  /** Set when an untimed snooze has been on longer than stack.snooze_warn_after_secs. */
  warning: string | null;
}

export const SNOOZE_DURATIONS: ReadonlyArray<{ label: string; forSecs: number | undefined }> = [
  { label: '15 min', forSecs: 15 * 60 },
  { label: '1 hour', forSecs: 3600 },
  { label: 'Until turned off', forSecs: undefined },
];

export function snoozeInfo(s: ServiceStatus, stack: StackInfo | null, now: number): SnoozeInfo | null {
  if (!s.snoozed) return null;
  const age = s.snoozed_since === null ? null : Math.max(0, now - s.snoozed_since);
  const label = age === null ? 'snoozed' : `snoozed ${formatDurationCoarse(age)}`;
  const left = s.snooze_until === null ? null : `${formatDurationCoarse(Math.max(0, s.snooze_until - now))} left`;
  const warning =
    stack && age !== null && isSnoozeForgotten(s, stack.snooze_warn_after_secs, now)
      ? `Snoozed for ${formatMinutes(age)} — health checks are off. Remember to remove it.`
      : null;
  return { label, left, warning };
}
