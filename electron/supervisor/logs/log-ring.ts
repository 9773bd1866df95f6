// The last lines of one service, for the UI, bounded twice: at most `capacity` lines and at most
// `maxBytes` bytes (a service printing 64 kB lines would otherwise hold 5,000 x 64 kB). And every ring
// of a stack draws on one LogBudget, the stack's total. An array used circularly once full: pushing is
// O(1) and never shifts or reallocates, however many lines stream through. It grows only while it
// fills, so a quiet service holds a few slots, not `capacity` of them (5000 by default, per service).
import type { LogLine } from '../../../shared/types';

/**
 * What a line costs beyond its text, measured on V8 (x64): the LogLine object (72 B), its boxed
 * timestamp (16 B), the string's header (24 B) and the ring's slot (8 B).
 */
export const LINE_RECORD_BYTES = 120;

/**
 * A line's size as the rings count it: its text as V8 stores it (one byte per character for ASCII
 * text, at most two for any other) plus its record. The text owns its bytes (see line-splitter.ts),
 * so this is what keeping the line costs.
 */
export function lineBytes(text: string, ascii: boolean): number {
  return (ascii ? text.length : 2 * text.length) + LINE_RECORD_BYTES;
}

export class LogRing {
  private slots: Array<LogLine | undefined> = [];
  private sizes: number[] = [];
  /** Index of the oldest line. */
  private start = 0;
  private count = 0;
  private held = 0;

  constructor(
    private capacity: number,
    private maxBytes = Number.POSITIVE_INFINITY,
    private readonly budget: LogBudget | null = null,
  ) {
    checkLimits(capacity, maxBytes);
    budget?.add(this);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes the lines held cost (lineBytes). */
  get bytes(): number {
    return this.held;
  }

  push(line: LogLine, bytes = lineBytes(line.text, false)): void {
    this.store(line, bytes);
    this.trim();
  }

  /** One chunk's lines; `ascii`: every text is ASCII (sizes are then lengths). */
  pushAll(lines: readonly LogLine[], ascii = false): void {
    // Only the newest `capacity` of a large batch can stay.
    for (let i = Math.max(0, lines.length - this.capacity); i < lines.length; i++) {
      const line = lines[i]!;
      this.store(line, lineBytes(line.text, ascii));
    }
    this.trim();
  }

  /** New limits (a reload): the newest lines that fit stay. */
  setLimits(capacity: number, maxBytes: number): void {
    checkLimits(capacity, maxBytes);
    if (capacity !== this.capacity) {
      const lines = this.toArray();
      const sizes = this.tailSizes(lines.length);
      this.reset();
      this.capacity = capacity;
      for (let i = Math.max(0, lines.length - capacity); i < lines.length; i++) this.store(lines[i]!, sizes[i]!);
    }
    this.maxBytes = maxBytes;
    this.trim();
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
    const len = this.slots.length;
    for (let i = 0; i < take; i++) out[i] = this.slots[(first + i) % len] as LogLine;
    return out;
  }

  clear(): void {
    this.budget?.release(this.held);
    this.reset();
  }

  /** Forget the oldest line, unless it is the only one (a ring always shows its newest line). */
  dropOldest(): boolean {
    if (this.count <= 1) return false;
    const bytes = this.sizes[this.start]!;
    this.slots[this.start] = undefined; // let the line be collected
    this.start = (this.start + 1) % this.slots.length;
    this.count--;
    this.held -= bytes;
    this.budget?.release(bytes);
    return true;
  }

  private store(line: LogLine, bytes: number): void {
    if (this.count === this.capacity) {
      // Full: overwrite the oldest.
      this.held -= this.sizes[this.start]!;
      this.budget?.release(this.sizes[this.start]!);
      this.slots[this.start] = line;
      this.sizes[this.start] = bytes;
      this.start = (this.start + 1) % this.capacity;
    } else if (this.slots.length < this.capacity) {
      // Filling: every line so far is at the array's end (drops only move `start` up), so is the next.
      this.slots.push(line);
      this.sizes.push(bytes);
      this.count++;
    } else {
      const at = (this.start + this.count) % this.capacity;
      this.slots[at] = line;
      this.sizes[at] = bytes;
      this.count++;
    }
    this.held += bytes;
    this.budget?.take(bytes);
  }

  /** Back under this ring's bytes, then the stack's. */
  private trim(): void {
    while (this.held > this.maxBytes && this.dropOldest());
    this.budget?.settle(this);
  }

  private tailSizes(n: number): number[] {
    const out: number[] = [];
    const len = this.slots.length;
    for (let i = this.start + this.count - n; i < this.start + this.count; i++) out.push(this.sizes[i % len]!);
    return out;
  }

  private reset(): void {
    this.slots = []; // let the old lines be collected
    this.sizes = [];
    this.start = 0;
    this.count = 0;
    this.held = 0;
  }
}

function checkLimits(capacity: number, maxBytes: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
}

/**
 * The bytes all rings of a stack may hold together. Over it, lines go from the ring that just grew
 * while it holds more than an even share, which is what a flooding service does (O(1) per line);
 * otherwise from the ring holding the most, so a quiet service's last lines outlive a chatty one's.
 */
export class LogBudget {
  private total = 0;
  private readonly rings = new Set<LogRing>();

  constructor(private maxBytes: number) {
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
  }

  get bytes(): number {
    return this.total;
  }

  get limit(): number {
    return this.maxBytes;
  }

  setLimit(maxBytes: number): void {
    if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be positive, got ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.settle(null);
  }

  /** A ring draws on this budget (rings register themselves). */
  add(ring: LogRing): void {
    this.rings.add(ring);
  }

  /** A ring that will hold nothing again (its service was removed): clear it first. */
  remove(ring: LogRing): void {
    ring.clear();
    this.rings.delete(ring);
  }

  take(bytes: number): void {
    this.total += bytes;
  }

  release(bytes: number): void {
    this.total -= bytes;
  }

  /** Back under the limit; `pusher` is the ring that just grew (null: the limit changed). */
  settle(pusher: LogRing | null): void {
    if (this.total <= this.maxBytes) return;
    const share = this.maxBytes / Math.max(1, this.rings.size);
    if (pusher && pusher.bytes > share) {
      while (this.total > this.maxBytes && pusher.bytes > share && pusher.dropOldest());
    }
    while (this.total > this.maxBytes) {
      let largest: LogRing | null = null;
      for (const ring of this.rings) if (ring.size > 1 && (!largest || ring.bytes > largest.bytes)) largest = ring;
      if (!largest) return; // every ring is down to its newest line
      const floor = Math.min(share, largest.bytes / 2); // then look again: another may be the largest now
      while (this.total > this.maxBytes && largest.bytes > floor && largest.dropOldest());
    }
  }
}
