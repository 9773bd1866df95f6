// Line output that respects backpressure: when stdout cannot keep up (a slow terminal, a paused pipe)
// lines are queued up to a bound, then dropped and counted, instead of buffering without limit.
import type { Writer } from './io';

export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

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
    const chunk = `${text}\n`;
    if (!this.waiting) {
      this.emit(chunk);
      return;
    }
    if (this.queuedBytes + chunk.length > this.maxQueuedBytes) {
      this.dropped++;
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
