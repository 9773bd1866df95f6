// One shared sampler for the whole stack: every interval, /proc is read ONCE and each running
// service gets the CPU/RSS of its process tree; services without a process are told so.
//
// It samples only while somebody needs the figures: a UI that shows them (watch()), or a service
// with a `resources.ram` limit, whose crossing must be noticed with nobody looking. Otherwise an idle
// stack costs no wake-up at all; a one-off `status` takes a sample of its own (sampleIfStale).
import type { Clock } from '../clock';
import type { ServiceRunner } from '../runner/service-runner';
import { everyGridPoint } from '../grid';
import { TreeSampler, systemUnits } from './proc-usage';

export interface ResourceMonitorOptions {
  intervalMs: number;
  clock: Clock;
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
  private readonly trees = new TreeSampler();

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

  /** Sampling can happen at all: an interval is set, /proc exists, and the monitor is not stopped. */
  private get possible(): boolean {
    return this.opts.intervalMs > 0 && process.platform === 'linux' && !this.stopped;
  }

  /** Starts or stops the interval as watchers and limits say (call after the services changed). */
  update(): void {
    const wanted = this.possible && (this.watchers > 0 || (this.opts.needed?.() ?? false));
    if (wanted && !this.stopTimer) {
      void this.sampleWithBaseline(); // a new watcher sees figures at once, not after an interval
      // On the grid the health checks are phase-locked to (grid.ts): sampling shares their wake-up.
      this.stopTimer = everyGridPoint(this.opts.intervalMs, () => this.opts.clock.now(), () => this.sample());
    } else if (!wanted && this.stopTimer) {
      this.stopTimer();
      this.stopTimer = null;
    }
  }

  /** A sample now, unless sampling runs anyway or the last sample is younger than the interval. */
  async sampleIfStale(): Promise<void> {
    if (this.stopTimer || !this.possible) return;
    if (this.opts.clock.now() - this.lastSampleAt >= this.opts.intervalMs) await this.sampleWithBaseline();
  }

  /**
   * A sample now. CPU% is measured between two samples, so when a running service has none to compare
   * with yet (nobody looked since it started), a second one follows after FIRST_LOOK_MS: a page that
   * opens, or a one-off status, shows its CPU at once instead of 0% for an interval.
   */
  private sampleWithBaseline(): Promise<void> {
    const unmeasured = [...this.opts.runners()].some((r) => r.rootPid !== null && !r.hasResourceBaseline);
    this.sample();
    if (!unmeasured) return Promise.resolve();
    return new Promise((resolve) => {
      setTimeout(() => {
        if (!this.stopped) this.sample();
        resolve();
      }, FIRST_LOOK_MS).unref();
    });
  }

  sample(): void {
    const runners = [...this.opts.runners()];
    const roots = runners.map((r) => r.rootPid).filter((p): p is number => p !== null);
    const usage = this.trees.sample(roots);
    const at = this.opts.clock.now();
    this.lastSampleAt = at;
    const { clockTicks } = roots.length ? systemUnits() : { clockTicks: 100 };
    for (const r of runners) {
      const root = r.rootPid;
      r.applyResources(root === null ? null : (usage.get(root) ?? null), at, clockTicks);
    }
    this.opts.onSampled();
  }

  stop(): void {
    this.stopped = true;
    this.update();
  }
}
