// The sampler's timer: on the wall-clock grid of its interval (shared with the phase-locked health
// checks), and silent once stopped — with the real timers and a real /proc sample.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/supervisor/clock';
import { ResourceMonitor } from '../../../electron/supervisor/resources/monitor';
import { waitFor } from '../../helpers/wait-for';

describe('ResourceMonitor timer', () => {
  it('samples near the grid points, repeatedly, and never after stop()', async () => {
    const at: number[] = [];
    const monitor = new ResourceMonitor({ intervalMs: 100, clock: systemClock, runners: () => [], onSampled: () => at.push(Date.now()) });
    try {
      await waitFor(() => at.length >= 3, { what: '3 samples' });
    } finally {
      monitor.stop();
    }
    // Timers fire late, never early: each sample lands just after a multiple of 100 ms (the median
    // phase, so that one sample delayed by a busy machine does not decide it).
    const phases = at.map((t) => t % 100).sort((a, b) => a - b);
    expect(phases[1]).toBeLessThan(50);
    // A second monitor on the same grid as the witness: by its second sample, a still-running first
    // one would have sampled again too.
    const count = at.length;
    let witness = 0;
    const other = new ResourceMonitor({ intervalMs: 100, clock: systemClock, runners: () => [], onSampled: () => witness++ });
    try {
      await waitFor(() => witness >= 2, { what: 'the witness sampling twice' });
    } finally {
      other.stop();
    }
    expect(at.length).toBe(count);
  });
});
