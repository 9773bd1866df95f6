// Plain-language explanations of Aurora's health arithmetic for the streak strip and its tooltip.
import type { HealthView, HealthCheckRecord } from '../../../shared/types';
import { formatClock } from '../../../shared/format-clock';

/** Where the instance stands: "grace: check 1 of 3", "warming: 1/2 successes, start fails after 7 checks"… */
export function healthPosition(h: HealthView): string {
  switch (h.phase) {
    case 'grace':
      return `grace: check ${Math.max(1, h.checks)} of ${h.grace_checks}`;
    case 'warming': {
      const min = h.settings?.min_consecutive_successes ?? 1;
      return `warming: ${h.consecutive_successes}/${min} successes, start fails after ${h.start_deadline_checks} checks`;
    }
    case 'running': {
      const max = h.settings?.max_consecutive_failures ?? 0;
      return `running: ${h.consecutive_failures} of ${max} failures`;
    }
    case 'failed':
      return `failed: unhealthy after ${h.consecutive_failures} failed checks`;
    case 'idle':
      return 'idle: no checks yet';
  }
}

/** The current run of identical results, e.g. { kind: 'success', count: 12 }. */
export function currentStreak(h: HealthView): { kind: 'success' | 'failure'; count: number } | null {
  if (h.consecutive_failures > 0) return { kind: 'failure', count: h.consecutive_failures };
  if (h.consecutive_successes > 0) return { kind: 'success', count: h.consecutive_successes };
  return null;
}

export function streakText(h: HealthView): string {
  const s = currentStreak(h);
  if (!s) {
    if (h.status === 'snoozed') return 'checks paused';
    return h.history.length > 0 ? 'no checks running' : 'no checks yet';
  }
  return s.kind === 'success' ? `${s.count} ok in a row` : `${s.count} failed in a row`;
}

/** Multi-line tooltip: the HealthCheckConfig and the current position. */
export function healthTooltip(h: HealthView): string {
  if (!h.settings) return 'No health check: Hearth knows only that it runs.';
  const c = h.settings;
  return [
    `${c.kind} ${c.target}`,
    `initial_interval_secs: ${c.initial_interval_secs}`,
    `interval_secs: ${c.interval_secs}`,
    `max_consecutive_failures: ${c.max_consecutive_failures}`,
    `min_consecutive_successes: ${c.min_consecutive_successes}`,
    `timeout_secs: ${c.timeout_secs}`,
    '',
    healthPosition(h),
    h.last_detail ? `last: ${h.last_detail}` : '',
  ]
    .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1))
    .join('\n');
}

export function recordTitle(r: HealthCheckRecord): string {
  return `${r.result} at ${formatClock(r.at)}${r.detail ? ` — ${r.detail}` : ''}`;
}
