// When the next health check runs. Each service checks every interval_secs, but 50 services started
// at slightly different moments would each wake the supervisor at its own instant: 50 wake-ups a
// second, each paying for cold caches and a trip through the event loop (on a small VM that costs
// more than the HTTP request itself: measured, 50 staggered checks/s cost ~2.5x the same 50 checks
// sent together). So checks are phase-locked to a shared grid, the multiples of the interval on the
// wall clock: every service with the same interval checks in the same instant, and their answers
// and the status flush that follows share one wake-up.
//
// Aurora's spacing is kept within bounds: a check is never more than ALIGN_EARLY of an interval
// early, and never more than MAX_SHIFT of an interval late. A service off the grid (just started)
// moves onto it by at most MAX_SHIFT per check, so checks only ever spread out while converging
// (grace periods get longer, never shorter). Once on the grid the spacing is exactly the interval,
// whatever a check's own duration.

/** Fraction of an interval a check may run early to land on a grid point (absorbs timer and check latency). */
export const ALIGN_EARLY = 0.05;
/** Fraction of an interval a check may be delayed to move towards the grid. */
export const MAX_SHIFT = 0.25;

/** Milliseconds from `now` until the next check of a service checked every `intervalMs`. */
export function nextCheckDelay(now: number, intervalMs: number): number {
  if (!(intervalMs > 0) || !Number.isFinite(now)) return Math.max(0, intervalMs) || 0;
  const due = now + intervalMs;
  // The first grid point not earlier than `due` minus the allowed earliness.
  const grid = Math.ceil((due - intervalMs * ALIGN_EARLY) / intervalMs) * intervalMs;
  const late = grid - due;
  return late <= intervalMs * MAX_SHIFT ? grid - now : intervalMs * (1 + MAX_SHIFT);
}
