// Replicated services arrive as ordinary services named `api.0`, `api.1`, … (a dot appears in a
// service name only before an instance number), so the sidebar can group them from names alone,
// without reading statuses.
import type { ServiceStatus } from '../../../shared/types';
import { deriveBadge } from './badge';

export type ListEntry = { kind: 'service'; name: string } | { kind: 'group'; group: string; instances: string[] };

const INSTANCE_RE = /^(.+)\.([0-9]{1,2})$/;

/** `api.1` -> `api`; a name without an instance suffix is its own group. */
export function groupOf(name: string): string {
  return INSTANCE_RE.exec(name)?.[1] ?? name;
}

/** Services in order, instances of one group gathered where the group first appears. */
export function listEntries(order: readonly string[]): ListEntry[] {
  const entries: ListEntry[] = [];
  const groups = new Map<string, string[]>();
  for (const name of order) {
    const group = groupOf(name);
    if (group === name) {
      entries.push({ kind: 'service', name });
      continue;
    }
    let instances = groups.get(group);
    if (!instances) {
      instances = [];
      groups.set(group, instances);
      entries.push({ kind: 'group', group, instances });
    }
    instances.push(name);
  }
  return entries;
}

/**
 * "3/3 healthy": instances whose badge is good out of all; "3/3 running" when none has a health check
 * (nothing then says healthy, as on each instance's badge).
 */
export function groupSummary(statuses: ReadonlyArray<ServiceStatus | undefined>): string {
  const known = statuses.filter((s): s is ServiceStatus => s !== undefined);
  const up = known.filter((s) => deriveBadge(s, 0).tone === 'ok').length;
  return `${up}/${known.length} ${known.some((s) => s.health.settings !== null) ? 'healthy' : 'running'}`;
}

/** All up: ok; none: muted; some: warn. */
export function summaryTone(summary: string): 'ok' | 'warn' | 'muted' {
  const [up, total] = summary.split(/[/ ]/).map(Number) as [number, number];
  return up === 0 ? 'muted' : up === total ? 'ok' : 'warn';
}
