import { memo, useMemo, type CSSProperties } from 'react';
import type { LogEntry } from '../logs/log-store';
import type { Segment } from '../logs/ansi';
import { rowSegments } from '../logs/row-segments';
import { findRanges, splitByRanges } from '../logs/search';
import { serviceColourSlot } from '../logs/service-colour';
import { rowClock } from '../logs/row-clock';

export interface LogRowProps {
  entry: LogEntry;
  height: number;
  showService: boolean;
  needle: string;
  current: boolean;
}

// Rows are in normal flow under the view's padded canvas (see logs.css); the position is not a prop,
// so a row that only moved up is not re-rendered. One shared style object per height.
const ROW_STYLE: Record<number, CSSProperties> = {};
function rowStyle(height: number): CSSProperties {
  return (ROW_STYLE[height] = { height });
}

/** One log line: time, service prefix (all-services view), ANSI-coloured text with search marks. */
export const LogRow = memo(function LogRow({ entry, height, showService, needle, current }: LogRowProps) {
  const parts = useMemo((): ReadonlyArray<Segment & { match?: boolean }> => {
    const segments = rowSegments(entry);
    // Without a search the parsed segments are shown as they are: no per-row copies.
    if (!needle) return segments;
    return splitByRanges(segments, findRanges(segments.map((s) => s.text).join(''), needle));
  }, [entry, needle]);
  const clock = rowClock(entry.ts);
  return (
    <div
      className={`log-row stream-${entry.stream}${current ? ' current' : ''}`}
      style={ROW_STYLE[height] ?? rowStyle(height)}
      data-seq={entry.seq}
    >
      <span className="log-ts" title={clock.long}>
        {clock.short}
      </span>
      {showService && <span className={`log-svc svc-${serviceColourSlot(entry.service)}`}>{entry.service}</span>}
      <span className="log-text">
        {entry.stream === 'system' && <span className="log-sys-mark">hearth ›</span>}
        {parts.map((p, i) => {
          const style = p.color || p.background ? { color: p.color, background: p.background } : undefined;
          const content = p.match ? (
            <mark key={i} className={current ? 'current' : undefined}>
              {p.text}
            </mark>
          ) : (
            p.text
          );
          // Unstyled text is a text node of its own, not a span: most of a line is, and a follow step
          // builds or updates ~50 rows, so each span less is ~50 fewer elements to create, style and
          // lay out (the load's first renders, by not-yet-optimised code, were among its longest tasks).
          if (!p.className && !style) return content;
          return (
            <span key={i} className={p.className} style={style}>
              {content}
            </span>
          );
        })}
        {entry.truncated && <span className="log-trunc"> … [line truncated]</span>}
      </span>
    </div>
  );
});
