// ANSI parsing happens only for rows that are rendered, once per line: rows re-mount as they scroll
// in and out of view (and on every follow step), so the parse is memoised by seq. The memo is small
// and bounded: it only needs to cover a few screens of rows.
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
  const segments = ansiSegments(text);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as number);
  memo.set(entry.seq, { text, segments });
  return segments;
}
