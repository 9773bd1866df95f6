// The wall-clock grid that periodic work is phase-locked to: the multiples of an interval. Each
// service checks every interval_secs, but 50 services started at slightly different moments would
// each wake the supervisor at its own instant: 50 wake-ups a second, each paying for cold caches and a
// trip through the event loop (on a small VM that costs more than the HTTP request itself: measured,
// 50 staggered checks/s cost ~2.5x the same 50 checks sent together). So health checks and the resource
// sample run on this grid: every service with the same interval checks in the same instant, and their
// answers and the status flush that follows share one wake-up.
//
// Aurora's spacing is kept within bounds: a check is never more than ALIGN_EARLY of an interval
// early, and never more than MAX_SHIFT of an interval late. A service off the grid (just started)
// moves onto it by at most MAX_SHIFT per check, so checks only ever spread out while converging
// (grace periods get longer, never shorter). Once on the grid the spacing is exactly the interval,
// whatever a check's own duration: the next check is counted from when the last was due
// (health/check-schedule.ts), never from when its probe answered.

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

/**
 * Milliseconds from `now` to the next multiple of `intervalMs`, skipping one that is (nearly) now: a
 * timer fired a hair before the grid point by this clock must not run the work twice in a row.
 */
export function delayToGrid(now: number, intervalMs: number): number {
  const delay = intervalMs - (((now % intervalMs) + intervalMs) % intervalMs);
  return delay < intervalMs * ALIGN_EARLY ? delay + intervalMs : delay;
}

/**
 * Runs `fn` at every grid point of `intervalMs` until the returned function is called, which also
 * stops a run in progress from re-arming. The timer never keeps the process alive (unref).
 */
export function everyGridPoint(intervalMs: number, now: () => number, fn: () => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    timer = setTimeout(() => {
      try {
        fn();
      } finally {
        if (!stopped) arm();
      }
    }, delayToGrid(now(), intervalMs));
    timer.unref();
  };
  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
