import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LINES_PER_WRITE, LineOutput } from '../../electron/cli/output';

/** A real Writable whose writes complete only when the test says so (a stalled terminal). */
function stalledWritable(highWaterMark: number): { stream: Writable; received: string[]; release: () => void } {
  const received: string[] = [];
  const waiting: Array<() => void> = [];
  let open = false;
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _enc, callback) {
      received.push(chunk);
      if (open) callback();
      else waiting.push(callback);
    },
  });
  return {
    stream,
    received,
    release: () => {
      open = true;
      for (const callback of waiting.splice(0)) callback();
    },
  };
}

describe('LineOutput', () => {
  it('writes straight through while the stream keeps up', async () => {
    const target = stalledWritable(1 << 20);
    target.release();
    const out = new LineOutput(target.stream);
    out.line('a');
    out.line('b');
    await out.flushed();
    expect(target.received.join('')).toBe('a\nb\n');
  });

  it('queues up to its bound when the stream stalls, drops the rest and says how many', async () => {
    const target = stalledWritable(8);
    const out = new LineOutput(target.stream, 20, (count) => `dropped ${count}`);
    out.line('first line'); // fills the stream's buffer: write() returns false
    for (let i = 0; i < 10; i++) out.line(`line ${i}`); // 7 bytes each: two fit in the 20-byte queue
    expect(target.received).toEqual(['first line\n']); // nothing else reached the stream yet
    const flushed = out.flushed();
    target.release();
    await flushed;
    expect(target.received.join('')).toBe('first line\nline 0\nline 1\ndropped 8\n');
    expect(out.droppedTotal).toBe(8);
    // Flowing again: lines go straight through.
    out.line('after');
    await out.flushed();
    expect(target.received.at(-1)).toBe('after\n');
  });

  it('writes a batch of lines as one chunk, in order with single lines', async () => {
    const target = stalledWritable(1 << 20);
    target.release();
    const out = new LineOutput(target.stream);
    out.line('start');
    out.lines([1, 2, 3], (n) => `line ${n}`);
    out.lines([], (n: number) => `never ${n}`);
    await out.flushed();
    expect(target.received).toEqual(['start\n', 'line 1\nline 2\nline 3\n']);
  });

  it('writes a long list in slices of LINES_PER_WRITE lines', async () => {
    const target = stalledWritable(1 << 30);
    target.release();
    const out = new LineOutput(target.stream, 1 << 30);
    const n = 2 * LINES_PER_WRITE + 5;
    out.lines(Array.from({ length: n }, (_, i) => i), String);
    await out.flushed();
    expect(target.received.map((c) => c.split('\n').length - 1)).toEqual([LINES_PER_WRITE, LINES_PER_WRITE, 5]);
    expect(target.received.join('')).toBe(Array.from({ length: n }, (_, i) => `${i}\n`).join(''));
  });

  it('drops a batch that finds the queue full without formatting it, and counts its lines', async () => {
    const target = stalledWritable(8);
    const out = new LineOutput(target.stream, 20, (count) => `dropped ${count}`);
    const formatted: number[] = [];
    const format = (n: number): string => {
      formatted.push(n);
      return `#${n}`;
    };
    out.line('first line'); // the stream's buffer is full: write() returns false
    out.lines([1, 2, 3, 4, 5, 6], format); // 18 bytes: queued
    out.lines([7, 8], format); // would pass the 20-byte bound: dropped (formatted, as the queue was not yet full)
    out.line('x'); // 2 bytes: fits exactly, and the queue is full
    out.lines([9, 10, 11], format); // the queue is full: dropped unformatted
    expect(formatted).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const flushed = out.flushed();
    target.release();
    await flushed;
    expect(target.received.join('')).toBe('first line\n#1\n#2\n#3\n#4\n#5\n#6\nx\ndropped 5\n');
    expect(out.droppedTotal).toBe(5);
  });
});
