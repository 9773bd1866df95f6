import { describe, expect, it } from 'vitest';
import {
  backoffFor,
  decideOnExit,
  initialRestartState,
  onStableRun,
  type ExitInput,
  type RestartDecision,
  type RestartState,
} from '../../electron/supervisor/restart-policy';

const SERVICE: Omit<ExitInput, 'now'> = {
  exitCode: 1,
  signal: null,
  ranMs: 100,
  service: true,
  maxFailures: 1,
  minDurationSecs: 5,
  maxBackoffSecs: 60,
  stopRequested: false,
};
const JOB: Omit<ExitInput, 'now'> = { ...SERVICE, service: false, maxFailures: 3 };

/** Feeds exits through the policy with a fake clock: each exit happens `ranMs` after the previous restart. */
function simulate(base: Omit<ExitInput, 'now'>, exits: Partial<ExitInput>[]): { decisions: RestartDecision[]; states: RestartState[] } {
  let state = initialRestartState();
  let clock = 1_000_000;
  const decisions: RestartDecision[] = [];
  const states: RestartState[] = [];
  for (const exit of exits) {
    const input = { ...base, ...exit };
    clock += input.ranMs;
    const out = decideOnExit(state, { ...input, now: clock });
    state = out.state;
    decisions.push(out.decision);
    states.push(state);
    if (out.decision.action === 'restart') clock = out.decision.at;
  }
  return { decisions, states };
}

const delays = (decisions: RestartDecision[]) => decisions.map((d) => (d.action === 'restart' ? d.delayMs : d.action));

describe('crash-loop backoff', () => {
  it('doubles from 1 s up to the cap while the process keeps dying young', () => {
    const { decisions, states } = simulate(SERVICE, Array(9).fill({ ranMs: 200 }));
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(states.map((s) => s.flaps)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(states.at(-1)?.backoffMs).toBe(60000);
  });

  it('a start that failed (the program is found nowhere) always backs off, even with min_duration 0', () => {
    const { decisions, states } = simulate({ ...SERVICE, minDurationSecs: 0, exitCode: 127 }, [{ ranMs: 0, startFailed: true }, { ranMs: 0, startFailed: true }, { ranMs: 0 }]);
    expect(delays(decisions)).toEqual([1000, 2000, 0]);
    expect(states.map((s) => s.flaps)).toEqual([1, 2, 0]);
  });

  it('honours a smaller cap', () => {
    const { decisions } = simulate({ ...SERVICE, maxBackoffSecs: 5 }, Array(5).fill({ ranMs: 0 }));
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('restarts immediately after a stable run, and the wait starts over from 1 s', () => {
    const { decisions, states } = simulate(SERVICE, [
      { ranMs: 100 },
      { ranMs: 100 },
      { ranMs: 100 },
      { ranMs: 5000 }, // stayed up min_duration: stable
      { ranMs: 100 },
      { ranMs: 100 },
      { ranMs: 3_600_000 },
    ]);
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 0, 1000, 2000, 0]);
    expect(states[3]).toMatchObject({ flaps: 0, backoffMs: 0 });
  });

  it('the first restart of a long-running service has no delay, and `at` is the exit time', () => {
    const out = decideOnExit(initialRestartState(), { ...SERVICE, ranMs: 60_000, now: 5_000 });
    expect(out.decision).toEqual({ action: 'restart', delayMs: 0, at: 5_000 });
  });

  it('onStableRun clears the backoff but keeps the failure count', () => {
    const flapping: RestartState = { failures: 4, flaps: 3, backoffMs: 4000 };
    expect(onStableRun(flapping)).toEqual({ failures: 4, flaps: 0, backoffMs: 0 });
    const calm = initialRestartState();
    expect(onStableRun(calm)).toBe(calm);
    // After onStableRun, a short run waits 1 s again, not 8 s.
    const out = decideOnExit(onStableRun(flapping), { ...SERVICE, ranMs: 10, now: 0 });
    expect(out.decision).toEqual({ action: 'restart', delayMs: 1000, at: 1000 });
  });

  it('min_duration 0 never counts as flapping', () => {
    expect(delays(simulate({ ...SERVICE, minDurationSecs: 0 }, Array(4).fill({ ranMs: 0 })).decisions)).toEqual([0, 0, 0, 0]);
  });

  it('backoffFor never overflows', () => {
    expect(backoffFor(0, 60)).toBe(0);
    expect(backoffFor(5000, 60)).toBe(60000);
  });
});

describe('services', () => {
  it.each([
    ['exit 0', { exitCode: 0, signal: null }],
    ['exit 1', { exitCode: 1, signal: null }],
    ['killed by a signal', { exitCode: null, signal: 'SIGKILL' }],
  ])('always restart (%s), however many times', (_label, exit) => {
    const { decisions } = simulate({ ...SERVICE, maxFailures: 1 }, Array(10).fill({ ...exit, ranMs: 10_000 }));
    expect(decisions.every((d) => d.action === 'restart')).toBe(true);
  });

  it('count failed exits but not clean ones', () => {
    const { states } = simulate(SERVICE, [{ exitCode: 0 }, { exitCode: 2 }, { exitCode: null, signal: 'SIGTERM' }]);
    expect(states.map((s) => s.failures)).toEqual([0, 1, 2]);
  });
});

describe('jobs', () => {
  it('exit 0 finishes', () => {
    const { decisions } = simulate(JOB, [{ exitCode: 0 }]);
    expect(decisions).toEqual([{ action: 'finish' }]);
  });

  it('max_failures 3 means three runs in all: fail, restart, fail, restart, fail -> FAILED', () => {
    const { decisions, states } = simulate(JOB, [{ exitCode: 1 }, { exitCode: 1 }, { exitCode: 1 }]);
    expect(decisions.map((d) => d.action)).toEqual(['restart', 'restart', 'fail']);
    expect(states.map((s) => s.failures)).toEqual([1, 2, 3]);
  });

  it('a job killed by a signal is a failure', () => {
    const { decisions } = simulate({ ...JOB, maxFailures: 1 }, [{ exitCode: null, signal: 'SIGSEGV' }]);
    expect(decisions).toEqual([{ action: 'fail' }]);
  });

  it('failing then succeeding finishes', () => {
    const { decisions } = simulate(JOB, [{ exitCode: 1 }, { exitCode: 0 }]);
    expect(decisions.map((d) => d.action)).toEqual(['restart', 'finish']);
  });

  it('job restarts back off like services when they flap', () => {
    const { decisions } = simulate({ ...JOB, maxFailures: 5 }, Array(5).fill({ exitCode: 1, ranMs: 10 }));
    expect(delays(decisions)).toEqual([1000, 2000, 4000, 8000, 'fail']);
  });

  it('max_failures 0 retries without limit', () => {
    const { decisions } = simulate({ ...JOB, maxFailures: 0 }, Array(50).fill({ exitCode: 1, ranMs: 10_000 }));
    expect(decisions.every((d) => d.action === 'restart')).toBe(true);
  });
});

describe('stop requested', () => {
  it.each([
    ['service, exit 0', { ...SERVICE, exitCode: 0 }],
    ['service, SIGTERM', { ...SERVICE, exitCode: null, signal: 'SIGTERM' }],
    ['job, exit 1', { ...JOB, exitCode: 1 }],
    ['job, exit 0', { ...JOB, exitCode: 0 }],
  ])('wins over every other rule (%s) and resets the episode', (_label, base) => {
    const out = decideOnExit({ failures: 2, flaps: 3, backoffMs: 4000 }, { ...base, stopRequested: true, now: 0 });
    expect(out.decision).toEqual({ action: 'stop' });
    expect(out.state).toEqual(initialRestartState());
  });
});
