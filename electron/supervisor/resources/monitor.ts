// One shared sampler for the whole stack: every interval, /proc is read ONCE and each running
// service gets the CPU/RSS of its process tree; services without a process are told so.
import type { Clock } from '../clock';
import type { ServiceRunner } from '../service-runner';
import { everyGridPoint } from '../grid';
import { sampleTrees, systemUnits } from './proc-usage';

export interface ResourceMonitorOptions {
  intervalMs: number;
  clock: Clock;
  runners(): Iterable<ServiceRunner>;
  /** After every runner got its sample (the supervisor flushes the changes as one batch). */
  onSampled(): void;
}

export class ResourceMonitor {
  private readonly stopTimer: (() => void) | null;

  constructor(private readonly opts: ResourceMonitorOptions) {
    // On the grid the health checks are phase-locked to (grid.ts): sampling shares their wake-up.
    this.stopTimer = opts.intervalMs > 0 && process.platform === 'linux' ? everyGridPoint(opts.intervalMs, () => opts.clock.now(), () => this.sample()) : null;
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
    this.stopTimer?.();
  }
}
