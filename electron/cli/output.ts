// Line output that respects backpressure: when stdout cannot keep up (a slow terminal, a paused pipe)
// lines are queued up to a bound, then dropped and counted, instead of buffering without limit.
import type { Writer } from './io';

export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/**
 * Lines joined into one write at most. Under V8's 128 kB large-object size for 100-byte lines: a larger
 * string is a mapping of its own, allocated and faulted in page by page (joining 4,096 such lines cost
 * 50 times as much a line as joining 1,024).
 */
export const LINES_PER_WRITE = 1024;

export class LineOutput {
  private queue: string[] = [];
  private queuedBytes = 0;
  private waiting = false;
  private dropped = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly writer: Writer,
    private readonly maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES,
    /** Text of the line that reports dropped lines. */
    private readonly droppedNotice: (count: number) => string = (count) => `… ${count} lines dropped (output too slow)`,
  ) {}

  /** Writes one line (a newline is added). */
  line(text: string): void {
    this.chunk(`${text}\n`, 1);
  }

  /** Writes text as it is: part of a line (a prompt), ended by a later write. */
  text(text: string): void {
    this.chunk(text, 1);
  }

  /**
   * Writes `items` as lines, in one chunk: a chatty service's batch of thousands of lines is one write,
   * not one per line (`hearth up | …` spent 12 s of CPU on a million single-line pipe writes). Items are
   * formatted only when they will be written: a batch the full queue must drop costs nothing.
   */
  lines<T>(items: readonly T[], format: (item: T) => string): void {
    this.batches(items, (slice) => `${slice.map(format).join('\n')}\n`);
  }

  /**
   * As `lines`, with the items formatted a slice at a time by `format`, which returns their lines
   * (each ending with a newline) as one string (LogBlockFormatter: one join per run of lines).
   */
  batches<T>(items: readonly T[], format: (slice: readonly T[]) => string): void {
    // In slices: a history of a million lines (`hearth logs -n 1000000`) is not one 100 MB string.
    for (let start = 0; start < items.length; start += LINES_PER_WRITE) {
      const slice = start === 0 && items.length <= LINES_PER_WRITE ? items : items.slice(start, start + LINES_PER_WRITE);
      if (this.waiting && this.queuedBytes >= this.maxQueuedBytes) this.dropped += slice.length;
      else this.chunk(format(slice), slice.length);
    }
  }

  /** `chunk` holds `count` lines: written, queued, or (when the queue is full) dropped and counted. */
  private chunk(chunk: string, count: number): void {
    if (!this.waiting) {
      this.emit(chunk);
      return;
    }
    if (this.queuedBytes + chunk.length > this.maxQueuedBytes) {
      this.dropped += count;
      return;
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
  }

  /** Lines dropped since the start (also reported in the output itself). */
  get droppedTotal(): number {
    return this.totalDropped + this.dropped;
  }

  private totalDropped = 0;

  /** Resolves when everything queued has been handed to the writer. */
  flushed(): Promise<void> {
    if (!this.waiting) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private emit(chunk: string): void {
    if (this.writer.write(chunk)) return;
    this.waiting = true;
    this.writer.once('drain', () => this.drain());
  }

  private drain(): void {
    this.waiting = false;
    while (this.queue.length > 0 && !this.waiting) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.length;
      this.emit(chunk);
    }
    if (!this.waiting && this.dropped > 0) {
      const count = this.dropped;
      this.totalDropped += count;
      this.dropped = 0;
      this.emit(`${this.droppedNotice(count)}\n`);
    }
    if (!this.waiting) {
      const waiters = this.idle;
      this.idle = [];
      for (const resolve of waiters) resolve();
    }
  }
}
