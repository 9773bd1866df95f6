import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../electron/supervisor/clock';
import { PathDebouncer } from '../../../electron/supervisor/watch/debounce';

/** A clock that only moves when told to. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { cancel: () => void (t.live = false) };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.live && t.at <= now);
      timers = timers.filter((t) => t.live && t.at > now);
      for (const t of due) t.fn();
    },
  };
}

describe('PathDebouncer', () => {
  it('fires once, after the quiet period following the last change, with each path once', () => {
    const clock = fakeClock();
    const fired: string[][] = [];
    const d = new PathDebouncer(clock, 300, (p) => fired.push(p));
    d.push('a');
    clock.advance(200);
    d.push('b');
    clock.advance(200);
    d.push('a');
    clock.advance(299);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([['a', 'b']]);
    d.push('c');
    clock.advance(300);
    expect(fired).toEqual([['a', 'b'], ['c']]);
  });

  it('forgets pending paths when cancelled', () => {
    const clock = fakeClock();
    const fired: string[][] = [];
    const d = new PathDebouncer(clock, 100, (p) => fired.push(p));
    d.push('a');
    d.cancel();
    clock.advance(1000);
    expect(fired).toEqual([]);
  });
});
