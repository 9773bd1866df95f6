// Small timing helpers for the main process, with injectable timers so tests drive them with a fake clock.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttled {
  /** Request a run: runs now if idle, else once at the end of the current window. */
  (): void;
  /** Drop a pending trailing run. */
  cancel(): void;
}

/**
 * Leading + trailing throttle: a burst of supervisor events rebuilds the tray menu at most once per
 * `ms`, and the last state of a burst is always shown.
 */
export function throttle(fn: () => void, ms: number, timers: Timers = realTimers): Throttled {
  let timer: unknown = null;
  let pending = false;
  const open = () => {
    timer = timers.setTimeout(() => {
      timer = null;
      if (pending) {
        pending = false;
        fn();
        open();
      }
    }, ms);
  };
  const run = (() => {
    if (timer !== null) {
      pending = true;
      return;
    }
    fn();
    open();
  }) as Throttled;
  run.cancel = () => {
    pending = false;
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return run;
}

export type ShutdownOutcome = { outcome: 'closed' } | { outcome: 'timeout' } | { outcome: 'error'; error: unknown };

/**
 * Await `close` but never longer than `ms`: Quit must end the app even if a service refuses to die
 * (the supervisor SIGKILLs after shutdown_wait_secs; this is the last-resort bound on top of that).
 */
export async function closeWithTimeout(close: () => Promise<void>, ms: number, timers: Timers = realTimers): Promise<ShutdownOutcome> {
  let handle: unknown;
  const timeout = new Promise<ShutdownOutcome>((resolve) => {
    handle = timers.setTimeout(() => resolve({ outcome: 'timeout' }), ms);
  });
  const closing = (async (): Promise<ShutdownOutcome> => {
    try {
      await close();
      return { outcome: 'closed' };
    } catch (error) {
      return { outcome: 'error', error };
    }
  })();
  try {
    return await Promise.race([closing, timeout]);
  } finally {
    timers.clearTimeout(handle);
  }
}
