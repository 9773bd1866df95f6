import { describe, expect, it } from 'vitest';
import { HEALTH_PROBES_PER_RUN, HEALTH_RUNS_KEPT, type HealthProbe } from '../../../shared/types';
import { applyTimeline, emptyTimeline, type HealthTimeline, type TimelineInput } from '../../../electron/supervisor/health/timeline';
import type { HealthCheckConfig } from '../../../electron/supervisor/config/types';

const check = { initial_interval_secs: 15, interval_secs: 5, max_consecutive_failures: 3, min_consecutive_successes: 2 } as HealthCheckConfig;
const start = (at: number, run: number): TimelineInput => ({ type: 'run-start', at, run, reason: run === 1 ? 'initial' : 'unhealthy', check });
const probe = (at: number, result: HealthProbe['result'] = 'success'): TimelineInput => ({
  type: 'probe',
  probe: { at, due: at - 3, result, latency_ms: result === 'snoozed' ? null : 3, failures: result === 'failure' ? 1 : 0, successes: result === 'success' ? 1 : 0 },
});
const apply = (inputs: TimelineInput[], t: HealthTimeline = emptyTimeline()) => inputs.reduce(applyTimeline, t);

describe('the health timeline', () => {
  it("keeps each run's Aurora numbers (m, n, max failures) with its probes and events", () => {
    const t = apply([start(0, 1), probe(5000), probe(10000, 'failure'), { type: 'event', event: { at: 10000, kind: 'killed' } }, { type: 'run-end', at: 10500 }]);
    expect(t.runs).toHaveLength(1);
    expect(t.runs[0]).toMatchObject({ run: 1, grace_checks: 3, start_deadline_checks: 3 + 3 + 2, max_consecutive_failures: 3, interval_secs: 5, ended_at: 10500 });
    expect(t.runs[0]!.probes.map((p) => p.result)).toEqual(['success', 'failure']);
    expect(t.runs[0]!.events.map((e) => e.kind)).toEqual(['killed']);
  });

  it('ignores probes after a run ended, and is bounded in runs and probes', () => {
    let t = apply([start(0, 1), { type: 'run-end', at: 1 }, probe(2)]);
    expect(t.runs[0]!.probes).toEqual([]);
    for (let run = 2; run < 2 + HEALTH_RUNS_KEPT + 3; run++) t = applyTimeline(t, start(run * 1000, run));
    expect(t.runs).toHaveLength(HEALTH_RUNS_KEPT);
    expect(t.runs[0]!.run).toBe(5);
    for (let i = 0; i < HEALTH_PROBES_PER_RUN + 10; i++) t = applyTimeline(t, probe(100_000 + i));
    const last = t.runs.at(-1)!;
    expect(last.probes).toHaveLength(HEALTH_PROBES_PER_RUN);
    expect(last.dropped_probes).toBe(10);
    expect(last.probes[0]!.at).toBe(100_010);
  });

  it('a snooze window spans restarts: it ends with a run and opens again at the next start', () => {
    const t = apply([start(0, 1), { type: 'window-open', at: 100, kind: 'snooze', detail: 'capture' }, { type: 'run-end', at: 200 }, start(300, 2), { type: 'window-close', at: 400, kind: 'snooze' }]);
    expect(t.runs[0]!.windows).toEqual([{ kind: 'snooze', from: 100, to: 200, detail: 'capture' }]);
    expect(t.runs[1]!.windows).toEqual([{ kind: 'snooze', from: 300, to: 400, detail: 'capture' }]);
    expect(t.open).toEqual([]);
  });

  it('a second open of the same kind is one window; a close with none open changes nothing', () => {
    const t = apply([start(0, 1), { type: 'window-open', at: 1, kind: 'capture' }, { type: 'window-open', at: 2, kind: 'capture' }]);
    expect(t.runs[0]!.windows).toHaveLength(1);
    const same = apply([{ type: 'window-close', at: 3, kind: 'snooze' }], t);
    expect(same).toBe(t);
  });
});
