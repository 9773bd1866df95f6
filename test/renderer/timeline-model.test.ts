import { describe, expect, it } from 'vitest';
import type { HealthRun } from '../../shared/types';
import { speedscopeUrl, timelineModel } from '../../renderer/src/model/timeline';

const run: HealthRun = {
  run: 2,
  started_at: 100_000,
  ended_at: 160_000,
  reason: 'unhealthy',
  interval_secs: 5,
  initial_interval_secs: 15,
  grace_checks: 3,
  start_deadline_checks: 7,
  max_consecutive_failures: 3,
  min_consecutive_successes: 1,
  probes: [
    { at: 105_000, due: 104_000, result: 'ignored', latency_ms: 1000, failures: 0, successes: 0, detail: 'timeout' },
    { at: 110_000, due: 109_996, result: 'success', latency_ms: 4, failures: 0, successes: 1 },
    { at: 115_000, due: 115_000, result: 'snoozed', latency_ms: null, failures: 0, successes: 2 },
    { at: 120_000, due: 119_970, result: 'failure', latency_ms: 30, failures: 1, successes: 0 },
    { at: 125_000, due: 124_969, result: 'failure', latency_ms: 31, failures: 2, successes: 0 },
  ],
  dropped_probes: 0,
  events: [
    { at: 100_000, kind: 'started', detail: 'unhealthy' },
    { at: 130_000, kind: 'killed', detail: '4 consecutive failures' },
  ],
  windows: [{ kind: 'capture', from: 112_000, to: 118_000, detail: 'cpu (node-inspector)' }, { kind: 'snooze', from: 112_000, to: null, detail: 'capture' }],
};

describe('timelineModel', () => {
  it('places probes, windows and marks in seconds from the run start', () => {
    const m = timelineModel(run, 200_000);
    expect(m.points.map((p) => [p.t, p.latency, p.result])).toEqual([
      [5, 1000, 'ignored'],
      [10, 4, 'success'],
      [15, 0, 'snoozed'],
      [20, 30, 'failure'],
      [25, 31, 'failure'],
    ]);
    expect(m.bands).toEqual([
      { from: 0, to: 20, kind: 'grace', label: 'grace: first 3 checks (m)' },
      { from: 12, to: 18, kind: 'capture', label: 'capture cpu (node-inspector)' },
      // Still open when the run ended: drawn to the run's end, not to now.
      { from: 12, to: 60, kind: 'snooze', label: 'snoozed (capture)' },
    ]);
    expect(m.marks.map((x) => [x.t, x.label])).toEqual([
      [0, 'started: unhealthy'],
      [30, 'killed: 4 consecutive failures'],
      [40, 'start deadline: 7 checks (n)'],
    ]);
    expect(m.span).toBe(60);
    expect(m.worstFailureRun).toBe(2);
    expect(m.summary).toBe('run 2 (unhealthy): 5 checks — 1 success, 2 failure, 1 ignored, 1 snoozed; longest failure run 2 of max 3');
  });

  it('a running run spans until now', () => {
    expect(timelineModel({ ...run, ended_at: null, windows: [] }, 190_000).span).toBe(90);
  });

  it("builds the speedscope page's address with the profile and title escaped", () => {
    expect(speedscopeUrl('blob:http://127.0.0.1:5/ab-cd', 'api — x.cpuprofile')).toBe(
      'speedscope/index.html#profileURL=blob%3Ahttp%3A%2F%2F127.0.0.1%3A5%2Fab-cd&title=api%20%E2%80%94%20x.cpuprofile',
    );
  });
});
