// The state badge: one lower-case word (or short phrase) derived from ServiceStatus, and a tone
// that picks its colour. Pure, so every state is unit-tested without rendering.
import type { ServiceStatus } from '../../../shared/types';
import { secondsUntil } from '../time/format';
import { killingText } from '../../../shared/stop-reason';

export type Tone = 'ok' | 'warn' | 'err' | 'info' | 'snooze' | 'muted' | 'progress';

export interface Badge {
  text: string;
  tone: Tone;
}

export function deriveBadge(s: ServiceStatus, now: number): Badge {
  switch (s.state) {
    case 'PENDING':
      return { text: 'pending', tone: 'muted' };
    case 'STARTING':
      return s.snoozed ? { text: 'snoozed', tone: 'snooze' } : { text: 'starting', tone: 'progress' };
    case 'RUNNING':
      if (s.snoozed || s.health.status === 'snoozed') return { text: 'snoozed', tone: 'snooze' };
      if (s.health.status === 'unhealthy') return { text: 'unhealthy', tone: 'err' };
      // Without a health check nothing says "healthy": only that it runs (as the CLI and the tray say).
      if (s.health.status === 'unknown' || s.health.status === 'none') return { text: 'running', tone: 'ok' };
      return { text: 'healthy', tone: 'ok' };
    case 'RESTARTING':
      if (s.next_attempt_at === null) return { text: 'restarting', tone: 'warn' };
      return { text: `restarting in ${secondsUntil(s.next_attempt_at, now)}s`, tone: 'warn' };
    case 'STOPPING':
      return killingText(s) ? { text: killingText(s)!, tone: 'err' } : { text: 'stopping', tone: 'progress' };
    case 'STOPPED':
      return { text: 'stopped', tone: 'muted' };
    case 'FINISHED':
      return { text: 'finished', tone: 'info' };
    case 'FAILED':
      return { text: 'failed', tone: 'err' };
  }
}

/** Whether a process is (or is about to be) up: decides Stop vs Start. */
export function isActive(s: ServiceStatus): boolean {
  return s.state === 'RUNNING' || s.state === 'STARTING' || s.state === 'RESTARTING' || s.state === 'PENDING';
}

export function canStart(s: ServiceStatus): boolean {
  return s.state === 'STOPPED' || s.state === 'FINISHED' || s.state === 'FAILED';
}

export function canStop(s: ServiceStatus): boolean {
  return isActive(s);
}
