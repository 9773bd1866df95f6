// A fixed-capacity ring buffer with O(1) push and random access: the log views keep at most
// `capacity` lines and drop the oldest, without ever copying the whole buffer on append.
export class Ring<T> {
  private buf: T[] = [];
  private start = 0;
  private len = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new Error('ring capacity must be positive');
  }

  get length(): number {
    return this.len;
  }

  /** Appends; returns the evicted oldest item when the ring was full. */
  push(item: T): T | undefined {
    if (this.len < this.capacity) {
      // Grow lazily so a quiet service does not reserve a full-size array.
      const idx = (this.start + this.len) % this.capacity;
      if (idx === this.buf.length) this.buf.push(item);
      else this.buf[idx] = item;
      this.len++;
      return undefined;
    }
    const evicted = this.buf[this.start];
    this.buf[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.start + i) % this.capacity];
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.len - 1);
  }

  clear(): void {
    this.buf = [];
    this.start = 0;
    this.len = 0;
  }

  /** Keeps only the items matching `keep`, in order (used when one service's lines are cleared). */
  retain(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (let i = 0; i < this.len; i++) {
      const item = this.at(i) as T;
      if (keep(item)) kept.push(item);
    }
    this.buf = kept;
    this.start = 0;
    this.len = kept.length;
  }

  /** Index of the first item for which `isAtOrAfter` is true, assuming the predicate is monotonic. */
  lowerBound(isAtOrAfter: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrAfter(this.at(mid) as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
