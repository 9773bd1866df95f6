// The rows a log panel shows: a view (all services or one), optionally filtered by the search.
// Re-renders only when that view's version changes.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { LogEntry, LogStore, LogView, ViewKey } from './log-store';
import { MatchIndex } from './match-index';
import { normaliseQuery } from './search';

export interface LogRows {
  view: LogView;
  version: number;
  /** Lower-cased search needle ('' = no search). */
  needle: string;
  /** Lines matching the search, oldest first. */
  matches: readonly LogEntry[];
  /** Showing only the matches. */
  filtered: boolean;
  count: number;
  /** Most rows this view can ever have (the store's capacity): the virtualizer's table is sized for it. */
  capacity: number;
  rowAt(index: number): LogEntry | undefined;
  /** Row index of a line (by seq) in the current row space, or -1. */
  rowOfSeq(seq: number): number;
}

export function useLogRows(logs: LogStore, key: ViewKey, search: string, filter: boolean): LogRows {
  const version = useSyncExternalStore(logs.subscribe, () => logs.versionOf(key));
  const view = logs.view(key);
  const needle = normaliseQuery(search);
  const index = useMemo(() => new MatchIndex(view, needle), [view, needle]);
  // The index scans each batch as it arrives, outside renders; a render then finds little left to scan.
  useEffect(() => (needle ? logs.onAppend(() => index.scan()) : undefined), [logs, index, needle]);
  // `version` is the reason to recompute: the index reads new lines from the (mutable) view.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const matches = useMemo(() => index.update(), [index, version]);
  const filtered = filter && needle !== '';
  const { capacity } = logs;
  return useMemo(() => {
    if (filtered) {
      return {
        view, version, needle, matches, filtered, count: matches.length, capacity,
        rowAt: (i: number) => matches[i],
        rowOfSeq: (seq: number) => bsearchSeq(matches, seq),
      };
    }
    return {
      view, version, needle, matches, filtered, count: view.length, capacity,
      rowAt: (i: number) => view.at(i),
      rowOfSeq: (seq: number) => view.indexOfSeq(seq),
    };
  }, [view, version, needle, matches, filtered, capacity]);
}

function bsearchSeq(list: readonly LogEntry[], seq: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = (list[mid] as LogEntry).seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
