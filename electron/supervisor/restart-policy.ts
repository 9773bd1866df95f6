// What happens when a process exits: Aurora/Thermos restart semantics plus crash-loop backoff. Pure.
//
// - A service (`service: true`) always restarts, exit 0 or not, unless a stop was requested.
// - A job restarts only after a failed exit (non-zero code or a signal), until it has failed
//   `max_failures` times in all (max_failures: 3 -> three runs), then it is FAILED. Exit 0 -> FINISHED.
//   max_failures <= 0 means unlimited, as Thermos' `max_failures = 0`.
// - A run shorter than `min_duration` seconds is a flap. Consecutive flaps wait 1 s, 2 s, 4 s, …
//   up to `max_backoff_secs`. A run that lasted min_duration clears the backoff, and the first
//   restart after such a stable run is immediate: restart latency matters more than anything when
//   a healthy service dies once.
export interface RestartState {
  /** Failed exits so far (for a job, counted against max_failures). */
  failures: number;
  /** Consecutive runs shorter than min_duration. */
  flaps: number;
  /** The wait before the next restart, 0 when not flapping. */
  backoffMs: number;
}

export interface ExitInput {
  exitCode: number | null;
  signal: string | null;
  /** How long the process ran, in ms. */
  ranMs: number;
  service: boolean;
  maxFailures: number;
  minDurationSecs: number;
  maxBackoffSecs: number;
  stopRequested: boolean;
  /** The process never ran (its program could not be found or started): always a flap, so it backs off. */
  startFailed?: boolean;
  /** Epoch ms of the exit (the caller's clock). */
  now: number;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; at: number }
  | { action: 'finish' }
  | { action: 'fail' }
  | { action: 'stop' };

export const BACKOFF_BASE_MS = 1000;

export function initialRestartState(): RestartState {
  return { failures: 0, flaps: 0, backoffMs: 0 };
}

/** The wait after `flaps` consecutive short runs: 0, then 1 s doubling up to the cap. */
export function backoffFor(flaps: number, maxBackoffSecs: number): number {
  if (flaps <= 0) return 0;
  const cap = Math.max(0, maxBackoffSecs * 1000);
  // Exponent clamped so a long crash loop cannot overflow to Infinity before the cap applies.
  return Math.min(cap, BACKOFF_BASE_MS * 2 ** Math.min(flaps - 1, 40));
}

/** The process has now stayed up min_duration: it is not flapping, the next restart is immediate. */
export function onStableRun(state: RestartState): RestartState {
  if (state.flaps === 0 && state.backoffMs === 0) return state;
  return { ...state, flaps: 0, backoffMs: 0 };
}

export function exitFailed(exitCode: number | null, signal: string | null): boolean {
  return signal !== null || exitCode !== 0;
}

export function decideOnExit(state: RestartState, input: ExitInput): { state: RestartState; decision: RestartDecision } {
  // An explicit stop ends the episode: the next start begins with a fresh failure budget.
  if (input.stopRequested) return { state: initialRestartState(), decision: { action: 'stop' } };

  const failed = exitFailed(input.exitCode, input.signal);
  const failures = state.failures + (failed ? 1 : 0);
  const flapped = input.startFailed === true || input.ranMs < input.minDurationSecs * 1000;
  const flaps = flapped ? state.flaps + 1 : 0;

  if (!input.service) {
    if (!failed) return { state: { failures, flaps: 0, backoffMs: 0 }, decision: { action: 'finish' } };
    if (input.maxFailures > 0 && failures >= input.maxFailures) {
      return { state: { failures, flaps: 0, backoffMs: 0 }, decision: { action: 'fail' } };
    }
  }

  const delayMs = backoffFor(flaps, input.maxBackoffSecs);
  return {
    state: { failures, flaps, backoffMs: delayMs },
    decision: { action: 'restart', delayMs, at: input.now + delayMs },
  };
}
