// The health verdict machine: Aurora's HealthCheckConfig arithmetic as a pure function.
//
//   m = ceil(initial_interval_secs / interval_secs)            grace checks
//   n = m + max_consecutive_failures + min_consecutive_successes   start deadline
//
// - A failure among the first m checks is ignored (recorded 'ignored'; it does not count toward
//   consecutive failures, but it does break a success streak, as in Aurora).
// - min_consecutive_successes successes in a row make the instance RUNNING (grace successes count).
// - Not RUNNING within n checks -> 'failed-start'. We declare it as soon as it can no longer be
//   reached (a failure that leaves fewer than min_consecutive_successes checks before n), which for
//   Aurora's own cases is the same check where Aurora gives up (its fail-fast / max-failures rules).
// - Once RUNNING, more than max_consecutive_failures failures in a row -> 'unhealthy'.
// - A snoozed check is not performed and passes: it counts as a success (resets the failure run) and
//   is recorded as 'snoozed'. (Aurora's checker also passes it; we additionally let it count toward
//   the success streak so that snoozing a warming instance can never fail its start.)
//
// No timers, no clock: the caller supplies `at` with every check.
import {
  HEALTH_HISTORY_CAP,
  type HealthCheckRecord,
  type HealthCheckSettings,
  type HealthPhase,
  type HealthStatus,
  type HealthView,
} from '../../../shared/types';
import type { HealthCheckConfig } from '../config/types';

export type HealthVerdict = 'none' | 'became-healthy' | 'unhealthy' | 'failed-start';

export interface HealthMachineState {
  /** False when the service has no health check: every check is a no-op and status is 'none'. */
  enabled: boolean;
  grace_checks: number; // m
  start_deadline_checks: number; // n
  max_consecutive_failures: number;
  min_consecutive_successes: number;
  checks: number;
  consecutive_successes: number;
  consecutive_failures: number;
  running: boolean;
  /** Set once a terminal verdict was reached; later checks are ignored until a fresh initialHealth. */
  failed: 'unhealthy' | 'failed-start' | null;
  history: HealthCheckRecord[]; // newest last, capped
  last_detail?: string;
}

export interface HealthCheckInput {
  at: number; // epoch ms
  result: 'success' | 'failure' | 'snoozed';
  detail?: string;
}

/** m = ceil(initial / interval). A non-positive interval cannot space checks, so it grants no grace. */
export function graceChecks(initialIntervalSecs: number, intervalSecs: number): number {
  if (!(intervalSecs > 0) || !(initialIntervalSecs > 0)) return 0;
  // Drop float noise before ceil: 1.1 / 0.1 is 11.000000000000002, which must give 11, not 12.
  return Math.ceil(Number((initialIntervalSecs / intervalSecs).toFixed(9)));
}

export function initialHealth(cfg: HealthCheckConfig | null): HealthMachineState {
  const m = cfg ? graceChecks(cfg.initial_interval_secs, cfg.interval_secs) : 0;
  const maxFail = cfg ? Math.max(0, Math.floor(cfg.max_consecutive_failures)) : 0;
  const minSucc = cfg ? Math.max(0, Math.floor(cfg.min_consecutive_successes)) : 0;
  return {
    enabled: cfg !== null,
    grace_checks: m,
    start_deadline_checks: m + maxFail + minSucc,
    max_consecutive_failures: maxFail,
    min_consecutive_successes: minSucc,
    checks: 0,
    consecutive_successes: 0,
    consecutive_failures: 0,
    running: false,
    failed: null,
    history: [],
  };
}

function pushHistory(history: HealthCheckRecord[], record: HealthCheckRecord): HealthCheckRecord[] {
  const next = history.length >= HEALTH_HISTORY_CAP ? history.slice(history.length - HEALTH_HISTORY_CAP + 1) : history.slice();
  next.push(record);
  return next;
}

function record(at: number, result: HealthCheckRecord['result'], detail: string | undefined): HealthCheckRecord {
  return detail === undefined ? { at, result } : { at, result, detail };
}

export function applyCheck(
  state: HealthMachineState,
  input: HealthCheckInput,
): { state: HealthMachineState; verdict: HealthVerdict } {
  if (!state.enabled || state.failed) return { state, verdict: 'none' };

  const k = state.checks + 1;
  const base = {
    ...state,
    checks: k,
    last_detail: input.detail ?? state.last_detail,
  };

  if (input.result === 'success' || input.result === 'snoozed') {
    const successes = state.consecutive_successes + 1;
    const becameHealthy = !state.running && successes >= state.min_consecutive_successes;
    const next: HealthMachineState = {
      ...base,
      consecutive_successes: successes,
      consecutive_failures: 0,
      running: state.running || becameHealthy,
      history: pushHistory(state.history, record(input.at, input.result, input.detail)),
    };
    if (becameHealthy) return { state: next, verdict: 'became-healthy' };
    return deadline(next);
  }

  // A failure always breaks the success streak, even an ignored one (Aurora resets it first).
  if (k <= state.grace_checks) {
    const next: HealthMachineState = {
      ...base,
      consecutive_successes: 0,
      history: pushHistory(state.history, record(input.at, 'ignored', input.detail)),
    };
    return deadline(next);
  }

  const failures = state.consecutive_failures + 1;
  const next: HealthMachineState = {
    ...base,
    consecutive_successes: 0,
    consecutive_failures: failures,
    history: pushHistory(state.history, record(input.at, 'failure', input.detail)),
  };
  if (state.running) {
    if (failures > state.max_consecutive_failures) return { state: { ...next, failed: 'unhealthy' }, verdict: 'unhealthy' };
    return { state: next, verdict: 'none' };
  }
  // Not running yet: the streak restarts from zero, so RUNNING needs min_consecutive_successes more checks.
  if (state.start_deadline_checks - k < state.min_consecutive_successes) {
    return { state: { ...next, failed: 'failed-start' }, verdict: 'failed-start' };
  }
  return deadline(next);
}

/** The n-check start deadline (a backstop; the failure branch usually decides earlier). */
function deadline(state: HealthMachineState): { state: HealthMachineState; verdict: HealthVerdict } {
  if (!state.running && state.checks >= state.start_deadline_checks) {
    return { state: { ...state, failed: 'failed-start' }, verdict: 'failed-start' };
  }
  return { state, verdict: 'none' };
}

export function healthPhase(state: HealthMachineState): HealthPhase {
  if (!state.enabled) return 'idle';
  if (state.failed) return 'failed';
  if (state.running) return 'running';
  if (state.checks === 0) return 'idle';
  // 'grace' while the checks done so far all fell in the first m (their failures were forgiven).
  return state.checks <= state.grace_checks ? 'grace' : 'warming';
}

export function healthStatus(state: HealthMachineState, snoozed: boolean): HealthStatus {
  if (!state.enabled) return 'none';
  if (snoozed) return 'snoozed';
  if (state.failed) return 'unhealthy';
  // As in Aurora, a RUNNING instance stays healthy while its failure run is within the limit.
  if (state.running) return 'healthy';
  return 'unknown';
}

export function healthView(state: HealthMachineState, settings: HealthCheckSettings | null, snoozed: boolean): HealthView {
  const view: HealthView = {
    status: healthStatus(state, snoozed),
    consecutive_successes: state.consecutive_successes,
    consecutive_failures: state.consecutive_failures,
    checks: state.checks,
    phase: healthPhase(state),
    grace_checks: state.grace_checks,
    start_deadline_checks: state.start_deadline_checks,
    history: state.history.slice(-HEALTH_HISTORY_CAP),
    settings,
  };
  if (state.last_detail !== undefined) view.last_detail = state.last_detail;
  return view;
}

export function healthSettings(cfg: HealthCheckConfig, target: string): HealthCheckSettings {
  return {
    kind: cfg.probe.kind,
    target,
    initial_interval_secs: cfg.initial_interval_secs,
    interval_secs: cfg.interval_secs,
    max_consecutive_failures: cfg.max_consecutive_failures,
    min_consecutive_successes: cfg.min_consecutive_successes,
    timeout_secs: cfg.timeout_secs,
  };
}
