// One shared sampler for the whole stack: every interval, /proc is read ONCE and each running
// service gets the CPU/RSS of its process tree; services without a process are told so.
import type { Clock } from '../clock';
import type { ServiceRunner } from '../service-runner';
import { sampleTrees, systemUnits } from './proc-usage';

export interface ResourceMonitorOptions {
  intervalMs: number;
  clock: Clock;
  runners(): Iterable<ServiceRunner>;
  /** After every runner got its sample (the supervisor flushes the changes as one batch). */
  onSampled(): void;
}

/** Milliseconds from `now` to the next multiple of `intervalMs`, skipping one that is (nearly) now. */
export function delayToGrid(now: number, intervalMs: number): number {
  const delay = intervalMs - (((now % intervalMs) + intervalMs) % intervalMs);
  // A timer fired a hair before the grid point by this clock must not sample twice in a row.
  return delay < intervalMs * 0.05 ? delay + intervalMs : delay;
}

export class ResourceMonitor {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: ResourceMonitorOptions) {
    if (opts.intervalMs > 0 && process.platform === 'linux') this.arm();
  }

  /**
   * Samples on the wall-clock grid of the interval (multiples of intervalMs), the grid the health
   * checks are phase-locked to (health/schedule.ts): sampling shares their wake-up instead of adding its own.
   */
  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      try {
        this.sample();
      } finally {
        if (!this.stopped) this.arm();
      }
    }, delayToGrid(this.opts.clock.now(), this.opts.intervalMs));
    this.timer.unref();
  }

  sample(): void {
    const runners = [...this.opts.runners()];
    const roots = runners.map((r) => r.rootPid).filter((p): p is number => p !== null);
    const usage = sampleTrees(roots);
    const at = this.opts.clock.now();
    const { clockTicks } = roots.length ? systemUnits() : { clockTicks: 100 };
    for (const r of runners) {
      const root = r.rootPid;
      r.applyResources(root === null ? null : (usage.get(root) ?? null), at, clockTicks);
    }
    this.opts.onSampled();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
