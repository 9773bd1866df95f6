import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeWithTimeout, throttle } from '../../electron/main/timing';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once, then at most once per window with the trailing call kept', () => {
    const fn = vi.fn();
    const t = throttle(fn, 250);
    t();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i += 1) t();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(249);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    // quiet window: nothing more
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    t();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('cancel drops the pending trailing run', () => {
    const fn = vi.fn();
    const t = throttle(fn, 100);
    t();
    t();
    t.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    t();
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe('closeWithTimeout', () => {
  it('reports a clean close', async () => {
    await expect(closeWithTimeout(async () => {}, 1000)).resolves.toEqual({ outcome: 'closed' });
  });

  it('reports a failing close instead of throwing', async () => {
    const error = new Error('boom');
    await expect(closeWithTimeout(() => Promise.reject(error), 1000)).resolves.toEqual({ outcome: 'error', error });
  });

  it('gives up after the timeout when close hangs', async () => {
    vi.useFakeTimers();
    try {
      const result = closeWithTimeout(() => new Promise<void>(() => {}), 5000);
      await vi.advanceTimersByTimeAsync(5000);
      await expect(result).resolves.toEqual({ outcome: 'timeout' });
    } finally {
      vi.useRealTimers();
    }
  });
});
