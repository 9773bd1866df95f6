// Pure dependency decisions: whether a service may start given the states of what it depends on,
// the order to start and stop in, and which services a start request pulls in.
import type { ServiceState, HealthStatus } from '../../shared/types';
import type { DependencyCondition } from './config/types';

export interface DepView {
  state: ServiceState;
  health: HealthStatus;
}

/** Is one dependency's condition met? */
export function conditionMet(condition: DependencyCondition, dep: DepView | undefined): boolean {
  if (!dep) return false;
  switch (condition) {
    case 'started':
      return dep.state === 'STARTING' || dep.state === 'RUNNING' || dep.state === 'FINISHED';
    case 'healthy':
      // RUNNING means healthy (or running with no health check); a snoozed RUNNING service still counts.
      return dep.state === 'RUNNING' || (dep.state === 'FINISHED' && dep.health !== 'unhealthy');
    case 'completed':
      return dep.state === 'FINISHED';
  }
}

/** The first unmet dependency, for a "waiting for …" message; null when all are met. */
export function firstUnmet(
  dependsOn: Record<string, DependencyCondition>,
  views: Record<string, DepView>,
): { name: string; condition: DependencyCondition } | null {
  for (const [name, condition] of Object.entries(dependsOn)) {
    if (!conditionMet(condition, views[name])) return { name, condition };
  }
  return null;
}

/**
 * What a PENDING service tells about the dependency it waits for. A dependency that FAILED (a job out of
 * retries) or was stopped will not get there on its own: say what gets it going, rather than "waiting".
 */
export function waitingText(unmet: { name: string; condition: DependencyCondition }, dep: ServiceState | undefined): string {
  const waiting = `waiting for ${unmet.name} to be ${unmet.condition}`;
  if (dep === 'FAILED') return `${waiting}, but ${unmet.name} FAILED: fix it, then \`hearth restart ${unmet.name}\``;
  if (dep === 'STOPPED') return `${waiting}, but ${unmet.name} is STOPPED: \`hearth start ${unmet.name}\``;
  return dep ? `${waiting} (now ${dep})` : waiting;
}

/** The named services plus everything they depend on, transitively, in start order (deps first). */
export function withDependencies(names: string[], graph: Record<string, string[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || !(name in graph)) return;
    seen.add(name);
    for (const dep of graph[name] ?? []) visit(dep);
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

/** The named services plus everything that depends on them, transitively (for stop: dependents first). */
export function withDependents(names: string[], graph: Record<string, string[]>): string[] {
  const result = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, deps] of Object.entries(graph)) {
      if (!result.has(name) && deps.some((d) => result.has(d))) {
        result.add(name);
        grew = true;
      }
    }
  }
  return [...result];
}

/**
 * Groups services into levels for stopping: dependents before their dependencies, each level in parallel.
 * (Cycles are rejected by the config loader; any leftover is stopped in a final level.)
 */
export function stopLevels(names: string[], graph: Record<string, string[]>): string[][] {
  const remaining = new Set(names);
  const levels: string[][] = [];
  while (remaining.size > 0) {
    // A service can stop now when no remaining service depends on it.
    const level = [...remaining].filter((n) => ![...remaining].some((o) => (graph[o] ?? []).includes(n)));
    if (level.length === 0) {
      levels.push([...remaining]);
      break;
    }
    for (const n of level) remaining.delete(n);
    levels.push(level);
  }
  return levels;
}
