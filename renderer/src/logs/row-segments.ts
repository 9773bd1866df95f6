// ANSI parsing happens only for rows that are rendered, once per line: rows re-mount as they scroll
// in and out of view (and on every follow step), so the parse is memoised by seq. The memo is small
// and bounded: it only needs to cover a few screens of rows.
import { hasBidiControls, splitBidi } from '../../../shared/bidi';
import { ansiSegments, type Segment } from './ansi';
import { displayText } from './entry-text';
import type { LogEntry } from './log-store';

const MEMO_MAX = 1000;
const memo = new Map<number, { text: string; segments: Segment[] }>();

export function rowSegments(entry: LogEntry): Segment[] {
  const text = displayText(entry);
  const hit = memo.get(entry.seq);
  // A reset can reuse seqs for other lines (a new supervisor): the text must match too.
  if (hit && hit.text === text) return hit.segments;
  const segments = hasBidiControls(text) ? ansiSegments(text).flatMap(markBidi) : ansiSegments(text);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as number);
  memo.set(entry.seq, { text, segments });
  return segments;
}

/**
 * A segment with bidi controls (U+202E…) split so each control is its own visible mark, styled apart
 * from the text: the browser never applies them, so the row reads in the order it was written.
 */
function markBidi(segment: Segment): Segment[] {
  return splitBidi(segment.text).map((part) =>
    part.control ? { ...segment, text: part.text, className: segment.className ? `${segment.className} bidi-mark` : 'bidi-mark' } : { ...segment, text: part.text },
  );
}
