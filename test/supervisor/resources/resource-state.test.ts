import { describe, expect, it } from 'vitest';
import { RESOURCE_HISTORY_CAP } from '../../../shared/types';
import type { TreeUsage } from '../../../electron/supervisor/resources/proc-usage';
import { applySample, cpuPercent, initialResources, noProcess, type ResourceState } from '../../../electron/supervisor/resources/resource-state';

const MiB = 1024 ** 2;
const usage = (rssMiB: number, ticks: Record<string, number> = {}): TreeUsage => ({
  ticks: new Map(Object.entries(ticks)),
  rssBytes: rssMiB * MiB,
  members: [{ pid: 1, startTime: 1 }],
});

function feed(rss: number[], limit: number | null): { state: ResourceState; crossings: Array<string | null> } {
  let state = initialResources();
  const crossings: Array<string | null> = [];
  rss.forEach((r, i) => {
    const out = applySample(state, { at: i * 2000, usage: usage(r), limit, clockTicks: 100 });
    state = out.state;
    crossings.push(out.crossed);
  });
  return { state, crossings };
}

describe('resource state', () => {
  it('computes CPU% from CPU-time gained over wall time, per process identity', () => {
    const prev = { at: 0, ticks: new Map([['10:5', 100], ['11:6', 50]]) };
    // 2 s later: pid 10 gained 100 ticks (1 s of CPU), pid 11 exited, pid 12 is new with 40 ticks.
    expect(cpuPercent(prev, new Map([['10:5', 200], ['12:9', 40]]), 2000, 100)).toBe(70);
    // A reused pid (other start time) is a new process, not a negative delta.
    expect(cpuPercent(prev, new Map([['10:77', 20]]), 2000, 100)).toBe(10);
    expect(cpuPercent(null, new Map([['10:5', 500]]), 2000, 100)).toBe(0);
  });

  it('flags over_ram once when RSS crosses the limit, and clears it below 95% of it', () => {
    const { state, crossings } = feed([50, 120, 130, 99, 94, 96, 110], 100 * MiB);
    expect(crossings).toEqual([null, 'over', null, null, 'under', null, 'over']);
    expect(state.view).toMatchObject({ rss_bytes: 110 * MiB, ram_limit_bytes: 100 * MiB, over_ram: true });
  });

  it('keeps a capped history across restarts and shows nothing while there is no process', () => {
    const { state } = feed(Array.from({ length: RESOURCE_HISTORY_CAP + 5 }, (_, i) => i), null);
    expect(state.history).toHaveLength(RESOURCE_HISTORY_CAP);
    expect(state.history[0]!.rss_bytes).toBe(5 * MiB);
    const gone = noProcess(state);
    expect(gone.view).toBeNull();
    expect(gone.history).toBe(state.history);
    expect(noProcess(gone)).toBe(gone);
    const back = applySample(gone, { at: 1e6, usage: usage(7), limit: null, clockTicks: 100 }).state;
    expect(back.view!.history).toHaveLength(RESOURCE_HISTORY_CAP);
    expect(back.view!.cpu_percent).toBe(0);
  });
});
