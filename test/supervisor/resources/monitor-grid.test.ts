// The sampler's timer: on the wall-clock grid of its interval (shared with the phase-locked health
// checks), and silent once stopped — with the real timers and a real /proc sample.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/supervisor/clock';
import { ResourceMonitor } from '../../../electron/supervisor/resources/monitor';
import { linuxPlatform } from '../../../electron/supervisor/process/platform/linux';
import { waitFor } from '../../helpers/wait-for';

const sampler = linuxPlatform().usageSampler();

describe('ResourceMonitor timer', () => {
  it('samples near the grid points, repeatedly, and never after stop()', async () => {
    const at: number[] = [];
    const monitor = new ResourceMonitor({ intervalMs: 100, clock: systemClock, sampler, runners: () => [], onSampled: () => at.push(Date.now()) });
    monitor.watch();
    at.length = 0; // the sample a new watcher gets at once is off the grid
    try {
      await waitFor(() => at.length >= 6, { what: '6 samples' });
    } finally {
      monitor.stop();
    }
    // Near the grid points: a timer fires late on a busy machine, or a millisecond early against the wall
    // clock (libuv arms it from the loop's cached time). All but one within 15 ms of a multiple of 100 ms;
    // samples at random phases would almost never manage that.
    const offGrid = at.map((t) => Math.min(t % 100, 100 - (t % 100)));
    expect(offGrid.filter((d) => d <= 15).length).toBeGreaterThanOrEqual(at.length - 1);
    // A second monitor on the same grid as the witness: by its second sample, a still-running first
    // one would have sampled again too.
    const count = at.length;
    let witness = 0;
    const other = new ResourceMonitor({ intervalMs: 100, clock: systemClock, sampler, runners: () => [], onSampled: () => witness++ });
    other.watch();
    try {
      await waitFor(() => witness >= 2, { what: 'the witness sampling twice' });
    } finally {
      other.stop();
    }
    expect(at.length).toBe(count);
  });

  it('samples only while watched or needed (a resources.ram limit), at once when a watch begins', async () => {
    let samples = 0;
    let needed = false;
    const monitor = new ResourceMonitor({ intervalMs: 50, clock: systemClock, sampler, runners: () => [], onSampled: () => samples++, needed: () => needed });
    const witness = new ResourceMonitor({ intervalMs: 50, clock: systemClock, sampler, runners: () => [], onSampled: () => witnessed++ });
    let witnessed = 0;
    try {
      expect(monitor.sampling).toBe(false);
      const unwatchA = monitor.watch();
      expect(samples).toBe(1); // synchronously: a page that opens sees figures at once
      const unwatchB = monitor.watch();
      expect(samples).toBe(1);
      await waitFor(() => samples >= 3, { what: 'samples on the interval' });
      unwatchA();
      unwatchA(); // idempotent: must not release B's watch
      expect(monitor.sampling).toBe(true);
      unwatchB();
      expect(monitor.sampling).toBe(false);
      const after = samples;
      witness.watch();
      await waitFor(() => witnessed >= 3, { what: 'the witness sampling twice on the same grid' });
      expect(samples).toBe(after);
      needed = true;
      monitor.update();
      expect(monitor.sampling).toBe(true);
      expect(samples).toBe(after + 1);
      needed = false;
      monitor.update();
      expect(monitor.sampling).toBe(false);
    } finally {
      monitor.stop();
      witness.stop();
    }
  });
});

describe('ResourceMonitor release', () => {
  it("lets go of the sampler's held files when the last watcher leaves, and after a one-off sample", async () => {
    let released = 0;
    let samples = 0;
    const counting = {
      ...sampler,
      sample: (roots: readonly number[]) => {
        samples++;
        return sampler.sample(roots);
      },
      release: () => void released++,
    };
    const monitor = new ResourceMonitor({ intervalMs: 50, clock: systemClock, sampler: counting, runners: () => [], onSampled: () => {} });
    try {
      const a = monitor.watch();
      const b = monitor.watch();
      await waitFor(() => samples >= 2, { what: 'samples on the interval' });
      a();
      expect(released).toBe(0); // one watcher is left: the next sample re-reads what is held
      b();
      expect(released).toBe(1);
      // While a watcher samples on the interval a status takes no sample of its own and releases nothing.
      const c = monitor.watch();
      await monitor.sampleIfStale();
      expect(released).toBe(1);
      c();
      expect(released).toBe(2);
    } finally {
      monitor.stop();
    }
    // A one-off status with nobody watching (a monitor never sampled: stale) samples, then holds
    // nothing for a next sample that may never come.
    const oneOff = new ResourceMonitor({ intervalMs: 50, clock: systemClock, sampler: counting, runners: () => [], onSampled: () => {} });
    const before = samples;
    await oneOff.sampleIfStale();
    expect(samples).toBeGreaterThan(before);
    expect(released).toBe(3);
    oneOff.stop();
  });
});
