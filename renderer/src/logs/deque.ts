// A growable circular buffer: O(1) push at the back, shift at the front and random access. The log
// store evicts from the front itself (it decides which line goes, and where it goes), so unlike Ring
// this has no capacity of its own.
export class Deque<T> {
  private buf: Array<T | undefined> = new Array<T | undefined>(16);
  private head = 0;
  private len = 0;

  get length(): number {
    return this.len;
  }

  push(item: T): void {
    if (this.len === this.buf.length) this.grow();
    // The buffer length is a power of two, so `& mask` is the modulo.
    this.buf[(this.head + this.len) & (this.buf.length - 1)] = item;
    this.len++;
  }

  shift(): T | undefined {
    if (this.len === 0) return undefined;
    const item = this.buf[this.head];
    // Release the reference at once: an evicted line must not stay reachable from the buffer.
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.len--;
    return item;
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) & (this.buf.length - 1)];
  }

  clear(): void {
    this.buf = new Array<T | undefined>(16);
    this.head = 0;
    this.len = 0;
  }

  /** Keeps only the items matching `keep`, in order. */
  retain(keep: (item: T) => boolean): void {
    const old = this.buf;
    const mask = old.length - 1;
    const n = this.len;
    const start = this.head;
    this.clear();
    for (let i = 0; i < n; i++) {
      const item = old[(start + i) & mask] as T;
      if (keep(item)) this.push(item);
    }
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.buf.length * 2);
    for (let i = 0; i < this.len; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
    this.buf = next;
    this.head = 0;
  }
}
