// Log lines live here, OUTSIDE React and zustand: a chatty stack (thousands of lines a second) only
// bumps a per-view version number, so the only component that re-renders is the one showing that
// view (through useSyncExternalStore). The service list never sees log traffic.
//
// Memory is ONE budget, `totalCap` lines, whatever the number of services: each line is stored once
// in the all-services ring, and a service's view indexes into it. Fairness: when the ring drops a
// line of a service that has fewer than `floor` lines left in the ring, the line is kept for that
// service's own view (up to `floor` lines per service, `reserve` lines in all), and the ring shrinks by
// as much. So a chatty neighbour cannot push a quiet service's last lines out, and the page never
// holds more than `totalCap` lines.
import type { LogLine } from '../../../shared/types';
import type { Unsubscribe } from '../../../shared/contract';
import { AllView, ServiceView, type LogEntry, type LogView } from './log-views';

export type { LogEntry, LogView } from './log-views';

/** null = all services. */
export type ViewKey = string | null;

/**
 * Defers listener notification. `busy` says the last notification carried more lines than a screen
 * shows: nobody reads that, so the default scheduler then waits `BUSY_INTERVAL_MS` between renders.
 */
export type LogSchedule = (run: () => void, busy: boolean) => void;

export interface LogStoreOptions {
  /** Lines held in all (the "100k lines total"): the all-services ring plus the lines kept for fairness. */
  totalCap?: number;
  /** Each service's view keeps at least its last `serviceFloor` lines (fewer with many services, see `reserve`). */
  serviceFloor?: number;
  /** Part of `totalCap` that fairness may use; the per-service floor is min(serviceFloor, reserve / services). */
  reserve?: number;
  /** How listener notification is deferred; coalesces bursts into one render per frame (or per BUSY_INTERVAL_MS). */
  schedule?: LogSchedule;
  /** Most lines applied in one task; a bigger batch is applied over several (default APPLY_CHUNK_LINES). */
  chunkLines?: number;
  /** Runs the next chunk in a later task (default setTimeout 0), so input and frames get in between. */
  defer?: (run: () => void) => void;
}

/**
 * Most lines `append` applies in one go. A reconnect's snapshot carries up to 5,000 lines and the
 * desktop app's IPC a backlog in one message: applied (and searched) at once, that was one task of
 * tens of ms. About 1-2 ms of work on this machine; the web host sends frames of at most 1,000 lines.
 */
export const APPLY_CHUNK_LINES = 1000;

/** Lines per notification above which the view is "busy" (about two screenfuls of 20 px rows). */
export const BUSY_LINES = 100;
/** Minimum time between notifications while busy: about 10 renders a second. */
export const BUSY_INTERVAL_MS = 100;

function nextFrame(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
}

/**
 * The default scheduler: next animation frame while quiet; when busy, a timer task no sooner than
 * BUSY_INTERVAL_MS after the last run. Not a frame then: a render run from requestAnimationFrame shares
 * its task with the browser's style, layout and paint of that frame, and at 20k lines/s the two
 * together were the page's longest tasks (20-46 ms of thread time, BENCHMARKS.md figure 6). From a
 * timer, React's render and commit are one task and the frame that paints them is another.
 */
export function frameSchedule(now: () => number = () => performance.now()): LogSchedule {
  let last = -Infinity;
  return (run, busy) => {
    const stamped = () => {
      last = now();
      run();
    };
    if (busy) setTimeout(stamped, Math.max(0, last + BUSY_INTERVAL_MS - now()));
    else nextFrame(stamped);
  };
}

export class LogStore {
  private readonly totalCap: number;
  private readonly serviceFloor: number;
  private readonly reserve: number;
  private readonly schedule: LogSchedule;
  private readonly all = new AllView();
  private readonly perService = new Map<string, ServiceView>();
  private readonly listeners = new Set<() => void>();
  private readonly appendWatchers = new Set<() => void>();
  private keptTotal = 0;
  private floor = 0;
  private notifyPending = false;
  private pendingLines = 0;
  private lastNotifiedLines = 0;
  private lastSeq = -Infinity;
  private readonly chunkLines: number;
  private readonly defer: (run: () => void) => void;
  /** Lines received but not applied yet, oldest first: `at` is the next line of the first batch. */
  private pending: Array<{ lines: readonly LogLine[]; at: number }> = [];
  private pendingCount = 0;
  private drainScheduled = false;

  constructor(options: LogStoreOptions = {}) {
    this.totalCap = options.totalCap ?? 100_000;
    this.serviceFloor = options.serviceFloor ?? 2_000;
    // Below totalCap, so the ring always keeps room for new lines.
    this.reserve = Math.min(options.reserve ?? Math.floor(this.totalCap / 10), this.totalCap - 1);
    this.schedule = options.schedule ?? frameSchedule();
    this.chunkLines = Math.max(1, options.chunkLines ?? APPLY_CHUNK_LINES);
    this.defer = options.defer ?? ((run) => void setTimeout(run, 0));
    if (!(this.totalCap > 0)) throw new Error('totalCap must be positive');
  }

  subscribe = (listener: () => void): Unsubscribe => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Called at once after every append, before any render: for work that must keep up with each batch
   * as it arrives (the search index scans new lines there), so that a render, ten a second under a
   * flood, does not do a tenth of a second's worth of it in one go.
   */
  onAppend(watcher: () => void): Unsubscribe {
    this.appendWatchers.add(watcher);
    return () => this.appendWatchers.delete(watcher);
  }

  /** Changes whenever the view's content changes; the useSyncExternalStore snapshot. */
  versionOf(key: ViewKey): number {
    return key === null ? this.all.version : (this.perService.get(key)?.version ?? 0);
  }

  view(key: ViewKey): LogView {
    if (key === null) return this.all;
    return this.serviceView(key);
  }

  /** Most lines the store (and so any view of it) ever holds: totalCap. */
  get capacity(): number {
    return this.totalCap;
  }

  /** Lines held right now (ring plus kept): never more than totalCap. */
  get size(): number {
    return this.all.length + this.keptTotal;
  }

  /** Lines received and not applied yet (a big batch is applied over several tasks). */
  get queued(): number {
    return this.pendingCount;
  }

  /**
   * Appends one batch (ordered by seq). Lines at or below the last seen seq are duplicates and skipped.
   * At most `chunkLines` are applied now; the rest follow in later tasks, in order, before any batch
   * appended after this one.
   */
  append(lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    this.pending.push({ lines, at: 0 });
    this.pendingCount += lines.length;
    // Nothing queued ahead of it (or a drain is not due): apply now, up to a chunk.
    if (this.pending.length === 1 || !this.drainScheduled) this.drain();
  }

  /** Applies up to `chunkLines` queued lines; schedules itself again while lines remain. */
  private drain = (): void => {
    this.drainScheduled = false;
    let budget = this.chunkLines;
    while (budget > 0 && this.pending.length > 0) {
      const head = this.pending[0]!;
      const end = Math.min(head.lines.length, head.at + budget);
      this.apply(head.lines, head.at, end);
      budget -= end - head.at;
      this.pendingCount -= end - head.at;
      head.at = end;
      if (head.at === head.lines.length) this.pending.shift();
    }
    if (this.pending.length > 0) {
      this.drainScheduled = true;
      this.defer(this.drain);
    }
  };

  private apply(lines: readonly LogLine[], from: number, to: number): void {
    let added = 0;
    let own: ServiceView | undefined;
    let ownName = '';
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      if (line.seq <= this.lastSeq) continue;
      this.lastSeq = line.seq;
      // Batches mostly come from one service at a time: skip the map lookup for a run of them.
      if (own === undefined || line.service !== ownName) {
        own = this.serviceView(line.service);
        ownName = line.service;
      }
      own.positions.push(this.all.push(line));
      own.appended++;
      own.version++;
      this.trimKept(own);
      while (this.all.length + this.keptTotal > this.totalCap) this.evictOldest();
      added++;
    }
    if (added > 0) {
      this.all.version++;
      for (const watcher of this.appendWatchers) watcher();
      this.notify(added);
    }
  }

  /** Replaces everything (a new snapshot: first connect or reconnect). */
  reset(lines: readonly LogLine[]): void {
    this.wipeAll();
    this.dropPending(null);
    this.lastSeq = -Infinity;
    this.append(lines);
    this.notify(0);
  }

  /** Forgets one service's lines (or all of them with null), as the supervisor did. */
  clear(service: string | null): void {
    // Lines still queued came before the clear: they go too.
    this.dropPending(service);
    if (service === null) {
      this.wipeAll();
    } else {
      const own = this.perService.get(service);
      if (own) this.keptTotal -= own.clear();
      this.all.lines.retain((e) => e.service !== service);
      this.all.wiped();
      // Removing from the middle moved every later line: rebuild the other services' positions.
      for (const view of this.perService.values()) view.positions.clear();
      for (let i = 0; i < this.all.length; i++) {
        const e = this.all.at(i) as LogEntry;
        this.perService.get(e.service)?.positions.push(this.all.first + i);
      }
    }
    this.notify(0);
  }

  private dropPending(service: string | null): void {
    if (service === null) {
      this.pending = [];
    } else {
      this.pending = this.pending
        .map(({ lines, at }) => ({ lines: lines.slice(at).filter((l) => l.service !== service), at: 0 }))
        .filter((b) => b.lines.length > 0);
    }
    this.pendingCount = this.pending.reduce((n, b) => n + b.lines.length, 0);
    // A drain already scheduled finds the queue as it is now (possibly empty), and append applies a
    // batch at once when nothing is ahead of it: nothing to cancel.
  }

  private evictOldest(): void {
    const e = this.all.shift();
    if (!e) return;
    const own = this.perService.get(e.service);
    if (!own) return;
    own.positions.shift();
    if (own.positions.length < this.floor) {
      // Oldest in the ring, newest of the evicted: it joins the back of the kept lines.
      own.kept.push(e);
      this.keptTotal++;
      this.trimKept(own);
    } else {
      own.version++;
    }
  }

  /** A service keeps old lines only while its ring lines are fewer than the floor. */
  private trimKept(view: ServiceView): void {
    while (view.kept.length > 0 && view.length > this.floor) {
      view.kept.shift();
      this.keptTotal--;
      view.version++;
    }
  }

  private wipeAll(): void {
    this.all.lines.clear();
    this.all.wiped();
    for (const view of this.perService.values()) view.clear();
    this.keptTotal = 0;
  }

  private serviceView(name: string): ServiceView {
    let view = this.perService.get(name);
    if (!view) {
      view = new ServiceView(this.all);
      this.perService.set(name, view);
      // One more service shares the reserve: lower everyone's floor now, so `reserve` holds.
      this.floor = Math.min(this.serviceFloor, Math.floor(this.reserve / this.perService.size));
      for (const other of this.perService.values()) this.trimKept(other);
    }
    return view;
  }

  private notify(lines: number): void {
    this.pendingLines += lines;
    if (this.notifyPending) return;
    this.notifyPending = true;
    this.schedule(() => {
      this.notifyPending = false;
      this.lastNotifiedLines = this.pendingLines;
      this.pendingLines = 0;
      for (const listener of [...this.listeners]) listener();
    }, Math.max(this.lastNotifiedLines, this.pendingLines) > BUSY_LINES);
  }
}
