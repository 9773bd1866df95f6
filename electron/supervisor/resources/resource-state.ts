// The resource view of one service as a pure state machine: each /proc sample in, the view that
// status() shows out, plus whether RSS just crossed `resources.ram` (one warning line per crossing).
import { RESOURCE_HISTORY_CAP, type ResourceSample, type ServiceResources } from '../../../shared/types';
import type { TreeUsage } from './proc-usage';

export interface ResourceState {
  view: ServiceResources | null;
  /** Survives restarts, so the sparkline shows the service, not just its current process. */
  history: ResourceSample[];
  prev: { at: number; ticks: Map<string, number> } | null;
  over: boolean;
}

export type Crossing = 'over' | 'under' | null;

/** Back under the limit only below 95% of it, so RSS hovering at the limit does not spam the log. */
export const UNDER_RATIO = 0.95;

export function initialResources(): ResourceState {
  return { view: null, history: [], prev: null, over: false };
}

/**
 * CPU% of the tree between two samples: the CPU time every process gained, over the wall time.
 * A process new since the previous sample counts with all its time (it was born in the interval).
 */
export function cpuPercent(prev: ResourceState['prev'], ticks: Map<string, number>, at: number, clockTicks: number): number {
  if (!prev || at <= prev.at) return 0;
  let gained = 0;
  for (const [key, t] of ticks) gained += Math.max(0, t - (prev.ticks.get(key) ?? 0));
  const pct = (gained / clockTicks / ((at - prev.at) / 1000)) * 100;
  return Math.round(pct * 10) / 10;
}

export function applySample(
  state: ResourceState,
  input: { at: number; usage: TreeUsage; limit: number | null; clockTicks: number },
): { state: ResourceState; crossed: Crossing } {
  const { at, usage, limit } = input;
  const cpu = cpuPercent(state.prev, usage.ticks, at, input.clockTicks);
  const sample: ResourceSample = { at, cpu_percent: cpu, rss_bytes: usage.rssBytes };
  const history = [...state.history, sample].slice(-RESOURCE_HISTORY_CAP);
  let over = state.over;
  let crossed: Crossing = null;
  if (limit === null) {
    over = false;
  } else if (!over && usage.rssBytes > limit) {
    over = true;
    crossed = 'over';
  } else if (over && usage.rssBytes <= limit * UNDER_RATIO) {
    over = false;
    crossed = 'under';
  }
  const view: ServiceResources = { cpu_percent: cpu, rss_bytes: usage.rssBytes, history, ram_limit_bytes: limit, over_ram: over };
  return { state: { view, history, prev: { at, ticks: usage.ticks }, over }, crossed };
}

/** The service has no process: nothing to show now; the history stays for when it is back. */
export function noProcess(state: ResourceState): ResourceState {
  if (state.view === null && state.prev === null && !state.over) return state;
  return { ...state, view: null, prev: null, over: false };
}
