// One shared sampler for the whole stack: every interval, the process table is read ONCE (through the
// process platform: /proc, ps, or CIM) and each running service gets the CPU/RSS of its process tree;
// services without a process are told so.
//
// It samples only while somebody needs the figures: a UI that shows them (watch()), or a service
// with a `resources.ram` limit, whose crossing must be noticed with nobody looking. Otherwise an idle
// stack costs no wake-up at all; a one-off `status` takes a sample of its own (sampleIfStale).
import type { Clock } from '../clock';
import type { ServiceRunner } from '../runner/service-runner';
import { everyGridPoint } from '../grid';
import type { UsageSample, UsageSampler } from '../process/platform/types';

export interface ResourceMonitorOptions {
  intervalMs: number;
  clock: Clock;
  /** The platform's sampler (process/platform/). */
  sampler: UsageSampler;
  runners(): Iterable<ServiceRunner>;
  /** After every runner got its sample (the supervisor flushes the changes as one batch). */
  onSampled(): void;
  /** Whether sampling is needed with no watcher (a service has a `resources.ram` limit). */
  needed?(): boolean;
}

/** The wait between a first sample and the one that gives CPU% to services never measured before. */
export const FIRST_LOOK_MS = 250;

export class ResourceMonitor {
  private stopTimer: (() => void) | null = null;
  private watchers = 0;
  private stopped = false;
  private lastSampleAt = Number.NEGATIVE_INFINITY;
  /** The sample under way (a ps or PowerShell table can take a while): a grid point meanwhile is skipped. */
  private inFlight: Promise<void> | null = null;

  constructor(private readonly opts: ResourceMonitorOptions) {
    this.update();
  }

  /** Whether samples are being taken on the interval right now. */
  get sampling(): boolean {
    return this.stopTimer !== null;
  }

  /** Someone shows the figures: sample on the interval until the returned function is called. */
  watch(): () => void {
    this.watchers++;
    this.update();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watchers--;
      this.update();
    };
  }

  /** Sampling can happen at all: an interval is set and the monitor is not stopped. */
  private get possible(): boolean {
    return this.opts.intervalMs > 0 && !this.stopped;
  }

  /** Starts or stops the interval as watchers and limits say (call after the services changed). */
  update(): void {
    const wanted = this.possible && (this.watchers > 0 || (this.opts.needed?.() ?? false));
    if (wanted && !this.stopTimer) {
      void this.sampleWithBaseline(); // a new watcher sees figures at once, not after an interval
      // On the grid the health checks are phase-locked to (grid.ts): sampling shares their wake-up.
      this.stopTimer = everyGridPoint(this.opts.intervalMs, () => this.opts.clock.now(), () => void this.sample());
    } else if (!wanted && this.stopTimer) {
      this.stopTimer();
      this.stopTimer = null;
      // A sample under way keeps what it reads; the next one after a pause starts from a full scan.
      if (!this.inFlight) this.opts.sampler.release?.();
    }
  }

  /** A sample now, unless sampling runs anyway or the last sample is younger than the interval. */
  async sampleIfStale(): Promise<void> {
    if (this.stopTimer || !this.possible) return;
    if (this.opts.clock.now() - this.lastSampleAt >= this.opts.intervalMs) await this.sampleWithBaseline();
    if (!this.stopTimer && !this.inFlight) this.opts.sampler.release?.(); // a one-off: nothing held for a next sample that may never come
  }

  /**
   * A sample now. CPU% is measured between two samples, so when a running service has none to compare
   * with yet (nobody looked since it started), a second one follows after FIRST_LOOK_MS: a page that
   * opens, or a one-off status, shows its CPU at once instead of 0% for an interval.
   */
  private async sampleWithBaseline(): Promise<void> {
    const unmeasured = [...this.opts.runners()].some((r) => r.rootPid !== null && !r.hasResourceBaseline);
    await this.sample();
    if (!unmeasured) return;
    // Long enough to see CPU time move at the backend's resolution (ps on Linux counts whole seconds).
    const wait = Math.max(FIRST_LOOK_MS, 2 * this.opts.sampler.cpuResolutionMs);
    await new Promise((resolve) => setTimeout(resolve, wait).unref());
    if (!this.stopped) await this.sample();
  }

  /**
   * One sample of every running service; a sample already under way is joined, not repeated. Applied at
   * once where the backend samples synchronously (linux), so a new watcher's snapshot has figures.
   */
  sample(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const roots = [...this.opts.runners()].map((r) => r.rootPid).filter((p): p is number => p !== null);
    const result = this.opts.sampler.sample(roots);
    if (!(result instanceof Promise)) {
      this.apply(result);
      return Promise.resolve();
    }
    this.inFlight = result.then((r) => this.apply(r)).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private apply({ trees, ticksPerSecond }: UsageSample): void {
    const at = this.opts.clock.now();
    this.lastSampleAt = at;
    // Runners are asked again: one that stopped or restarted while the table was read gets no stale figures.
    for (const r of this.opts.runners()) {
      const root = r.rootPid;
      r.applyResources(root === null ? null : (trees.get(root) ?? null), at, ticksPerSecond);
    }
    this.opts.onSampled();
  }

  stop(): void {
    this.stopped = true;
    this.update();
  }
}
