// One service's health history across its runs (../health/timeline.ts keeps it bounded and pure); the
// runner, its health loop, its snooze tracker and its captures each tell it what happened.
import type { HealthRun } from '../../../shared/types';
import { applyTimeline, emptyTimeline, type HealthTimeline, type TimelineInput } from '../health/timeline';

export class HealthHistory {
  private timeline: HealthTimeline = emptyTimeline();

  record(input: TimelineInput): void {
    this.timeline = applyTimeline(this.timeline, input);
  }

  get runs(): HealthRun[] {
    return this.timeline.runs;
  }
}
