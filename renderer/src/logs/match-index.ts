// Incremental search over a log view: each update only looks at lines appended since the last one,
// so a filter stays cheap while 2,000 lines/s stream into a 100k-line view.
import type { LogEntry, LogView } from './log-store';
import { matches } from './search';
import { plainText } from './entry-text';

export class MatchIndex {
  private list: LogEntry[] = [];
  private lastSeq = -Infinity;
  private epoch: number;

  constructor(
    readonly view: LogView,
    readonly needle: string,
  ) {
    this.epoch = view.epoch;
  }

  /** Matching lines currently in the view, oldest first. */
  update(): readonly LogEntry[] {
    const { view } = this;
    if (!this.needle) return this.list;
    const last = view.at(view.length - 1);
    if (view.epoch !== this.epoch || !last || last.seq < this.lastSeq) {
      this.epoch = view.epoch;
      this.list = [];
      this.lastSeq = -Infinity;
    }
    // Drop matches the ring evicted.
    const first = view.at(0);
    if (first && this.list.length && (this.list[0] as LogEntry).seq < first.seq) {
      let k = 0;
      while (k < this.list.length && (this.list[k] as LogEntry).seq < first.seq) k++;
      this.list = this.list.slice(k);
    }
    // Scan new lines from the end back to the last one seen.
    let i = view.length - 1;
    while (i >= 0 && (view.at(i) as LogEntry).seq > this.lastSeq) i--;
    const added: LogEntry[] = [];
    for (let j = i + 1; j < view.length; j++) {
      const e = view.at(j) as LogEntry;
      if (matches(plainText(e), this.needle)) added.push(e);
    }
    if (added.length) this.list = this.list.concat(added);
    if (last) this.lastSeq = last.seq;
    return this.list;
  }
}
