import { describe, expect, it } from 'vitest';
import { LABEL_GAP, layoutLabels, type LabelBox } from '../../renderer/src/model/timeline-labels';

const plot = { left: 60, right: 900 };

/** Two placed labels of one lane overlap (or come closer than the gap). */
function collisions(labels: LabelBox[]): Array<[number, number]> {
  const { placed } = layoutLabels(labels, plot);
  const hits: Array<[number, number]> = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const a = placed[i]!;
      const b = placed[j]!;
      if (a.lane !== b.lane) continue;
      const apart = a.left + labels[i]!.width + LABEL_GAP <= b.left || b.left + labels[j]!.width + LABEL_GAP <= a.left;
      if (!apart) hits.push([i, j]);
    }
  }
  return hits;
}

describe('layoutLabels', () => {
  it('keeps labels far apart in one lane, at their own x', () => {
    const layout = layoutLabels([{ x: 100, width: 80 }, { x: 400, width: 120 }, { x: 700, width: 50 }], plot);
    expect(layout).toEqual({ placed: [{ left: 100, lane: 0 }, { left: 400, lane: 0 }, { left: 700, lane: 0 }], lanes: 1 });
  });

  it('stacks the grace window, "started" and "healthy" (all near the run start) in three lanes', () => {
    // The shop example: grace band and started at 0 s, healthy 1.2 s later (~35 px), a capture far right.
    const labels = [
      { x: 60, width: 150 }, // grace: first 3 checks (m)
      { x: 60, width: 90 }, // started: initial
      { x: 95, width: 55 }, // healthy
      { x: 170, width: 170 }, // start deadline: 6 checks (n)
      { x: 400, width: 160 }, // capture cpu (node-inspector)
      { x: 400, width: 110 }, // snoozed (capture)
    ];
    const layout = layoutLabels(labels, plot);
    expect(collisions(labels)).toEqual([]);
    // The wider of two labels at one x takes the lower lane; the deadline fits past "started".
    expect(layout.placed.map((p) => p.lane)).toEqual([0, 1, 2, 1, 0, 1]);
    expect(layout.lanes).toBe(3);
  });

  it('ends a label at the plot\'s right edge rather than past it, and starts none left of the plot', () => {
    const layout = layoutLabels([{ x: 880, width: 100 }, { x: 10, width: 40 }], plot);
    expect(layout.placed).toEqual([{ left: 800, lane: 0 }, { left: 60, lane: 0 }]);
  });

  it('never lets two labels of a lane overlap, whatever their places', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const labels = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => ({ x: plot.left + rand() * 840, width: 20 + rand() * 200 }));
      expect(collisions(labels)).toEqual([]);
    }
  });
});
