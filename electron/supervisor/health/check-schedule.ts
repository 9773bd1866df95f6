// When one service's health checks run, as a pure function of (state, event). Checks are due exactly
// interval_secs apart, counted from when each was DUE, never from when its probe answered: a check that
// takes a second does not push the next one a second later (it used to: interval 2 s with a 1 s timeout
// gave failing checks 3.4-3.5 s apart). At most one check runs at a time: one still running when the
// next is due is abandoned and counted as a timeout, and the next starts on time. A timer that fires
// more than an interval late (a suspended laptop, a blocked event loop) skips the checks it missed
// rather than running them in a burst. The first due time lands on the shared grid (../grid.ts).
import { ALIGN_EARLY, nextCheckDelay } from '../grid';

export interface ScheduleState {
  /** When the next check is due (epoch ms). */
  due: number;
  /** A check was started and its result is not in yet. */
  inFlight: boolean;
}

export type ScheduleEvent =
  /** The timer for `due` fired, at `now`. */
  | { type: 'due'; now: number }
  /** The running check's result came in. */
  | { type: 'result' };

export interface ScheduleStep {
  state: ScheduleState;
  /** The check still running must be abandoned and counted as a timeout (before the new one starts). */
  abandon: boolean;
  /** A check starts now. */
  start: boolean;
}

/** The first check of a run started at `now`: on the grid, about one interval away. */
export function firstCheck(now: number, intervalMs: number): ScheduleState {
  return { due: now + nextCheckDelay(now, intervalMs), inFlight: false };
}

export function stepSchedule(state: ScheduleState, event: ScheduleEvent, intervalMs: number): ScheduleStep {
  if (event.type === 'result') return { state: { ...state, inFlight: false }, abandon: false, start: false };
  // From the due time, so the spacing is exact; converging onto the grid at most MAX_SHIFT per check.
  let due = state.due + nextCheckDelay(state.due, intervalMs);
  // Missed while late: back onto the grid, at the first grid point about an interval after now.
  if (due <= event.now) due = Math.ceil((event.now + intervalMs * (1 - ALIGN_EARLY)) / intervalMs) * intervalMs;
  return { state: { due, inFlight: true }, abandon: state.inFlight, start: true };
}
