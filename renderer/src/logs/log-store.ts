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
}

/** Lines per notification above which the view is "busy" (about two screenfuls of 20 px rows). */
export const BUSY_LINES = 100;
/** Minimum time between notifications while busy: about 10 renders a second. */
export const BUSY_INTERVAL_MS = 100;

function nextFrame(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
}

/** The default scheduler: next animation frame, and no sooner than BUSY_INTERVAL_MS after the last run when busy. */
export function frameSchedule(now: () => number = () => performance.now()): LogSchedule {
  let last = -Infinity;
  return (run, busy) => {
    const stamped = () => {
      last = now();
      run();
    };
    const wait = busy ? last + BUSY_INTERVAL_MS - now() : 0;
    if (wait > 0) setTimeout(() => nextFrame(stamped), wait);
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

  constructor(options: LogStoreOptions = {}) {
    this.totalCap = options.totalCap ?? 100_000;
    this.serviceFloor = options.serviceFloor ?? 2_000;
    // Below totalCap, so the ring always keeps room for new lines.
    this.reserve = Math.min(options.reserve ?? Math.floor(this.totalCap / 10), this.totalCap - 1);
    this.schedule = options.schedule ?? frameSchedule();
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

  /** Lines held right now (ring plus kept): never more than totalCap. */
  get size(): number {
    return this.all.length + this.keptTotal;
  }

  /** Appends one batch (ordered by seq). Lines at or below the last seen seq are duplicates and skipped. */
  append(lines: readonly LogLine[]): void {
    let added = 0;
    let own: ServiceView | undefined;
    let ownName = '';
    for (const line of lines) {
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
    this.lastSeq = -Infinity;
    this.append(lines);
    this.notify(0);
  }

  /** Forgets one service's lines (or all of them with null), as the supervisor did. */
  clear(service: string | null): void {
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
