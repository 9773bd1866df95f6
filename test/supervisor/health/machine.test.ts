import { describe, expect, it } from 'vitest';
import { HEALTH_HISTORY_CAP } from '../../../shared/types';
import type { HealthCheckConfig } from '../../../electron/supervisor/config/types';
import { healthView as idleHealthView } from '../../helpers/status-fixtures';
import {
  applyCheck,
  graceChecks,
  healthSettings,
  healthView,
  initialHealth,
  type HealthMachineState,
  type HealthVerdict,
} from '../../../electron/supervisor/health/machine';

function cfg(initial: number, interval: number, maxFail: number, minSucc: number): HealthCheckConfig {
  return {
    probe: { kind: 'tcp', port: 'health' },
    initial_interval_secs: initial,
    interval_secs: interval,
    max_consecutive_failures: maxFail,
    min_consecutive_successes: minSucc,
    timeout_secs: 1,
  };
}

const RESULT = { S: 'success', F: 'failure', Z: 'snoozed' } as const;

/** Runs a sequence like "FFS" (S success, F failure, Z snoozed); returns every verdict and the last state. */
function run(c: HealthCheckConfig, seq: string): { verdicts: HealthVerdict[]; state: HealthMachineState } {
  let state = initialHealth(c);
  const verdicts: HealthVerdict[] = [];
  [...seq].forEach((ch, i) => {
    const out = applyCheck(state, { at: 1000 * (i + 1), result: RESULT[ch as keyof typeof RESULT], detail: `check ${i + 1}` });
    state = out.state;
    verdicts.push(out.verdict);
  });
  return { verdicts, state };
}

/** "1-based check number of the first non-'none' verdict: verdict", or 'none'. */
function firstVerdict(verdicts: HealthVerdict[]): string {
  const i = verdicts.findIndex((v) => v !== 'none');
  return i < 0 ? 'none' : `${i + 1}:${verdicts[i]}`;
}

describe('grace and deadline arithmetic', () => {
  it.each([
    // initial, interval, maxFail, minSucc, m, n
    [15, 10, 0, 1, 2, 3],
    [10, 10, 0, 1, 1, 2],
    [0, 10, 0, 1, 0, 1],
    [5, 10, 2, 3, 1, 6],
    [60, 5, 3, 2, 12, 17],
    [1.1, 0.1, 0, 1, 11, 12], // float noise must not add a grace check
    [0.3, 0.1, 1, 1, 3, 5],
  ])('initial %s / interval %s, maxfail %s, minsucc %s -> m=%s, n=%s', (initial, interval, maxFail, minSucc, m, n) => {
    const state = initialHealth(cfg(initial, interval, maxFail, minSucc));
    expect(state.grace_checks).toBe(m);
    expect(state.start_deadline_checks).toBe(n);
    const view = healthView(state, null, false);
    expect(view.grace_checks).toBe(m);
    expect(view.start_deadline_checks).toBe(n);
  });

  it('a non-positive interval grants no grace', () => {
    expect(graceChecks(10, 0)).toBe(0);
    expect(graceChecks(0, 1)).toBe(0);
  });
});

describe('verdict sequences', () => {
  it.each([
    // [initial, interval, maxFail, minSucc, sequence, first verdict]
    // m=2, n=3: two grace failures are ignored, the third check decides.
    [15, 10, 0, 1, 'FFS', '3:became-healthy'],
    [15, 10, 0, 1, 'FFF', '3:failed-start'],
    [15, 10, 0, 1, 'S', '1:became-healthy'], // a success in grace counts
    [15, 10, 0, 1, 'FS', '2:became-healthy'],
    // m=0, n=1: no grace at all.
    [0, 10, 0, 1, 'F', '1:failed-start'],
    [0, 10, 0, 1, 'S', '1:became-healthy'],
    // min_consecutive_successes 3, m=1, maxFail 1 -> n=5
    [5, 10, 1, 3, 'SSS', '3:became-healthy'],
    [5, 10, 1, 3, 'FSSS', '4:became-healthy'], // grace failure forgiven
    [5, 10, 1, 3, 'SSFSS', '3:failed-start'], // the interruption leaves 2 checks for 3 successes
    [5, 10, 1, 3, 'SFSSS', '5:became-healthy'], // one failure after grace still leaves exactly 3 checks
    [5, 10, 1, 3, 'FSFSS', '3:failed-start'],
    // m=2, maxFail 2, minSucc 2 -> n=6: failures after grace up to the deadline
    [15, 10, 2, 2, 'FFFSS', '5:became-healthy'],
    [15, 10, 2, 2, 'FFFFSS', '6:became-healthy'],
    [15, 10, 2, 2, 'FFFFF', '5:failed-start'],
    [15, 10, 2, 2, 'SFFSFSS', '5:failed-start'],
    // running, then more than max_consecutive_failures in a row
    [0, 10, 2, 1, 'SFFF', '1:became-healthy'],
    [0, 10, 2, 1, 'SFFSFF', '1:became-healthy'],
  ])('initial %s / interval %s, maxfail %s, minsucc %s: %s -> %s', (initial, interval, maxFail, minSucc, seq, expected) => {
    expect(firstVerdict(run(cfg(initial, interval, maxFail, minSucc), seq).verdicts)).toBe(expected);
  });

  it('a running instance is killed only after MORE than max_consecutive_failures failures in a row', () => {
    const c = cfg(0, 10, 2, 1);
    expect(run(c, 'SFF').verdicts).toEqual(['became-healthy', 'none', 'none']);
    expect(run(c, 'SFFF').verdicts).toEqual(['became-healthy', 'none', 'none', 'unhealthy']);
    expect(run(c, 'SFFSFFSFF').verdicts.filter((v) => v === 'unhealthy')).toEqual([]);
    const { state } = run(c, 'SFFF');
    expect(state.failed).toBe('unhealthy');
    expect(healthView(state, null, false)).toMatchObject({ status: 'unhealthy', phase: 'failed', consecutive_failures: 3 });
  });

  it('a grace failure after RUNNING is still forgiven (Aurora counts grace by attempt number)', () => {
    const { verdicts, state } = run(cfg(30, 10, 0, 1), 'SFF');
    expect(verdicts).toEqual(['became-healthy', 'none', 'none']);
    expect(state.consecutive_failures).toBe(0);
    expect(state.history.map((h) => h.result)).toEqual(['success', 'ignored', 'ignored']);
    expect(run(cfg(30, 10, 0, 1), 'SFFF').verdicts[3]).toBe('unhealthy');
  });

  it('a terminal verdict is final: later checks change nothing', () => {
    const { state } = run(cfg(0, 10, 0, 1), 'F');
    const after = applyCheck(state, { at: 99, result: 'success' });
    expect(after.verdict).toBe('none');
    expect(after.state).toBe(state);
  });
});

describe('snoozed checks', () => {
  it('pass: they reset the failure run and never produce unhealthy', () => {
    const c = cfg(0, 10, 1, 1);
    const { verdicts, state } = run(c, 'SFZFZFZZZZ');
    expect(verdicts).toEqual(['became-healthy', ...Array(9).fill('none')]);
    expect(state.consecutive_failures).toBe(0);
    expect(run(c, 'SFZFF').verdicts[4]).toBe('unhealthy'); // the run restarts after the snooze
    expect(run(c, 'S' + 'Z'.repeat(100)).verdicts.includes('unhealthy')).toBe(false);
  });

  it('count as successes, so a snoozed warming instance cannot fail its start', () => {
    const { verdicts } = run(cfg(15, 10, 0, 2), 'FFZZ');
    expect(firstVerdict(verdicts)).toBe('4:became-healthy');
    expect(run(cfg(0, 10, 0, 1), 'Z'.repeat(10)).verdicts[0]).toBe('became-healthy');
  });

  it('are recorded as snoozed and the status says snoozed', () => {
    const { state } = run(cfg(0, 10, 0, 1), 'SZ');
    const view = healthView(state, null, true);
    expect(view.history.map((h) => h.result)).toEqual(['success', 'snoozed']);
    expect(view.status).toBe('snoozed');
    expect(view.checks).toBe(2);
  });
});

describe('healthView', () => {
  it('no health check: status none, phase idle, checks are no-ops', () => {
    const state = initialHealth(null);
    const out = applyCheck(state, { at: 1, result: 'failure' });
    expect(out.verdict).toBe('none');
    // The idle view the test fixtures default to: the fixtures' idea of "no health check" is this one.
    expect(healthView(out.state, null, false)).toEqual(idleHealthView());
    expect(healthView(state, null, true).status).toBe('none');
  });

  it('walks the phases idle -> grace -> warming -> running with status unknown -> healthy', () => {
    const c = cfg(15, 10, 1, 2); // m=2, n=5
    const settings = healthSettings(c, 'tcp 127.0.0.1:20002');
    const seen: string[] = [];
    let state = initialHealth(c);
    seen.push(`${healthView(state, settings, false).phase}/${healthView(state, settings, false).status}`);
    for (const result of ['failure', 'failure', 'success', 'success'] as const) {
      state = applyCheck(state, { at: 0, result }).state;
      const view = healthView(state, settings, false);
      seen.push(`${view.phase}/${view.status}`);
    }
    expect(seen).toEqual(['idle/unknown', 'grace/unknown', 'grace/unknown', 'warming/unknown', 'running/healthy']);
    expect(healthView(state, settings, false).settings).toEqual({
      kind: 'tcp',
      target: 'tcp 127.0.0.1:20002',
      initial_interval_secs: 15,
      interval_secs: 10,
      max_consecutive_failures: 1,
      min_consecutive_successes: 2,
      timeout_secs: 1,
    });
  });

  it('keeps a running instance healthy while its failures stay within the limit, with the last detail', () => {
    let state = run(cfg(0, 10, 2, 1), 'SF').state;
    state = applyCheck(state, { at: 5, result: 'failure', detail: 'HTTP 500' }).state;
    const view = healthView(state, null, false);
    expect(view).toMatchObject({ status: 'healthy', phase: 'running', consecutive_failures: 2, last_detail: 'HTTP 500' });
    expect(view.history.at(-1)).toEqual({ at: 5, result: 'failure', detail: 'HTTP 500' });
  });

  it('caps the history, newest last', () => {
    const { state } = run(cfg(0, 10, 0, 1), 'S'.repeat(HEALTH_HISTORY_CAP + 15));
    const view = healthView(state, null, false);
    expect(view.history).toHaveLength(HEALTH_HISTORY_CAP);
    expect(view.history.at(-1)?.at).toBe(1000 * (HEALTH_HISTORY_CAP + 15));
    expect(view.history[0]?.at).toBe(1000 * 16);
    expect(view.checks).toBe(HEALTH_HISTORY_CAP + 15);
  });

  it('records grace failures as ignored with their detail', () => {
    const { state } = run(cfg(15, 10, 0, 1), 'FS');
    expect(state.history).toEqual([
      { at: 1000, result: 'ignored', detail: 'check 1' },
      { at: 2000, result: 'success', detail: 'check 2' },
    ]);
  });
});
