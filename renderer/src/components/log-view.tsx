import { useCallback, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import type { LogRows } from '../logs/use-log-rows';
import { rowRange, useViewport } from '../logs/use-row-window';
import { LogRow } from './log-row';

export const ROW_HEIGHT = 20;
/** Rows above and below the viewport. Small: the rows are cheap to add and, while following, the
 * whole visible tail is replaced on every step anyway. */
export const OVERSCAN = 5;
/** jsdom (and a hidden window) measure 0: some rows still render, as in a 600 px viewport. */
const FALLBACK_HEIGHT = 600;

export interface LogViewHandle {
  /** Scrolls so the row is in the middle of the viewport. */
  scrollToRow(index: number): void;
}

export interface LogViewProps {
  rows: LogRows;
  label: string;
  showService: boolean;
  follow: boolean;
  currentRow: number;
  /** Called on user scrolls with whether the viewport is at the bottom. */
  onScrolled(atBottom: boolean): void;
  ref?: Ref<LogViewHandle>;
}

/**
 * Windowed, fixed-height, monospaced rows: only what is on screen (plus overscan) is in the DOM, and
 * which rows those are is arithmetic (use-row-window.ts). Under a chatty stack this is the hot path,
 * so it never reads layout (scrollHeight) after a commit: rows are a constant ROW_HEIGHT, so every
 * offset is rows x ROW_HEIGHT. While following, the rows shown are the tail whatever the scroll
 * event says, so they are right in the very commit that added them. The store already limits
 * commits to ~10/s while lines pour in.
 */
export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { count, view, filtered } = rows;
  const viewport = useViewport(scroller, ROW_HEIGHT, FALLBACK_HEIGHT);
  const { setTop } = viewport;

  // Offsets we set ourselves are told to the viewport at once, so the rows at the new place render
  // in the same frame (the scroll event comes a frame later, and never in jsdom).
  const scrollTo = useCallback(
    (el: HTMLDivElement, top: number) => {
      el.scrollTop = top;
      setTop(top);
    },
    [setTop],
  );

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      const el = scroller.current;
      if (!el) return;
      scrollTo(el, Math.max(0, index * ROW_HEIGHT - el.clientHeight / 2 + ROW_HEIGHT / 2));
    },
  }));

  // Follow the tail; when paused, keep the same lines in place while the full ring drops old lines.
  const last = useRef({ epoch: view.epoch, view, dropped: view.appended - view.length, followTop: -1 });
  useLayoutEffect(() => {
    const el = scroller.current;
    const dropped = view.appended - view.length;
    const prev = last.current;
    const next = { epoch: view.epoch, view, dropped, followTop: -1 };
    last.current = next;
    if (!el) return;
    if (follow) {
      // Past the end: the browser clamps to the bottom. Once the ring is full the count stops
      // changing and the view stays at the bottom by itself, so most commits write (and lay out) nothing here.
      const top = count * ROW_HEIGHT;
      next.followTop = top;
      if (top !== prev.followTop || view !== prev.view) scrollTo(el, top);
    } else if (!filtered && prev.view === view && prev.epoch === view.epoch && dropped > prev.dropped) {
      // A filtered view's rows are matches, which the ring's drops do not shift.
      scrollTo(el, Math.max(0, el.scrollTop - (dropped - prev.dropped) * ROW_HEIGHT));
    }
  }, [follow, count, rows, view, filtered, scrollTo]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setTop(el.scrollTop);
    onScrolled(count * ROW_HEIGHT - el.scrollTop - el.clientHeight <= ROW_HEIGHT);
  };

  // While following, each step shows new lines: no overscan (nothing is scrolled into view), and rows
  // keyed by their place on screen, so a step updates the rows in place instead of building new ones.
  // When the user scrolls, rows keep their line (keyed by seq) and only the ones scrolled in are new.
  const { start, end } = rowRange(follow ? count * ROW_HEIGHT : viewport.top, viewport.height, count, ROW_HEIGHT, follow ? 0 : OVERSCAN);
  const shown = [];
  for (let index = start; index < end; index++) {
    const entry = rows.rowAt(index);
    if (!entry) continue;
    const key = follow ? `at ${index - start}` : entry.seq;
    shown.push(<LogRow key={key} entry={entry} height={ROW_HEIGHT} showService={showService} needle={rows.needle} current={index === currentRow} />);
  }
  // Rows in normal flow under a padded canvas rather than each absolutely positioned or translated:
  // a positioned row is a paint layer of its own, and painting ~50 layers per follow step was the
  // page's largest cost under a chatty stack.
  return (
    <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} data-scroller="">
      <div className="log-canvas" style={{ height: count * ROW_HEIGHT, paddingTop: start * ROW_HEIGHT, boxSizing: 'border-box' }}>
        {shown}
      </div>
    </div>
  );
}
