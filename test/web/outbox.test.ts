// Batching, coalescing and backpressure decisions of one client's outbox, with plain values.
import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/contract';
import type { LogLine } from '../../shared/types';
import { createOutbox, drain, enqueue } from '../../electron/web/outbox';
import type { OutboxLimits } from '../../electron/web/outbox';
import { HarnessSupervisor, runningStatus } from '../helpers/harness-supervisor';

const LIMITS: OutboxLimits = { maxBatchLines: 100, maxBufferedBytes: 1000 };
let seq = 0;
function lines(service: string, n: number): LogLine[] {
  return Array.from({ length: n }, () => ({ seq: ++seq, service, run: 1, ts: seq, stream: 'stdout' as const, text: `l${seq}` }));
}
const logLines = (frames: ServerFrame[]): LogLine[] =>
  frames.flatMap((f) => (f.type === 'event' && f.event === 'logs' ? (f.payload as { lines: LogLine[] }).lines : []));
const names = (frames: ServerFrame[]): string[] => frames.map((f) => (f.type === 'event' ? f.event : f.type));

describe('outbox', () => {
  it('sends a snapshot at once and lets it supersede everything queued before it', () => {
    const box = createOutbox();
    enqueue(box, 'service', runningStatus('api'), LIMITS);
    enqueue(box, 'logs', { lines: lines('api', 3) }, LIMITS);
    const snapshot = new HarnessSupervisor().snapshot();
    expect(enqueue(box, 'snapshot', snapshot, LIMITS)).toBe('now');
    enqueue(box, 'logs', { lines: lines('api', 2) }, LIMITS);
    const { frames } = drain(box, 0, LIMITS);
    expect(names(frames)).toEqual(['snapshot', 'logs']);
    expect(logLines(frames)).toHaveLength(2);
  });

  it('sends a snapshot with a long log tail as the snapshot and logs frames of at most maxBatchLines, in order', () => {
    const box = createOutbox();
    const tail = lines('api', 250);
    enqueue(box, 'snapshot', { ...new HarnessSupervisor().snapshot(), logs: tail }, LIMITS);
    enqueue(box, 'logs', { lines: lines('api', 5) }, LIMITS);
    const { frames } = drain(box, 0, LIMITS);
    expect(names(frames)).toEqual(['snapshot', 'logs', 'logs', 'logs']);
    const first = frames[0]!;
    const carried = first.type === 'event' ? (first.payload as { logs: LogLine[] }).logs : [];
    expect(carried).toEqual(tail.slice(0, 100));
    expect(frames.slice(1).map((f) => logLines([f]).length)).toEqual([100, 50, 5]);
    expect([...carried, ...logLines(frames)].map((l) => l.seq)).toEqual([...tail, ...logLines(frames).slice(-5)].map((l) => l.seq));
  });

  it('keeps only the latest status per service, and a removal wins over earlier updates', () => {
    const box = createOutbox();
    expect(enqueue(box, 'service', runningStatus('api', { restarts: 1 }), LIMITS)).toBe('later');
    enqueue(box, 'service', runningStatus('db', { restarts: 1 }), LIMITS);
    enqueue(box, 'service', runningStatus('api', { restarts: 2 }), LIMITS);
    enqueue(box, 'service', runningStatus('db', { restarts: 5 }), LIMITS);
    enqueue(box, 'service_removed', { name: 'db' }, LIMITS);
    enqueue(box, 'service', runningStatus('web'), LIMITS);
    const { frames } = drain(box, 0, LIMITS);
    expect(frames).toEqual([
      { type: 'event', event: 'service', payload: runningStatus('api', { restarts: 2 }) },
      { type: 'event', event: 'service_removed', payload: { name: 'db' } },
      { type: 'event', event: 'service', payload: runningStatus('web') },
    ]);
    expect(drain(box, 0, LIMITS).frames).toEqual([]);
  });

  it('merges log events into frames of at most maxBatchLines, asking for a flush when one is full', () => {
    const box = createOutbox();
    const all: LogLine[] = [];
    let urgent = 0;
    for (let i = 0; i < 25; i++) {
      const batch = lines(i % 2 ? 'api' : 'db', 10);
      all.push(...batch);
      if (enqueue(box, 'logs', { lines: batch }, LIMITS) === 'now') urgent += 1;
    }
    expect(urgent).toBe(16); // from the 10th event on, the queue holds >= 100 lines
    const { frames } = drain(box, 0, LIMITS);
    expect(frames.map((f) => (f.type === 'event' ? (f.payload as { lines: LogLine[] }).lines.length : 0))).toEqual([100, 100, 50]);
    expect(logLines(frames)).toEqual(all);
  });

  it('sends an unfinished line (a prompt) in order with the lines around it, and drops it with them while the client is behind', () => {
    const box = createOutbox();
    const prompt = { service: 'dbg', stream: 'stdout' as const, run: 1, offset: 0, text: '(Pdb) ' };
    enqueue(box, 'logs', { lines: lines('dbg', 2) }, LIMITS);
    expect(enqueue(box, 'partial_line', prompt, LIMITS)).toBe('later');
    enqueue(box, 'logs', { lines: lines('dbg', 1) }, LIMITS);
    const { frames } = drain(box, 0, LIMITS);
    expect(names(frames)).toEqual(['logs', 'partial_line', 'logs']);
    expect(frames[1]).toEqual({ type: 'event', event: 'partial_line', payload: prompt });

    enqueue(box, 'partial_line', prompt, LIMITS);
    expect(names(drain(box, LIMITS.maxBufferedBytes + 1, LIMITS).frames)).toEqual([]);
  });

  it('keeps a clear between the lines it separates', () => {
    const box = createOutbox();
    const before = lines('api', 2);
    const after = lines('api', 1);
    enqueue(box, 'logs', { lines: before }, LIMITS);
    enqueue(box, 'logs_cleared', { service: 'api' }, LIMITS);
    enqueue(box, 'logs', { lines: after }, LIMITS);
    const { frames } = drain(box, 0, LIMITS);
    expect(frames).toEqual([
      { type: 'event', event: 'logs', payload: { lines: before } },
      { type: 'event', event: 'logs_cleared', payload: { service: 'api' } },
      { type: 'event', event: 'logs', payload: { lines: after } },
    ]);
  });

  it('drops log lines while the client is behind, never state, and owes a gap marker per service', () => {
    const box = createOutbox();
    const dropped = [...lines('api', 5), ...lines('db', 2), ...lines('api', 1)];
    enqueue(box, 'logs', { lines: dropped }, LIMITS);
    enqueue(box, 'service', runningStatus('api'), LIMITS);
    const slow = drain(box, LIMITS.maxBufferedBytes + 1, LIMITS);
    expect(names(slow.frames)).toEqual(['service']);
    expect(slow.pendingGap).toBe(true);

    // Still behind and nothing new: nothing to send, marker still owed.
    expect(drain(box, LIMITS.maxBufferedBytes + 1, LIMITS)).toEqual({ frames: [], pendingGap: true });

    const fresh = lines('api', 2);
    enqueue(box, 'logs', { lines: fresh }, LIMITS);
    const caughtUp = drain(box, 0, LIMITS);
    expect(caughtUp.pendingGap).toBe(false);
    const got = logLines(caughtUp.frames);
    expect(got).toEqual([
      { seq: dropped[6]!.seq, service: 'db', run: 1, ts: dropped[6]!.ts, stream: 'system', text: '2 lines skipped (client too slow)' },
      { seq: dropped[7]!.seq, service: 'api', run: 1, ts: dropped[7]!.ts, stream: 'system', text: '6 lines skipped (client too slow)' },
      ...fresh,
    ]);
    // The stream the client sees stays in seq order.
    expect(got.map((l) => l.seq)).toEqual([...got.map((l) => l.seq)].sort((a, b) => a - b));
  });

  it('sends the gap marker on its own once the client catches up', () => {
    const box = createOutbox();
    enqueue(box, 'logs', { lines: lines('api', 1) }, LIMITS);
    drain(box, LIMITS.maxBufferedBytes + 1, LIMITS);
    const { frames, pendingGap } = drain(box, 0, LIMITS);
    expect(pendingGap).toBe(false);
    expect(logLines(frames).map((l) => l.text)).toEqual(['1 line skipped (client too slow)']);
  });

  it('forgets skipped lines that a clear or a snapshot makes moot', () => {
    const box = createOutbox();
    enqueue(box, 'logs', { lines: [...lines('api', 3), ...lines('db', 3)] }, LIMITS);
    drain(box, LIMITS.maxBufferedBytes + 1, LIMITS);
    enqueue(box, 'logs_cleared', { service: 'api' }, LIMITS);
    const cleared = drain(box, 0, LIMITS);
    expect(names(cleared.frames)).toEqual(['logs_cleared', 'logs']);
    expect(logLines(cleared.frames).map((l) => `${l.service}: ${l.text}`)).toEqual(['db: 3 lines skipped (client too slow)']);

    enqueue(box, 'logs', { lines: lines('api', 3) }, LIMITS);
    drain(box, LIMITS.maxBufferedBytes + 1, LIMITS);
    enqueue(box, 'snapshot', new HarnessSupervisor().snapshot(), LIMITS);
    const resync = drain(box, 0, LIMITS);
    expect(names(resync.frames)).toEqual(['snapshot']);
    expect(resync.pendingGap).toBe(false);
  });
});
