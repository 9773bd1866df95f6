// The two kinds of view the log store hands out. Lines are stored once: the all-services view owns
// them (one shared ring, oldest first); a service's view is a list of positions into that ring, plus
// the few older lines of that service the ring has already dropped but the store kept for fairness.
import type { LogLine } from '../../../shared/types';
import { Deque } from './deque';

/**
 * A stored line is the line as it came from the host, not a copy: building a derived object (plain
 * text, collapsed `\r`) for each of 20,000 lines a second cost more than showing them. The text forms
 * are computed on demand by entry-text.ts.
 */
export type LogEntry = LogLine;

/** A read-only window on the stored lines: "all services" or one service. */
export interface LogView {
  readonly length: number;
  at(index: number): LogEntry | undefined;
  /** Lines ever appended to this view (not capped): "N new" counts are differences of this. */
  readonly appended: number;
  /** Bumped when lines are removed other than from the front (clear, reset): derived indexes rebuild. */
  readonly epoch: number;
  /** Index of the line with this seq, or -1. */
  indexOfSeq(seq: number): number;
  /** Index of the first line of process run `run` (for "jump to run start"), or -1. */
  firstIndexOfRun(service: string, run: number): number;
}

abstract class BaseView implements LogView {
  appended = 0;
  version = 0;
  epoch = 0;
  abstract readonly length: number;
  abstract at(index: number): LogEntry | undefined;

  indexOfSeq(seq: number): number {
    // Lines are in seq order: binary search.
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at(mid) as LogEntry).seq >= seq) hi = mid;
      else lo = mid + 1;
    }
    return this.at(lo)?.seq === seq ? lo : -1;
  }

  firstIndexOfRun(service: string, run: number): number {
    // Runs only grow within a service, but the all-services view interleaves services: scan.
    for (let i = 0; i < this.length; i++) {
      const e = this.at(i) as LogEntry;
      if (e.service === service && e.run >= run) return e.run === run ? i : -1;
    }
    return -1;
  }

  /** Content changed in a way a pure append does not describe. */
  wiped(): void {
    this.version++;
    this.epoch++;
  }
}

/** Every stored line of every service, oldest first; line `i` has the absolute position `first + i`. */
export class AllView extends BaseView {
  readonly lines = new Deque<LogEntry>();
  /** Absolute position of lines.at(0): positions never change while a line is stored (until a clear compacts). */
  first = 0;

  get length(): number {
    return this.lines.length;
  }

  at(index: number): LogEntry | undefined {
    return this.lines.at(index);
  }

  atPosition(pos: number): LogEntry | undefined {
    return this.lines.at(pos - this.first);
  }

  /** Appends; returns the new line's absolute position. */
  push(entry: LogEntry): number {
    this.lines.push(entry);
    this.appended++;
    return this.first + this.lines.length - 1;
  }

  shift(): LogEntry | undefined {
    const e = this.lines.shift();
    if (e) this.first++;
    return e;
  }
}

/** One service's lines: `kept` (older, no longer in the shared ring) then `positions` (in the ring). */
export class ServiceView extends BaseView {
  readonly kept = new Deque<LogEntry>();
  readonly positions = new Deque<number>();

  constructor(private readonly all: AllView) {
    super();
  }

  get length(): number {
    return this.kept.length + this.positions.length;
  }

  at(index: number): LogEntry | undefined {
    const k = this.kept.length;
    if (index < k) return this.kept.at(index);
    const pos = this.positions.at(index - k);
    return pos === undefined ? undefined : this.all.atPosition(pos);
  }

  clear(): number {
    const dropped = this.kept.length;
    this.kept.clear();
    this.positions.clear();
    this.wiped();
    return dropped;
  }
}
