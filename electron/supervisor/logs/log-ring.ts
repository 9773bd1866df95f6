// The last N log lines of one service, for the UI. An array used circularly once full: pushing is
// O(1) and never shifts or reallocates, however many lines stream through. It grows only while it
// fills, so a quiet service holds a few slots, not `capacity` of them (5000 by default, per service).
import type { LogLine } from '../../../shared/types';

export class LogRing {
  private readonly slots: LogLine[];
  /** Index of the oldest line. */
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = [];
  }

  get size(): number {
    return this.count;
  }

  push(line: LogLine): void {
    if (this.count < this.capacity) {
      // Filling: `start` stays 0 until the first overwrite, so the next slot is the array's end.
      this.slots.push(line);
      this.count++;
    } else {
      this.slots[this.start] = line; // overwrite the oldest
      this.start = (this.start + 1) % this.capacity;
    }
  }

  pushAll(lines: readonly LogLine[]): void {
    // Only the newest `capacity` of a large batch can stay.
    for (let i = Math.max(0, lines.length - this.capacity); i < lines.length; i++) this.push(lines[i]!);
  }

  /** All lines, oldest first. */
  toArray(): LogLine[] {
    return this.tail(this.count);
  }

  /** The newest `n` lines, oldest first. */
  tail(n: number): LogLine[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const out = new Array<LogLine>(take);
    const first = this.start + this.count - take;
    for (let i = 0; i < take; i++) out[i] = this.slots[(first + i) % this.capacity] as LogLine;
    return out;
  }

  clear(): void {
    this.slots.length = 0; // let the old lines be collected
    this.start = 0;
    this.count = 0;
  }
}
