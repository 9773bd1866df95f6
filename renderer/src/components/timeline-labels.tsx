import { useEffect, useMemo } from 'react';
import { usePlotArea, useXAxisScale } from 'recharts';
import { estimateTextWidth, layoutLabels } from '../model/timeline-labels';

export interface TimelineLabel {
  /** Seconds since the run began: where the mark's line or the band starts. */
  t: number;
  text: string;
  colour: string;
  /** A mark's line (drawn as a bar beside its text) or a band (a filled square). */
  swatch: 'line' | 'band';
}

const FONT_PX = 11;
const LANE_PX = 16;
const SWATCH_PX = 10;
/** Lane 0's baseline this far above the plot: clear of a probe point drawn on the plot's top edge. */
const ABOVE_PLOT_PX = 10;

/** The chart's top margin that holds `lanes` lanes of labels. */
export function labelLanesMargin(lanes: number): number {
  return ABOVE_PLOT_PX + Math.max(lanes, 1) * LANE_PX;
}

let canvas: OffscreenCanvasRenderingContext2D | null | undefined;
function textWidth(text: string): number {
  if (canvas === undefined) canvas = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext('2d');
  if (!canvas) return estimateTextWidth(text, FONT_PX);
  canvas.font = `${FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  return Math.ceil(canvas.measureText(text).width);
}

/**
 * The grace window's, the start deadline's, the snooze's and every mark's label, in lanes above the plot
 * (recharts' own label positions put them over each other and over the points). Inside the chart, to read
 * its scale; it reports how many lanes it needs so the chart's top margin can make room.
 */
export function TimelineLabels({ labels, onLanes }: { labels: readonly TimelineLabel[]; onLanes(lanes: number): void }) {
  const plot = usePlotArea();
  const scale = useXAxisScale();
  const layout = useMemo(() => {
    if (!plot || !scale) return null;
    const boxes = labels.map((l) => ({ x: scale(l.t) ?? plot.x, width: SWATCH_PX + textWidth(l.text) }));
    return layoutLabels(boxes, { left: plot.x, right: plot.x + plot.width });
  }, [labels, plot, scale]);
  const lanes = layout?.lanes ?? 0;
  useEffect(() => onLanes(lanes), [lanes, onLanes]);
  if (!plot || !layout) return null;
  return (
    <g className="timeline-labels">
      {labels.map((l, i) => {
        const at = layout.placed[i]!;
        const baseline = plot.y - ABOVE_PLOT_PX - at.lane * LANE_PX;
        return (
          <g key={i} className="timeline-label">
            {l.swatch === 'band' ? (
              <rect x={at.left} y={baseline - 8} width={7} height={7} fill={l.colour} fillOpacity={0.5} />
            ) : (
              <rect x={at.left} y={baseline - 9} width={2} height={11} fill={l.colour} />
            )}
            <text x={at.left + SWATCH_PX} y={baseline} fontSize={FONT_PX} fill={l.swatch === 'band' ? 'var(--fg-muted)' : l.colour}>
              {l.text}
            </text>
          </g>
        );
      })}
    </g>
  );
}
