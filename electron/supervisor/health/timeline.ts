// A service's health history, per run and bounded: every probe (result, latency, streaks), the run's
// Aurora numbers (m, n, max_consecutive_failures), what Hearth did (started, healthy, killed, exited) and
// the windows when checks were snoozed or a capture ran. Pure: `(timeline, input) -> timeline`.
import {
  HEALTH_PROBES_PER_RUN,
  HEALTH_RUNS_KEPT,
  type HealthEvent,
  type HealthProbe,
  type HealthRun,
  type HealthWindow,
  type RestartReason,
} from '../../../shared/types';
import type { HealthCheckConfig } from '../config/types';
import { graceChecks } from './machine';

export interface HealthTimeline {
  runs: HealthRun[];
  /** Windows still open (a snooze outlasts a restart): carried into the next run. */
  open: HealthWindow[];
}

export type TimelineInput =
  | { type: 'run-start'; at: number; run: number; reason: RestartReason | null; check: HealthCheckConfig | null }
  | { type: 'probe'; probe: HealthProbe }
  | { type: 'event'; event: HealthEvent }
  | { type: 'window-open'; at: number; kind: HealthWindow['kind']; detail?: string }
  | { type: 'window-close'; at: number; kind: HealthWindow['kind'] }
  | { type: 'run-end'; at: number };

const EVENTS_PER_RUN = 200;
const WINDOWS_PER_RUN = 100;

export function emptyTimeline(): HealthTimeline {
  return { runs: [], open: [] };
}

function newRun(input: Extract<TimelineInput, { type: 'run-start' }>, open: HealthWindow[]): HealthRun {
  const c = input.check;
  const m = c ? graceChecks(c.initial_interval_secs, c.interval_secs) : 0;
  const maxFail = c ? Math.max(0, Math.floor(c.max_consecutive_failures)) : 0;
  const minSucc = c ? Math.max(0, Math.floor(c.min_consecutive_successes)) : 0;
  return {
    run: input.run,
    started_at: input.at,
    ended_at: null,
    reason: input.reason,
    interval_secs: c?.interval_secs ?? 0,
    initial_interval_secs: c?.initial_interval_secs ?? 0,
    grace_checks: m,
    start_deadline_checks: m + maxFail + minSucc,
    max_consecutive_failures: maxFail,
    min_consecutive_successes: minSucc,
    probes: [],
    dropped_probes: 0,
    events: [],
    // A snooze that was on when the run began shows from its start.
    windows: open.map((w) => ({ ...w, from: Math.max(w.from, input.at) })),
  };
}

function capped<T>(list: T[], item: T, cap: number): { list: T[]; dropped: number } {
  const next = list.length >= cap ? list.slice(list.length - cap + 1) : list.slice();
  next.push(item);
  return { list: next, dropped: list.length + 1 - next.length };
}

function updateCurrent(t: HealthTimeline, update: (run: HealthRun) => HealthRun): HealthTimeline {
  const current = t.runs[t.runs.length - 1];
  if (!current || current.ended_at !== null) return t;
  return { ...t, runs: [...t.runs.slice(0, -1), update(current)] };
}

export function applyTimeline(t: HealthTimeline, input: TimelineInput): HealthTimeline {
  switch (input.type) {
    case 'run-start': {
      const ended = endCurrent(t, input.at);
      const runs = [...ended.runs, newRun(input, ended.open)];
      return { runs: runs.slice(-HEALTH_RUNS_KEPT), open: ended.open };
    }
    case 'run-end':
      return endCurrent(t, input.at);
    case 'probe':
      return updateCurrent(t, (run) => {
        const { list, dropped } = capped(run.probes, input.probe, HEALTH_PROBES_PER_RUN);
        return { ...run, probes: list, dropped_probes: run.dropped_probes + dropped };
      });
    case 'event':
      return updateCurrent(t, (run) => ({ ...run, events: capped(run.events, input.event, EVENTS_PER_RUN).list }));
    case 'window-open': {
      if (t.open.some((w) => w.kind === input.kind)) return t;
      const window: HealthWindow = input.detail === undefined ? { kind: input.kind, from: input.at, to: null } : { kind: input.kind, from: input.at, to: null, detail: input.detail };
      const next = { ...t, open: [...t.open, window] };
      return updateCurrent(next, (run) => ({ ...run, windows: capped(run.windows, window, WINDOWS_PER_RUN).list }));
    }
    case 'window-close': {
      if (!t.open.some((w) => w.kind === input.kind)) return t;
      const next = { ...t, open: t.open.filter((w) => w.kind !== input.kind) };
      return updateCurrent(next, (run) => ({ ...run, windows: closeWindows(run.windows, input.kind, input.at) }));
    }
  }
}

function closeWindows(windows: HealthWindow[], kind: HealthWindow['kind'], at: number): HealthWindow[] {
  return windows.map((w) => (w.kind === kind && w.to === null ? { ...w, to: at } : w));
}

/** The current run ends: its open windows end with it (and reopen in the next run while they last). */
function endCurrent(t: HealthTimeline, at: number): HealthTimeline {
  return updateCurrent(t, (run) => {
    let windows = run.windows;
    for (const w of t.open) windows = closeWindows(windows, w.kind, at);
    return { ...run, ended_at: at, windows };
  });
}
