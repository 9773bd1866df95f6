// The check schedule as a pure function, driven by a fake clock: checks start exactly one interval apart
// whatever they take, one still running when the next is due is abandoned as a timeout, never two at once.
import { describe, expect, it } from 'vitest';
import { firstCheck, stepSchedule, type ScheduleState } from '../../../electron/supervisor/health/check-schedule';

interface Run {
  starts: number[];
  abandoned: number[];
  maxInFlight: number;
}

/**
 * Drives the schedule as the health loop does: a timer at each due time; each probe answers `took(i)` ms
 * after it started (Infinity: never). `late` delays timers (a busy loop).
 */
function simulate(start: number, intervalMs: number, until: number, took: (i: number) => number, late: (i: number) => number = () => 0): Run {
  let state: ScheduleState = firstCheck(start, intervalMs);
  const run: Run = { starts: [], abandoned: [], maxInFlight: 0 };
  let inFlight: { i: number; answersAt: number } | null = null;
  let k = 0;
  for (;;) {
    const fireAt = state.due + late(k++);
    if (fireAt > until) break;
    // The running probe may answer before the timer fires.
    if (inFlight && inFlight.answersAt <= fireAt) {
      state = stepSchedule(state, { type: 'result' }, intervalMs).state;
      inFlight = null;
    }
    const step = stepSchedule(state, { type: 'due', now: fireAt }, intervalMs);
    expect(step.abandon).toBe(inFlight !== null);
    if (step.abandon) run.abandoned.push(inFlight!.i);
    state = step.state;
    const i = run.starts.length;
    run.starts.push(fireAt);
    inFlight = { i, answersAt: fireAt + took(i) };
    run.maxInFlight = Math.max(run.maxInFlight, 1);
  }
  return run;
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);

describe('health check schedule', () => {
  it('starts checks exactly one interval apart however long each takes (no drift by the probe\'s duration)', () => {
    // Interval 2 s, every probe times out after 1 s: the report's case, which drifted to 3.4-3.5 s.
    const { starts, abandoned } = simulate(10_000, 2000, 30_000, () => 1000);
    expect(gaps(starts).every((g) => g === 2000)).toBe(true);
    expect(starts[0]! % 2000).toBe(0); // on the shared grid
    expect(abandoned).toEqual([]);
  });

  it('abandons a check still running when the next is due, counts it, and starts the next on time', () => {
    // Timeout longer than the interval: a hanging endpoint never answers.
    const { starts, abandoned, maxInFlight } = simulate(10_000, 1000, 20_000, () => Number.POSITIVE_INFINITY);
    expect(gaps(starts).every((g) => g === 1000)).toBe(true);
    expect(abandoned).toEqual(starts.slice(0, -1).map((_, i) => i));
    expect(maxInFlight).toBe(1);
  });

  it('a probe answering before the next is due is a plain result, not a timeout', () => {
    const { abandoned } = simulate(10_000, 1000, 20_000, (i) => (i % 2 ? 999 : 10));
    expect(abandoned).toEqual([]);
  });

  it('a timer that fires late keeps the grid; one more than an interval late skips the checks it missed', () => {
    const lateness = (k: number) => (k === 3 ? 2500 : k % 2 ? 40 : 0);
    const { starts } = simulate(10_000, 1000, 20_000, () => 5, lateness);
    // Every check was due on a whole second: lateness shifts one check, never the ones after it.
    starts.forEach((t, k) => expect((t - lateness(k)) % 1000).toBe(0));
    // No burst after the long delay: the two checks it missed are skipped, not run back to back.
    expect(gaps(starts).every((g) => g >= 960)).toBe(true);
    expect(starts.length).toBeLessThanOrEqual(8);
  });

  it('a service off the grid converges onto it, checks spreading out by at most 25% meanwhile', () => {
    const { starts } = simulate(10_377, 1000, 20_000, () => 50);
    expect(gaps(starts).every((g) => g >= 950 && g <= 1250)).toBe(true);
    expect(starts.slice(-3).map((t) => t % 1000)).toEqual([0, 0, 0]);
  });
});
