import { describe, expect, it } from 'vitest';
import { ALIGN_EARLY, MAX_SHIFT, delayToGrid, nextCheckDelay } from '../../electron/supervisor/grid';

/** The times of `count` checks of one service, each scheduled when the previous one finished. */
function checkTimes(start: number, intervalMs: number, count: number, checkMs = 3): number[] {
  const times: number[] = [];
  let now = start;
  for (let i = 0; i < count; i++) {
    now += nextCheckDelay(now, intervalMs);
    times.push(now);
    now += checkMs; // the check itself takes a moment before the next one is scheduled
  }
  return times;
}

describe('nextCheckDelay', () => {
  it('keeps a service already on the grid exactly one interval apart, whatever its checks take', () => {
    expect(checkTimes(10_000, 1000, 5, 3)).toEqual([11_000, 12_000, 13_000, 14_000, 15_000]);
    expect(checkTimes(10_000, 1000, 3, 40)).toEqual([11_000, 12_000, 13_000]);
  });

  it('brings services started at different moments onto the same instants', () => {
    const starts = [10_003, 10_250, 10_499, 10_731, 10_999];
    // Within a few checks every one of them checks on the whole seconds, the same instants.
    for (const s of starts) {
      const [a, b] = checkTimes(s, 1000, 4).slice(-2);
      expect([a! % 1000, b! - a!]).toEqual([0, 1000]);
    }
  });

  it('never spaces checks less than (1 - ALIGN_EARLY) or more than (1 + MAX_SHIFT) intervals', () => {
    for (const interval of [100, 500, 1000, 1500, 10_000]) {
      for (let now = 1_000_000; now < 1_000_000 + 2 * interval; now += interval / 37) {
        const d = nextCheckDelay(now, interval);
        expect(d).toBeGreaterThanOrEqual(interval * (1 - ALIGN_EARLY) - 1e-6);
        expect(d).toBeLessThanOrEqual(interval * (1 + MAX_SHIFT) + 1e-6);
      }
    }
  });

  it('uses the interval itself as the grid, so each interval has its own phase-locked instants', () => {
    expect(checkTimes(1_000_120, 500, 4).slice(-1)[0]! % 500).toBe(0);
    expect(checkTimes(1_000_120, 10_000, 6).slice(-1)[0]! % 10_000).toBe(0);
  });

  it('falls back to the plain interval for nonsense input', () => {
    expect(nextCheckDelay(Number.NaN, 1000)).toBe(1000);
    expect(nextCheckDelay(5, 0)).toBe(0);
    expect(nextCheckDelay(5, -3)).toBe(0);
  });
});

describe('delayToGrid', () => {
  it('waits until the next multiple of the interval', () => {
    expect(delayToGrid(10_250, 1000)).toBe(750);
    expect(delayToGrid(10_999, 2000)).toBe(1001);
    expect(delayToGrid(10_001, 1000)).toBe(999);
  });

  it('skips a grid point that is (nearly) now, so one point is never run twice', () => {
    expect(delayToGrid(10_000, 1000)).toBe(1000);
    expect(delayToGrid(9_990, 1000)).toBe(1010);
  });
});
