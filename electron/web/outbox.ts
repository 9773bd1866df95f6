// Per-client outbox of the WebSocket: what to send, coalesced, and what to drop when the client is slow.
// No sockets, timers or clocks here: ws.ts feeds events in and drains frames out, passing the socket's
// bufferedAmount, so every batching and backpressure decision is unit-tested with plain values.
//
// Rules:
// - State is never dropped, only coalesced: the latest ServiceStatus per service, the latest StackInfo.
// - A snapshot supersedes everything queued before it (the client rebuilds its view from it).
// - Log lines are merged into frames of at most `maxBatchLines`; while the client's send buffer is past
//   `maxBufferedBytes` they are counted and dropped, and a per-service "N lines skipped" system line
//   takes their place once the client catches up.
import type { EventName, HearthEvents, ServerFrame } from '../../shared/contract';
import type { LogLine, PartialLine, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';

export interface OutboxLimits {
  /** Flush as soon as this many lines are queued, and never put more in one frame. */
  maxBatchLines: number;
  /** Past this many bytes waiting in the socket, log lines are dropped (state still goes out). */
  maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: OutboxLimits = { maxBatchLines: 1000, maxBufferedBytes: 8 * 1024 * 1024 };

type LogOp = { kind: 'lines'; lines: LogLine[] } | { kind: 'cleared'; service: string | null } | { kind: 'partial'; partial: PartialLine };

interface Skipped {
  count: number;
  last: LogLine;
}

export interface Outbox {
  snapshot: StackSnapshot | null;
  stack: StackInfo | null;
  /** Map order = order of the latest change; `null` = removed. */
  services: Map<string, ServiceStatus | null>;
  logOps: LogOp[];
  queuedLines: number;
  skipped: Map<string, Skipped>;
}

export function createOutbox(): Outbox {
  return { snapshot: null, stack: null, services: new Map(), logOps: [], queuedLines: 0, skipped: new Map() };
}

/** 'now' = flush without waiting for the batching timer. */
export type Urgency = 'now' | 'later';

/** Queue one supervisor event (mutates `box`). */
export function enqueue<E extends EventName>(box: Outbox, event: E, payload: HearthEvents[E], limits: OutboxLimits): Urgency {
  switch (event) {
    case 'snapshot': {
      box.snapshot = payload as StackSnapshot;
      box.stack = null;
      box.services.clear();
      box.logOps = [];
      box.queuedLines = 0;
      box.skipped.clear();
      return 'now';
    }
    case 'stack':
      box.stack = payload as StackInfo;
      return 'later';
    case 'service': {
      const status = payload as ServiceStatus;
      box.services.delete(status.name); // re-insert so the map keeps change order
      box.services.set(status.name, status);
      return 'later';
    }
    case 'service_removed': {
      const { name } = payload as HearthEvents['service_removed'];
      box.services.delete(name);
      box.services.set(name, null);
      return 'later';
    }
    case 'logs_cleared': {
      box.logOps.push({ kind: 'cleared', service: (payload as HearthEvents['logs_cleared']).service });
      return 'later';
    }
    case 'partial_line':
      // In order with the lines: the line before the prompt must be shown before it.
      box.logOps.push({ kind: 'partial', partial: payload as PartialLine });
      return 'later';
    case 'logs': {
      const lines = (payload as HearthEvents['logs']).lines;
      if (lines.length === 0) return 'later';
      const last = box.logOps[box.logOps.length - 1];
      if (last && last.kind === 'lines') for (const line of lines) last.lines.push(line);
      else box.logOps.push({ kind: 'lines', lines: lines.slice() });
      box.queuedLines += lines.length;
      return box.queuedLines >= limits.maxBatchLines ? 'now' : 'later';
    }
    default:
      // `connection` is produced locally by the renderer adapter; the supervisor has no business sending it.
      return 'later';
  }
}

function event<E extends EventName>(name: E, payload: HearthEvents[E]): ServerFrame {
  return { type: 'event', event: name, payload };
}

/** System lines standing in for dropped ones, one per service, in seq order. */
export function gapMarkers(skipped: Map<string, Skipped>): LogLine[] {
  return [...skipped.entries()]
    .map(([service, { count, last }]) => ({
      // The seq of the last dropped line: unique (that line was never delivered) and in order.
      seq: last.seq,
      service,
      run: last.run,
      ts: last.ts,
      stream: 'system' as const,
      text: `${count} line${count === 1 ? '' : 's'} skipped (client too slow)`,
    }))
    .sort((a, b) => a.seq - b.seq);
}

function linesFrames(lines: LogLine[], max: number): ServerFrame[] {
  const frames: ServerFrame[] = [];
  for (let i = 0; i < lines.length; i += max) frames.push(event('logs', { lines: lines.slice(i, i + max) }));
  return frames;
}

/**
 * A snapshot, its log tail in frames of at most `max` lines like any other: the snapshot carries the
 * oldest of them and `logs` frames the rest, in order (the page resets its view with the first and
 * appends the others). One frame of 5,000 lines was parsed and applied by the page in one task of
 * tens of ms, on every connect and reconnect.
 */
export function snapshotFrames(snapshot: StackSnapshot, max: number): ServerFrame[] {
  if (snapshot.logs.length <= max) return [event('snapshot', snapshot)];
  return [event('snapshot', { ...snapshot, logs: snapshot.logs.slice(0, max) }), ...linesFrames(snapshot.logs.slice(max), max)];
}

/**
 * Take everything queued as frames, given how many bytes the socket still has to send (mutates `box`).
 * `pendingGap` = lines were dropped and their marker is still owed: call again later even if nothing new comes.
 */
export function drain(box: Outbox, bufferedAmount: number, limits: OutboxLimits): { frames: ServerFrame[]; pendingGap: boolean } {
  const frames: ServerFrame[] = [];
  if (box.snapshot) frames.push(...snapshotFrames(box.snapshot, limits.maxBatchLines));
  if (box.stack) frames.push(event('stack', box.stack));
  for (const [name, status] of box.services) {
    frames.push(status ? event('service', status) : event('service_removed', { name }));
  }

  const congested = bufferedAmount > limits.maxBufferedBytes;
  let out: LogLine[] = [];
  const flushLines = (): void => {
    frames.push(...linesFrames(out, limits.maxBatchLines));
    out = [];
  };
  for (const op of box.logOps) {
    if (op.kind === 'cleared') {
      flushLines();
      // Lines skipped before a clear would be cleared anyway: no marker for them.
      if (op.service === null) box.skipped.clear();
      else box.skipped.delete(op.service);
      frames.push(event('logs_cleared', { service: op.service }));
    } else if (op.kind === 'partial') {
      // Dropped, like the lines around it, while the client is slow; the next line of its stream ends it anyway.
      if (congested) continue;
      flushLines();
      frames.push(event('partial_line', op.partial));
    } else if (congested) {
      for (const line of op.lines) {
        const s = box.skipped.get(line.service);
        if (s) {
          s.count += 1;
          s.last = line;
        } else box.skipped.set(line.service, { count: 1, last: line });
      }
    } else {
      if (box.skipped.size > 0) {
        out.push(...gapMarkers(box.skipped));
        box.skipped.clear();
      }
      for (const line of op.lines) out.push(line); // no spread: batches can exceed the argument limit
    }
  }
  if (!congested && box.skipped.size > 0) {
    out.push(...gapMarkers(box.skipped));
    box.skipped.clear();
  }
  flushLines();

  box.snapshot = null;
  box.stack = null;
  box.services.clear();
  box.logOps = [];
  box.queuedLines = 0;
  return { frames, pendingGap: box.skipped.size > 0 };
}
