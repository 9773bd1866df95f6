// The CPU/RSS figures of one service, fed by the stack's shared sampler (../resources/monitor.ts): the
// pure state (../resources/resource-state.ts) plus the one log line each time RSS crosses resources.ram.
import type { ServiceResources } from '../../../shared/types';
import { formatSize } from '../../../shared/format-size';
import type { TreeUsage } from '../resources/proc-usage';
import { applySample, initialResources, noProcess, type ResourceState } from '../resources/resource-state';

export class ResourceTracker {
  private state: ResourceState = initialResources();

  constructor(
    private readonly note: (text: string) => void,
    private readonly onChange: () => void,
  ) {}

  get view(): ServiceResources | null {
    return this.state.view;
  }

  /** Whether the current process was sampled before, so the next sample can tell its CPU%. */
  get hasBaseline(): boolean {
    return this.state.prev !== null;
  }

  /** The process is gone: no figures until the next one is sampled (the history stays). */
  clear(): void {
    this.state = noProcess(this.state);
  }

  /** One sample of the tree (null: no process). Warns once each time RSS crosses `limit`. */
  apply(usage: TreeUsage | null, at: number, clockTicks: number, limit: number | null): void {
    if (usage === null || usage.members.length === 0) {
      const next = noProcess(this.state);
      if (next !== this.state) {
        this.state = next;
        this.onChange();
      }
      return;
    }
    const { state, crossed } = applySample(this.state, { at, usage, limit, clockTicks });
    this.state = state;
    if (crossed === 'over' && limit !== null) {
      this.note(`memory ${formatSize(usage.rssBytes)} is over resources.ram ${formatSize(limit)} (warning only: the service keeps running)`);
    } else if (crossed === 'under' && limit !== null) {
      this.note(`memory back under resources.ram ${formatSize(limit)} (${formatSize(usage.rssBytes)})`);
    }
    this.onChange();
  }
}
