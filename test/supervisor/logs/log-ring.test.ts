import { describe, expect, it } from 'vitest';
import { LogRing } from '../../../electron/supervisor/logs/log-ring';
import type { LogLine } from '../../../shared/types';

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
