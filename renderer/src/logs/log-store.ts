// Log lines live here, OUTSIDE React and zustand: a chatty stack (thousands of lines a second) only
// bumps a per-view version number, so the only component that re-renders is the one showing that
// view (through useSyncExternalStore). The service list never sees log traffic.
import type { LogLine, LogStream } from '../../../shared/types';
import type { Unsubscribe } from '../../../shared/contract';
import { collapseCarriageReturns } from './carriage-return';
import { stripAnsi } from './ansi';
import { Ring } from './ring';

export interface LogEntry {
  seq: number;
  service: string;
  run: number;
  ts: number;
  stream: LogStream;
  /** Text as displayed: `\r` progress collapsed, ANSI codes kept for colouring. */
  text: string;
  /** Same text without ANSI codes: for search, filter and copy. */
  plain: string;
  truncated: boolean;
}

/** A read-only window on one ring: "all services" or one service. */
export interface LogView {
  readonly length: number;
  at(index: number): LogEntry | undefined;
  /** Lines ever appended to this view (not capped): "N new" counts are differences of this. */
  readonly appended: number;
  /** Bumped when lines are removed other than by ring eviction (clear, reset): derived indexes rebuild. */
  readonly epoch: number;
  /** Index of the line with this seq, or -1. */
  indexOfSeq(seq: number): number;
  /** Index of the first line of process run `run` (for "jump to run start"), or -1. */
  firstIndexOfRun(service: string, run: number): number;
}

/** null = all services. */
export type ViewKey = string | null;

export interface LogStoreOptions {
  /** Cap of the all-services ring (the "100k lines total"). */
  totalCap?: number;
  /** Cap of each service's own ring, so a chatty neighbour cannot push a quiet service's lines out. */
  serviceCap?: number;
  /** How listener notification is deferred; coalesces bursts into one render per frame. */
  schedule?: (run: () => void) => void;
}

class RingView implements LogView {
  readonly ring: Ring<LogEntry>;
  appended = 0;
  version = 0;
  epoch = 0;

  constructor(cap: number) {
    this.ring = new Ring<LogEntry>(cap);
  }

  get length(): number {
    return this.ring.length;
  }

  at(index: number): LogEntry | undefined {
    return this.ring.at(index);
  }

  indexOfSeq(seq: number): number {
    const i = this.ring.lowerBound((e) => e.seq >= seq);
    return this.ring.at(i)?.seq === seq ? i : -1;
  }

  firstIndexOfRun(service: string, run: number): number {
    // Runs only grow within a service, but the all-services view interleaves services: scan there.
    for (let i = 0; i < this.ring.length; i++) {
      const e = this.ring.at(i) as LogEntry;
      if (e.service === service && e.run >= run) return e.run === run ? i : -1;
    }
    return -1;
  }
}

export function toEntry(line: LogLine): LogEntry {
  const text = collapseCarriageReturns(line.text);
  return {
    seq: line.seq,
    service: line.service,
    run: line.run,
    ts: line.ts,
    stream: line.stream,
    text,
    plain: stripAnsi(text),
    truncated: line.truncated === true,
  };
}

function wipe(view: RingView): void {
  view.ring.clear();
  view.version++;
  view.epoch++;
}

function defaultSchedule(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
}

export class LogStore {
  private readonly totalCap: number;
  private readonly serviceCap: number;
  private readonly schedule: (run: () => void) => void;
  private readonly all: RingView;
  private readonly perService = new Map<string, RingView>();
  private readonly listeners = new Set<() => void>();
  private notifyPending = false;
  private lastSeq = -Infinity;

  constructor(options: LogStoreOptions = {}) {
    this.totalCap = options.totalCap ?? 100_000;
    this.serviceCap = options.serviceCap ?? 50_000;
    this.schedule = options.schedule ?? defaultSchedule;
    this.all = new RingView(this.totalCap);
  }

  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever the view's content changes; the useSyncExternalStore snapshot. */
  versionOf(key: ViewKey): number {
    return key === null ? this.all.version : (this.perService.get(key)?.version ?? 0);
  }

  view(key: ViewKey): LogView {
    if (key === null) return this.all;
    return this.serviceView(key);
  }

  /** Appends one batch (ordered by seq). Lines at or below the last seen seq are duplicates and skipped. */
  append(lines: readonly LogLine[]): void {
    let changed = false;
    for (const line of lines) {
      if (line.seq <= this.lastSeq) continue;
      this.lastSeq = line.seq;
      const entry = toEntry(line);
      const own = this.serviceView(entry.service);
      own.ring.push(entry);
      own.appended++;
      own.version++;
      this.all.ring.push(entry);
      this.all.appended++;
      changed = true;
    }
    if (changed) {
      this.all.version++;
      this.notify();
    }
  }

  /** Replaces everything (a new snapshot: first connect or reconnect). */
  reset(lines: readonly LogLine[]): void {
    this.wipeAll();
    this.lastSeq = -Infinity;
    this.append(lines);
    this.notify();
  }

  /** Forgets one service's lines (or all of them with null), as the supervisor did. */
  clear(service: string | null): void {
    if (service === null) {
      this.wipeAll();
    } else {
      const own = this.perService.get(service);
      if (own) wipe(own);
      this.all.ring.retain((e) => e.service !== service);
      this.all.version++;
      this.all.epoch++;
    }
    this.notify();
  }

  private wipeAll(): void {
    wipe(this.all);
    for (const view of this.perService.values()) wipe(view);
  }

  private serviceView(name: string): RingView {
    let view = this.perService.get(name);
    if (!view) {
      view = new RingView(this.serviceCap);
      this.perService.set(name, view);
    }
    return view;
  }

  private notify(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    this.schedule(() => {
      this.notifyPending = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}
