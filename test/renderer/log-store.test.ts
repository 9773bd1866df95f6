import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSY_INTERVAL_MS, frameSchedule, LogStore, type LogStoreOptions } from '../../renderer/src/logs/log-store';
import { MatchIndex } from '../../renderer/src/logs/match-index';
import { Deque } from '../../renderer/src/logs/deque';
import { collapseCarriageReturns } from '../../renderer/src/logs/carriage-return';
import { displayText, plainText } from '../../renderer/src/logs/entry-text';
import type { LogLine } from '../../shared/types';

let seq = 0;
const mk = (service: string, text: string, extra: Partial<LogLine> = {}): LogLine => ({
  seq: ++seq, service, run: 1, ts: 1000 + seq, stream: 'stdout', text, ...extra,
});
const texts = (store: LogStore, key: string | null) => {
  const v = store.view(key);
  return Array.from({ length: v.length }, (_, i) => {
    const e = v.at(i);
    return e && plainText(e);
  });
};
// Notifications and the chunks of a big batch at once: these tests look at what the store keeps.
const sync = { schedule: (run: () => void) => run(), defer: (run: () => void) => run() };

describe('Deque', () => {
  it('pushes at the back, shifts from the front, grows past its initial size and keeps order', () => {
    const d = new Deque<number>();
    for (let i = 0; i < 40; i++) d.push(i);
    for (let i = 0; i < 30; i++) expect(d.shift()).toBe(i);
    for (let i = 40; i < 70; i++) d.push(i); // wraps around, then grows
    expect(d.length).toBe(40);
    expect([d.at(0), d.at(39), d.at(40), d.at(-1)]).toEqual([30, 69, undefined, undefined]);
    d.retain((n) => n % 2 === 0);
    expect(Array.from({ length: d.length }, (_, i) => d.at(i))).toEqual(Array.from({ length: 20 }, (_, i) => 30 + 2 * i));
    d.clear();
    expect([d.length, d.shift()]).toEqual([0, undefined]);
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

  // One budget for everything (the page holds at most totalCap lines, whatever the number of services),
  // which replaced a separate 50k ring per service (10 services = 500k lines). Fairness rule now: a
  // service whose lines the shared ring dropped still keeps its last `floor` lines in its own view,
  // floor = min(serviceFloor, reserve / services), and those kept lines count against the budget.
  it('holds at most totalCap lines in all; a quiet service keeps its last lines despite a chatty neighbour', () => {
    const store = new LogStore({ ...sync, totalCap: 6, serviceFloor: 2, reserve: 4 });
    store.append([mk('quiet', 'q0'), mk('quiet', 'q1'), mk('quiet', 'q2')]);
    store.append(Array.from({ length: 10 }, (_, i) => mk('chatty', `c${i}`)));
    // The ring gave up the room the quiet service's kept lines take: 6 - 2.
    expect(texts(store, null)).toEqual(['c6', 'c7', 'c8', 'c9']);
    expect(texts(store, 'chatty')).toEqual(['c6', 'c7', 'c8', 'c9']);
    expect(texts(store, 'quiet')).toEqual(['q1', 'q2']);
    expect(store.size).toBe(6);
    expect(store.view(null).appended).toBe(13);
    expect(store.view('quiet').appended).toBe(3);
    // New quiet lines replace its kept old ones; the total stays within the budget.
    store.append([mk('quiet', 'q3')]);
    expect(texts(store, 'quiet')).toEqual(['q2', 'q3']);
    expect(store.size).toBeLessThanOrEqual(6);
  });

  it('shares the reserve between services: more services, a lower floor each, never over totalCap', () => {
    const store = new LogStore({ ...sync, totalCap: 100, serviceFloor: 10, reserve: 20 });
    for (let s = 0; s < 4; s++) store.append(Array.from({ length: 8 }, (_, i) => mk(`quiet-${s}`, `q${s}.${i}`)));
    store.append(Array.from({ length: 500 }, (_, i) => mk('chatty', `c${i}`)));
    // 5 services share 20 reserved lines: each quiet one keeps its last 4.
    for (let s = 0; s < 4; s++) expect(texts(store, `quiet-${s}`)).toEqual([4, 5, 6, 7].map((i) => `q${s}.${i}`));
    expect(store.size).toBe(100);
    expect(store.view(null).length).toBe(84);
    expect(store.view('chatty').at(83)?.text).toBe('c499');
    // A service that has enough lines in the ring keeps nothing extra.
    expect(store.view('chatty').length).toBe(84);
  });

  it('keeps a single service up to the full budget', () => {
    const store = new LogStore({ ...sync, totalCap: 1000 });
    store.append(Array.from({ length: 3000 }, (_, i) => mk('api', `l${i}`)));
    expect(store.view(null).length).toBe(1000);
    expect(store.view('api').length).toBe(1000);
    expect(store.view('api').at(0)?.text).toBe('l2000');
    expect(store.view('api').indexOfSeq((store.view('api').at(500)?.seq ?? 0))).toBe(500);
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
    const [a, b] = [v.at(0), v.at(1)];
    if (!a || !b) throw new Error('lines missing');
    expect(displayText(a)).toBe('downloading 100%');
    expect(displayText(b)).toBe('\u001b[32mok\u001b[0m done');
    expect(plainText(b)).toBe('ok done');
  });

  it('clears one service (also from the all view) or everything; reset replaces', () => {
    const store = new LogStore(sync);
    store.append([mk('api', 'a'), mk('db', 'd'), mk('api', 'b')]);
    store.clear('api');
    expect(texts(store, null)).toEqual(['d']);
    expect(texts(store, 'api')).toEqual([]);
    // The other services' views still point at the right lines after the ring was compacted.
    store.append([mk('db', 'e')]);
    expect(texts(store, 'db')).toEqual(['d', 'e']);
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

describe('LogStore: big batches in chunks', () => {
  /** A store whose deferred chunks wait in `tasks` until run by hand, one task at a time. */
  const chunked = (extra: LogStoreOptions = {}) => {
    const tasks: Array<() => void> = [];
    const store = new LogStore({ ...sync, chunkLines: 1000, defer: (run) => tasks.push(run), ...extra });
    const runTask = (): boolean => {
      const t = tasks.shift();
      t?.();
      return t !== undefined;
    };
    return { store, tasks, runTask };
  };
  const services = ['api', 'db', 'web', 'worker', 'cache'];
  const flood = (n: number): LogLine[] => Array.from({ length: n }, (_, i) => mk(services[i % 5] as string, i % 9 === 0 ? `GET /items/9${i}` : `GET /other/${i}`));

  it('applies a 50,000-line batch at most chunkLines per task, in order, nothing lost, the search counting every match', () => {
    const { store, tasks, runTask } = chunked({ totalCap: 100_000 });
    const index = new MatchIndex(store.view(null), 'items/9');
    const perTask: number[] = [];
    let last = 0;
    store.onAppend(() => {
      index.scan();
      perTask.push(store.view(null).length - last);
      last = store.view(null).length;
    });
    const batch = flood(50_000);
    store.append(batch);
    // The first chunk at once, the rest queued: one deferred task at a time.
    expect(store.view(null).length).toBe(1000);
    expect(store.queued).toBe(49_000);
    expect(tasks).toHaveLength(1);
    let ran = 0;
    while (runTask()) ran++;
    expect(ran).toBe(49);
    expect(Math.max(...perTask)).toBe(1000);
    expect(perTask.reduce((a, b) => a + b, 0)).toBe(50_000);
    expect(store.queued).toBe(0);
    const all = store.view(null);
    expect(all.length).toBe(50_000);
    expect(Array.from({ length: all.length }, (_, i) => all.at(i)?.seq)).toEqual(batch.map((l) => l.seq));
    expect(store.view('db').length).toBe(10_000);
    expect(index.update().length).toBe(batch.filter((l) => l.text.includes('items/9')).length);
  });

  it('keeps a batch that arrives while one is being applied behind it', () => {
    const { store, runTask } = chunked();
    const big = flood(2500);
    const next = [mk('api', 'after')];
    store.append(big);
    store.append(next);
    // Not applied ahead of the 1,500 lines still queued.
    expect(texts(store, null)).not.toContain('after');
    expect(store.queued).toBe(1501);
    while (runTask());
    expect(store.view(null).length).toBe(2501);
    expect(store.view(null).at(2500)?.text).toBe('after');
  });

  it('drops queued lines that a clear or a new snapshot supersedes', () => {
    const { store, runTask } = chunked();
    store.append(flood(3000));
    expect(store.view('db').length).toBe(200); // of the first chunk
    store.clear('db'); // the 400 db lines still queued go with them
    while (runTask());
    expect(store.view('db').length).toBe(0);
    expect(store.view(null).length).toBe(3000 - 600);
    store.append(flood(3000));
    store.reset([mk('api', 'fresh')]);
    while (runTask());
    expect(texts(store, null)).toEqual(['fresh']);
    expect(store.queued).toBe(0);
  });
});

describe('MatchIndex', () => {
  it('finds matches incrementally, drops evicted ones and rebuilds after a clear', () => {
    const store = new LogStore({ ...sync, totalCap: 4 });
    const view = store.view(null);
    const index = new MatchIndex(view, 'err');
    store.append([mk('api', 'ERROR one'), mk('api', 'fine'), mk('api', 'error two')]);
    expect(index.update().map(plainText)).toEqual(['ERROR one', 'error two']);
    const before = index.update();
    expect(index.update()).toBe(before); // unchanged -> same array (memo-friendly)
    store.append([mk('api', 'ok'), mk('api', 'err three')]); // evicts "ERROR one"
    expect(index.update().map(plainText)).toEqual(['error two', 'err three']);
    store.clear('api');
    expect(index.update()).toEqual([]);
    store.append([mk('db', 'stderr: boom')]);
    expect(index.update().map(plainText)).toEqual(['stderr: boom']);
  });

  it('scans each batch as it is appended (outside renders), and an update hands out what was found', () => {
    const store = new LogStore({ ...sync, totalCap: 5 });
    const index = new MatchIndex(store.view(null), 'hit');
    const scanned: number[] = [];
    const stop = store.onAppend(() => {
      index.scan();
      scanned.push(store.view(null).length);
    });
    const before = index.update();
    store.append([mk('api', 'hit 1'), mk('api', 'miss')]);
    store.append([mk('api', '\u001b[31mhi\u001b[0mt 2')]); // matches once the colours are gone
    expect(scanned).toEqual([2, 3]);
    // Scanned already: a plain text with no match was never looked at again, and the list is new.
    const after = index.update();
    expect(after).not.toBe(before);
    expect(after.map(plainText)).toEqual(['hit 1', 'hit 2']);
    // Found between two updates and evicted before the second: not handed out.
    store.append([mk('api', 'hit 3'), ...Array.from({ length: 5 }, () => mk('api', 'x'))]);
    expect(index.update().map(plainText)).toEqual([]);
    store.append([mk('api', 'hit 4')]);
    expect(index.update().map(plainText)).toEqual(['hit 4']);
    stop();
    store.append([mk('api', 'hit 5')]);
    expect(scanned).toHaveLength(4);
  });
});

const batch = (n: number): LogLine[] => Array.from({ length: n }, (_, i) => mk('api', `l${i}`));

describe('frameSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs on the next frame, and no sooner than BUSY_INTERVAL_MS after the last run when busy', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame', 'performance'] });
    const schedule = frameSchedule(() => performance.now());
    const runs: number[] = [];
    const stamp = () => runs.push(performance.now());
    schedule(stamp, false);
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(1);
    const first = runs[0] as number;
    // Quiet: the next notification is on the next frame.
    schedule(stamp, false);
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(2);
    // Busy: wait until BUSY_INTERVAL_MS after the previous run, then a frame.
    const second = runs[1] as number;
    schedule(stamp, true);
    vi.advanceTimersByTime(BUSY_INTERVAL_MS - 30);
    expect(runs).toHaveLength(2);
    vi.advanceTimersByTime(60);
    expect(runs).toHaveLength(3);
    expect((runs[2] as number) - second).toBeGreaterThanOrEqual(BUSY_INTERVAL_MS);
    expect(second - first).toBeLessThan(BUSY_INTERVAL_MS);
  });

  it('a flooded store notifies about 10 times a second, a trickle every frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame', 'performance'] });
    const store = new LogStore();
    let notified = 0;
    store.subscribe(() => notified++);
    // 1 s of 20,000 lines/s in 10 ms batches.
    for (let t = 0; t < 100; t++) {
      store.append(batch(200));
      vi.advanceTimersByTime(10);
    }
    expect(notified).toBeGreaterThanOrEqual(8);
    expect(notified).toBeLessThanOrEqual(12);
    vi.advanceTimersByTime(500);
    notified = 0;
    // 1 s of one line every 50 ms: each gets its own frame.
    for (let t = 0; t < 20; t++) {
      store.append(batch(1));
      vi.advanceTimersByTime(50);
    }
    expect(notified).toBe(20);
  });
});
