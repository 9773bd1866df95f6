// Where the timeline's labels go: in lanes above the plot, so that no label covers another, a probe point
// or the axis. Each label starts at its line or band (x in pixels) and takes the lowest lane where it fits;
// one that would run past the plot's right edge ends there instead. Pure: pixels and widths in, lanes out.

export interface LabelBox {
  /** Where the label's line or band begins, in pixels. */
  x: number;
  /** The label's width in pixels (text and swatch). */
  width: number;
}

export interface PlacedLabel {
  /** Left edge of the label, in pixels (x, or moved left to stay inside the plot). */
  left: number;
  /** 0 is the lane just above the plot; 1 above that, and so on. */
  lane: number;
}

export interface LabelLayout {
  placed: PlacedLabel[];
  lanes: number;
}

/** Space kept between two labels of one lane. */
export const LABEL_GAP = 8;

export function layoutLabels(labels: readonly LabelBox[], plot: { left: number; right: number }): LabelLayout {
  const placed: PlacedLabel[] = labels.map((l) => ({ left: Math.max(plot.left, Math.min(l.x, plot.right - l.width)), lane: 0 }));
  // Left to right; among labels at one place, the wider first (a band before the mark on its edge).
  const order = labels.map((_, i) => i).sort((a, b) => placed[a]!.left - placed[b]!.left || labels[b]!.width - labels[a]!.width);
  const laneEnds: number[] = [];
  for (const i of order) {
    const p = placed[i]!;
    let lane = laneEnds.findIndex((end) => end + LABEL_GAP <= p.left);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = p.left + labels[i]!.width;
    p.lane = lane;
  }
  return { placed, lanes: laneEnds.length };
}

/** A label's width without a browser's text metrics (tests, jsdom): generous, so estimates never overlap. */
export function estimateTextWidth(text: string, fontPx: number): number {
  return Math.ceil(text.length * fontPx * 0.62);
}
