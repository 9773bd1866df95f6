// One shared 1 s ticker for every uptime, countdown and "snoozed 12m" in the UI. Components read the
// supervisor's clock: local time plus the offset measured when the snapshot arrived, so a skewed
// laptop clock (or a remote `hearth serve`) does not show negative uptimes.
import { useSyncExternalStore } from 'react';

export interface Ticker {
  subscribe(listener: () => void): () => void;
  now(): number;
}

export function createTicker(periodMs = 1000, localNow: () => number = Date.now): Ticker {
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let current = localNow();
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        current = localNow();
        timer = setInterval(() => {
          current = localNow();
          for (const l of [...listeners]) l();
        }, periodMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    // Cached between ticks: useSyncExternalStore needs a stable snapshot.
    now: () => (timer ? current : localNow()),
  };
}

export const defaultTicker = createTicker();

/** Local wall-clock ms, re-rendering once a second. */
export function useTick(ticker: Ticker = defaultTicker): number {
  return useSyncExternalStore(ticker.subscribe, ticker.now);
}
