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

export class ResourceMonitor {
  private readonly timer: NodeJS.Timeout | null;

  constructor(private readonly opts: ResourceMonitorOptions) {
    this.timer = opts.intervalMs > 0 && process.platform === 'linux' ? setInterval(() => this.sample(), opts.intervalMs) : null;
    this.timer?.unref();
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
    if (this.timer) clearInterval(this.timer);
  }
}
