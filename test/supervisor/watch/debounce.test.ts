import { describe, expect, it } from 'vitest';
import { PathDebouncer } from '../../../electron/supervisor/watch/debounce';
import { fakeClock } from '../../helpers/fake-clock';

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
