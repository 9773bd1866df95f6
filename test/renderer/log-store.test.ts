import { describe, expect, it } from 'vitest';
import { LogStore } from '../../renderer/src/logs/log-store';
import { MatchIndex } from '../../renderer/src/logs/match-index';
import { Ring } from '../../renderer/src/logs/ring';
import { collapseCarriageReturns } from '../../renderer/src/logs/carriage-return';
import type { LogLine } from '../../shared/types';

let seq = 0;
const mk = (service: string, text: string, extra: Partial<LogLine> = {}): LogLine => ({
  seq: ++seq, service, run: 1, ts: 1000 + seq, stream: 'stdout', text, ...extra,
});
const texts = (store: LogStore, key: string | null) => {
  const v = store.view(key);
  return Array.from({ length: v.length }, (_, i) => v.at(i)?.plain);
};
const sync = { schedule: (run: () => void) => run() };

describe('Ring', () => {
  it('keeps the newest `capacity` items in order and reports evictions', () => {
    const r = new Ring<number>(3);
    expect([1, 2, 3].map((n) => r.push(n))).toEqual([undefined, undefined, undefined]);
    expect(r.push(4)).toBe(1);
    expect(r.push(5)).toBe(2);
    expect([0, 1, 2].map((i) => r.at(i))).toEqual([3, 4, 5]);
    expect(r.at(3)).toBeUndefined();
    r.retain((n) => n !== 4);
    expect([r.length, r.at(0), r.at(1)]).toEqual([2, 3, 5]);
    expect(r.lowerBound((n) => n >= 4)).toBe(1);
  });
});

describe('collapseCarriageReturns', () => {
  it('keeps only the text after the last \\r, ignoring trailing ones', () => {
    expect(collapseCarriageReturns('10%\r50%\r100% done')).toBe('100% done');
    expect(collapseCarriageReturns('windows line\r')).toBe('windows line');
    expect(collapseCarriageReturns('a\rb\r\r')).toBe('b');
    expect(collapseCarriageReturns('plain')).toBe('plain');
  });
});

describe('LogStore', () => {
  it('appends batches into the all view and per-service views, bumping only the affected versions', () => {
    const store = new LogStore(sync);
    let notified = 0;
    store.subscribe(() => notified++);
    const apiBefore = store.versionOf('api');
    const dbBefore = store.versionOf('db');
    store.append([mk('api', 'a1'), mk('api', 'a2')]);
    expect(notified).toBe(1); // one batch, one notification
    expect(texts(store, null)).toEqual(['a1', 'a2']);
    expect(texts(store, 'api')).toEqual(['a1', 'a2']);
    expect(store.versionOf('api')).toBeGreaterThan(apiBefore);
    expect(store.versionOf('db')).toBe(dbBefore);
  });

  it('coalesces notifications through the scheduler', () => {
    const queued: Array<() => void> = [];
    const store = new LogStore({ schedule: (run) => queued.push(run) });
    let notified = 0;
    store.subscribe(() => notified++);
    for (let i = 0; i < 50; i++) store.append([mk('api', `l${i}`)]);
    expect(queued).toHaveLength(1);
    queued[0]?.();
    expect(notified).toBe(1);
    expect(store.view('api').length).toBe(50);
  });

  it('caps the total and each service, dropping the oldest lines first', () => {
    const store = new LogStore({ ...sync, totalCap: 5, serviceCap: 3 });
    store.append([mk('quiet', 'q1')]);
    store.append(Array.from({ length: 6 }, (_, i) => mk('chatty', `c${i}`)));
    expect(texts(store, null)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(texts(store, 'chatty')).toEqual(['c3', 'c4', 'c5']);
    // The quiet service keeps its line in its own view.
    expect(texts(store, 'quiet')).toEqual(['q1']);
    expect(store.view(null).appended).toBe(7);
  });

  it('drops duplicate or stale seqs (snapshot tail overlapping a logs event)', () => {
    const store = new LogStore(sync);
    const a = mk('api', 'one');
    const b = mk('api', 'two');
    store.append([a, b]);
    store.append([b, mk('api', 'three')]);
    expect(texts(store, 'api')).toEqual(['one', 'two', 'three']);
  });

  it('collapses \\r progress and strips ANSI for the plain text', () => {
    const store = new LogStore(sync);
    store.append([mk('api', 'downloading 10%\rdownloading 100%'), mk('api', '\u001b[32mok\u001b[0m done')]);
    const v = store.view('api');
    expect(v.at(0)?.text).toBe('downloading 100%');
    expect(v.at(1)?.text).toBe('\u001b[32mok\u001b[0m done');
    expect(v.at(1)?.plain).toBe('ok done');
  });

  it('clears one service (also from the all view) or everything; reset replaces', () => {
    const store = new LogStore(sync);
    store.append([mk('api', 'a'), mk('db', 'd'), mk('api', 'b')]);
    store.clear('api');
    expect(texts(store, null)).toEqual(['d']);
    expect(texts(store, 'api')).toEqual([]);
    store.clear(null);
    expect(texts(store, null)).toEqual([]);
    store.append([mk('db', 'x')]);
    store.reset([{ seq: 1, service: 'db', run: 1, ts: 1, stream: 'stdout', text: 'fresh' }]);
    expect(texts(store, null)).toEqual(['fresh']);
  });

  it('finds the first line of a run and a line by seq', () => {
    const store = new LogStore(sync);
    const run1 = mk('api', 'r1', { run: 1 });
    store.append([run1, mk('db', 'x', { run: 3 }), mk('api', 'r2 first', { run: 2 }), mk('api', 'r2 second', { run: 2 })]);
    expect(store.view('api').firstIndexOfRun('api', 2)).toBe(1);
    expect(store.view(null).firstIndexOfRun('api', 2)).toBe(2);
    expect(store.view(null).firstIndexOfRun('api', 7)).toBe(-1);
    expect(store.view(null).indexOfSeq(run1.seq)).toBe(0);
    expect(store.view(null).indexOfSeq(-5)).toBe(-1);
  });
});

describe('MatchIndex', () => {
  it('finds matches incrementally, drops evicted ones and rebuilds after a clear', () => {
    const store = new LogStore({ ...sync, totalCap: 4 });
    const view = store.view(null);
    const index = new MatchIndex(view, 'err');
    store.append([mk('api', 'ERROR one'), mk('api', 'fine'), mk('api', 'error two')]);
    expect(index.update().map((e) => e.plain)).toEqual(['ERROR one', 'error two']);
    const before = index.update();
    expect(index.update()).toBe(before); // unchanged -> same array (memo-friendly)
    store.append([mk('api', 'ok'), mk('api', 'err three')]); // evicts "ERROR one"
    expect(index.update().map((e) => e.plain)).toEqual(['error two', 'err three']);
    store.clear('api');
    expect(index.update()).toEqual([]);
    store.append([mk('db', 'stderr: boom')]);
    expect(index.update().map((e) => e.plain)).toEqual(['stderr: boom']);
  });
});
