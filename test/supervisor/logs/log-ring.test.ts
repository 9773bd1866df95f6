import { describe, expect, it } from 'vitest';
import { LINE_RECORD_BYTES, LogBudget, LogRing, lineBytes } from '../../../electron/supervisor/logs/log-ring';
import { LineSplitter } from '../../../electron/supervisor/logs/line-splitter';
import type { LogLine } from '../../../shared/types';
import { retainedBy } from '../../helpers/retained';

const line = (seq: number): LogLine => ({ seq, service: 'api', run: 1, ts: 1000 + seq, stream: 'stdout', text: `line ${seq}` });
const seqs = (lines: LogLine[]) => lines.map((l) => l.seq);

describe('LogRing', () => {
  it('keeps lines in order until full', () => {
    const ring = new LogRing(4);
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    for (let i = 1; i <= 3; i++) ring.push(line(i));
    expect(ring.size).toBe(3);
    expect(seqs(ring.toArray())).toEqual([1, 2, 3]);
    expect(seqs(ring.tail(2))).toEqual([2, 3]);
  });

  it('drops the oldest lines once full, across many wrap-arounds', () => {
    const ring = new LogRing(5);
    for (let i = 1; i <= 23; i++) ring.push(line(i));
    expect(ring.size).toBe(5);
    expect(seqs(ring.toArray())).toEqual([19, 20, 21, 22, 23]);
    expect(seqs(ring.tail(3))).toEqual([21, 22, 23]);
    expect(seqs(ring.tail(99))).toEqual([19, 20, 21, 22, 23]);
    expect(ring.tail(0)).toEqual([]);
    expect(ring.tail(-2)).toEqual([]);
  });

  it('pushAll keeps the same lines as pushing one by one, for batches smaller and larger than the ring', () => {
    for (const sizes of [[2, 1, 3], [7], [3, 9, 1], [5, 5]]) {
      const batched = new LogRing(5);
      const single = new LogRing(5);
      let seq = 0;
      for (const n of sizes) {
        const batch = Array.from({ length: n }, () => line(++seq));
        batched.pushAll(batch);
        for (const l of batch) single.push(l);
      }
      expect(seqs(batched.toArray()), String(sizes)).toEqual(seqs(single.toArray()));
      expect(batched.size).toBe(Math.min(5, seq));
    }
  });

  it('clear() empties it and it works again afterwards', () => {
    const ring = new LogRing(3);
    for (let i = 1; i <= 7; i++) ring.push(line(i));
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(line(8));
    expect(seqs(ring.toArray())).toEqual([8]);
  });

  it('capacity 1 keeps the newest line', () => {
    const ring = new LogRing(1);
    ring.push(line(1));
    ring.push(line(2));
    expect(seqs(ring.toArray())).toEqual([2]);
  });

  it('holds slots only for the lines it has, not for its whole capacity', () => {
    const before = process.memoryUsage().heapUsed;
    // Preallocated, these would be 100 x 1M slots (800 MB); quiet services are the common case.
    const rings = Array.from({ length: 100 }, () => new LogRing(1_000_000));
    for (const ring of rings) for (let i = 0; i < 10; i++) ring.push(line(i));
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    expect(seqs(rings[99]!.toArray())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a nonsensical capacity', () => {
    expect(() => new LogRing(0)).toThrow(RangeError);
  });

  it('pushes a million lines quickly (no shifting)', () => {
    const ring = new LogRing(10_000);
    const l = line(0);
    const t0 = performance.now();
    for (let i = 0; i < 1_000_000; i++) ring.push(l);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(ring.size).toBe(10_000);
  });
});

const sized = (seq: number, chars: number, service = 'api'): LogLine => ({ seq, service, run: 1, ts: 1000 + seq, stream: 'stdout', text: String(seq).padEnd(chars, 'x') });
const KB = 1024;

describe('LogRing: bounded by bytes', () => {
  it('counts a line as its text (1 byte a character for ASCII, 2 otherwise) plus its record', () => {
    expect(lineBytes('hello', true)).toBe(5 + LINE_RECORD_BYTES);
    expect(lineBytes('héllo', false)).toBe(10 + LINE_RECORD_BYTES);
    const ring = new LogRing(10);
    ring.pushAll([sized(1, 100), sized(2, 50)], true);
    expect(ring.bytes).toBe(150 + 2 * LINE_RECORD_BYTES);
    ring.clear();
    expect(ring.bytes).toBe(0);
  });

  it('drops the oldest lines past its bytes, however few lines it holds, and always keeps the newest', () => {
    const ring = new LogRing(5000, 10 * KB);
    for (let i = 1; i <= 100; i++) ring.pushAll([sized(i, KB)], true);
    // 1 kB + 120 B a line: 8 fit in 10 kB.
    expect(seqs(ring.toArray())).toEqual([93, 94, 95, 96, 97, 98, 99, 100]);
    expect(ring.bytes).toBeLessThanOrEqual(10 * KB);
    // A line bigger than the whole cap is still shown (alone).
    ring.pushAll([sized(101, 64 * KB)], true);
    expect(seqs(ring.toArray())).toEqual([101]);
    ring.pushAll([sized(102, 10)], true);
    expect(seqs(ring.toArray())).toEqual([102]);
  });

  it('drops by bytes while still filling and after wrapping, with the same lines as a plain list would keep', () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647), seed % n);
    for (const capacity of [3, 7, 50]) {
      const ring = new LogRing(capacity, 4 * KB);
      const model: LogLine[] = [];
      for (let i = 1; i <= 400; i++) {
        const batch = Array.from({ length: 1 + rand(4) }, (_, k) => sized(i * 10 + k, rand(2000)));
        ring.pushAll(batch, true);
        model.push(...batch);
        while (model.length > capacity) model.shift();
        const bytes = () => model.reduce((n, l) => n + lineBytes(l.text, true), 0);
        while (model.length > 1 && bytes() > 4 * KB) model.shift();
        expect(seqs(ring.toArray()), `capacity ${capacity}, step ${i}`).toEqual(seqs(model));
        expect(ring.bytes).toBe(bytes());
      }
    }
  });

  it('takes new limits on reload, keeping the newest lines that fit', () => {
    const ring = new LogRing(10);
    for (let i = 1; i <= 10; i++) ring.push(sized(i, 100));
    ring.setLimits(4, Number.POSITIVE_INFINITY);
    expect(seqs(ring.toArray())).toEqual([7, 8, 9, 10]);
    ring.setLimits(4, 2 * (200 + LINE_RECORD_BYTES));
    expect(seqs(ring.toArray())).toEqual([9, 10]);
    ring.setLimits(20, Number.POSITIVE_INFINITY);
    for (let i = 11; i <= 30; i++) ring.push(sized(i, 100));
    expect(ring.size).toBe(20);
    expect(seqs(ring.tail(2))).toEqual([29, 30]);
  });

  it('counts what the lines really keep alive on the heap: within a fifth for ASCII, never much less for other text', () => {
    // Latin-1 text is one byte a character in V8 too (counted as two: the ring then holds less, never more).
    for (const [chars, text, low] of [[100, 'ascii', 0.8], [2000, 'ascii', 0.8], [100, 'ünïcödé', 0.5], [300, '日本語', 0.8]] as const) {
      const fill = (): LogRing => {
        const ring = new LogRing(20_000);
        const splitter = new LineSplitter(64 * KB);
        const base = text.padEnd(chars, text === 'ascii' ? '.' : text.at(-1));
        for (let seq = 0; ring.size < 20_000; ) {
          let chunk = '';
          for (let i = 0; i < 50; i++) chunk += `${seq + i} ${base}\n`;
          const batch = splitter.push(Buffer.from(chunk, 'utf8'));
          ring.pushAll(batch.texts.map((t) => ({ seq: ++seq, service: 'api', run: 1, ts: Date.now(), stream: 'stdout' as const, text: t })), batch.ascii);
        }
        return ring;
      };
      fill(); // once unmeasured: the code it compiles is not what the lines keep
      const { bytes, kept } = retainedBy(fill);
      expect(bytes / kept.bytes, `${chars} x ${text}`).toBeGreaterThan(low);
      expect(bytes / kept.bytes, `${chars} x ${text}`).toBeLessThan(1.2);
    }
  });
});

describe('LogBudget: one byte bound for every ring of a stack', () => {
  it('keeps the total under its limit; a flooding ring pays for itself, a quiet one keeps its lines', () => {
    const budget = new LogBudget(100 * KB);
    const quiet = new LogRing(5000, 1024 * KB, budget);
    const chatty = new LogRing(5000, 1024 * KB, budget);
    for (let i = 1; i <= 20; i++) quiet.pushAll([sized(i, 500, 'quiet')], true);
    const quietBefore = seqs(quiet.toArray());
    for (let i = 1000; i < 3000; i++) {
      chatty.pushAll([sized(i, 1000, 'chatty')], true);
      expect(budget.bytes).toBeLessThanOrEqual(100 * KB);
    }
    expect(seqs(quiet.toArray())).toEqual(quietBefore);
    expect(chatty.size).toBeGreaterThan(50);
    expect(budget.bytes).toBe(quiet.bytes + chatty.bytes);
  });

  it('when a small ring grows the total over, the largest gives way; a lower limit applies at once', () => {
    const budget = new LogBudget(50 * KB);
    const big = new LogRing(5000, 1024 * KB, budget);
    const small = new LogRing(5000, 1024 * KB, budget);
    for (let i = 1; i <= 45; i++) big.pushAll([sized(i, KB)], true);
    const bigBefore = big.size;
    for (let i = 100; i < 110; i++) small.pushAll([sized(i, KB)], true);
    expect(small.size).toBe(10);
    expect(big.size).toBeLessThan(bigBefore);
    expect(budget.bytes).toBeLessThanOrEqual(50 * KB);
    budget.setLimit(10 * KB);
    expect(budget.bytes).toBeLessThanOrEqual(10 * KB);
    expect(big.size + small.size).toBeGreaterThan(0);
    budget.remove(small);
    expect(budget.bytes).toBe(big.bytes);
  });

  it('never drops a ring\'s newest line, even with every ring over', () => {
    const budget = new LogBudget(KB);
    const rings = Array.from({ length: 3 }, () => new LogRing(100, 1024 * KB, budget));
    rings.forEach((r, k) => r.pushAll([sized(k * 10 + 1, KB), sized(k * 10 + 2, KB)], true));
    expect(rings.map((r) => seqs(r.toArray()))).toEqual([[2], [12], [22]]);
  });
});
