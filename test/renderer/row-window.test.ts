import { describe, expect, it } from 'vitest';
import { LogStore } from '../../renderer/src/logs/log-store';
import { FOLLOW_OVERSCAN, OVERSCAN, rowWindow, type ScrollPlace } from '../../renderer/src/logs/row-window';
import type { LogLine } from '../../shared/types';

let seq = 0;
const mk = (n: number): LogLine[] =>
  Array.from({ length: n }, () => ({ seq: ++seq, service: 'api', run: 1, ts: seq, stream: 'stdout' as const, text: `l${seq}` }));
const sync = { schedule: (run: () => void) => run() };

describe('rowWindow', () => {
  it('renders the tail while following, with a small overscan', () => {
    const store = new LogStore({ ...sync, totalCap: 1000 });
    store.append(mk(500));
    const view = store.view(null);
    const place: ScrollPlace = { top: 0, dropped: 0, view, epoch: view.epoch, filtered: false };
    // 200 px / 20 px = 10 visible rows.
    expect(rowWindow({ count: 500, view, filtered: false }, true, place, 200, 20)).toEqual({ first: 500 - 10 - FOLLOW_OVERSCAN, last: 500 });
    expect(rowWindow({ count: 500, view, filtered: false }, false, { ...place, top: 2000 }, 200, 20)).toEqual({
      first: 100 - OVERSCAN,
      last: 100 + 11 + OVERSCAN,
    });
  });

  it('when paused, renders where the view will be once the lines the ring dropped are compensated', () => {
    const store = new LogStore({ ...sync, totalCap: 1000 });
    store.append(mk(1000));
    const view = store.view(null);
    // The user scrolled to row 600 while nothing had been dropped yet…
    const place: ScrollPlace = { top: 600 * 20, dropped: 0, view, epoch: view.epoch, filtered: false };
    store.append(mk(300)); // …then 300 lines left the front: the same lines are now rows 300+.
    const { first } = rowWindow({ count: view.length, view, filtered: false }, false, place, 200, 20);
    expect(first).toBe(300 - OVERSCAN);
    // A place taken in another row space (a filter, another view) is not shifted.
    expect(rowWindow({ count: view.length, view, filtered: false }, false, { ...place, filtered: true }, 200, 20).first).toBe(600 - OVERSCAN);
  });
});
