import { useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import type { LogRows } from '../logs/use-log-rows';
import { droppedOf, rowWindow, type ScrollPlace } from '../logs/row-window';
import { LogRow } from './log-row';

export const ROW_HEIGHT = 20;

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

// jsdom (and a hidden window) measure 0: assume a usual viewport so some rows render.
const FALLBACK_HEIGHT = 600;
const START: ScrollPlace = { top: 0, dropped: 0, view: null, epoch: 0, filtered: false };

/**
 * Virtualized, fixed-height, monospaced rows: only what is on screen (plus overscan) is in the DOM.
 * Under a chatty stack this is the hot path, so it never reads layout (scrollHeight) after a commit:
 * every size is rows x ROW_HEIGHT. The store already limits commits to ~10/s while lines pour in.
 */
export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { count, view, filtered } = rows;
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  const [place, setPlace] = useState<ScrollPlace>(START);

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      const el = scroller.current;
      if (!el) return;
      const top = Math.max(0, index * ROW_HEIGHT - el.clientHeight / 2 + ROW_HEIGHT / 2);
      el.scrollTop = top;
      // Render the target rows now rather than on the scroll event a frame later (no blank frame).
      setPlace({ top, dropped: droppedOf(rows), view, epoch: view.epoch, filtered });
    },
  }));

  // The viewport height, measured once and on resizes (not per commit).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (h: number) => setHeight(h > 0 ? h : FALLBACK_HEIGHT);
    measure(el.clientHeight);
    if (typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver((entries) => measure(entries[0]?.contentRect.height ?? 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Follow the tail; when paused, keep the same lines in place while the full ring drops old lines.
  const last = useRef({ epoch: view.epoch, view, dropped: droppedOf(rows), followTop: -1, height });
  useLayoutEffect(() => {
    const el = scroller.current;
    const dropped = droppedOf({ count, view, filtered });
    const prev = last.current;
    const next = { epoch: view.epoch, view, dropped, followTop: -1, height };
    last.current = next;
    if (!el) return;
    if (follow) {
      // Past the end: the browser clamps to the bottom. Once the ring is full the count stops changing
      // and the view stays at the bottom by itself, so most commits write (and lay out) nothing here.
      const top = count * ROW_HEIGHT;
      next.followTop = top;
      if (top !== prev.followTop || height !== prev.height || view !== prev.view) el.scrollTop = top;
      return;
    }
    if (prev.followTop >= 0) {
      // Following just stopped without a scroll (a search step, a jump, the "f" key): the rows to show
      // are where the view is now, which the scroll handler did not record while following.
      setPlace({ top: el.scrollTop, dropped, view, epoch: view.epoch, filtered });
    } else if (prev.view === view && prev.epoch === view.epoch && dropped > prev.dropped) {
      el.scrollTop = Math.max(0, el.scrollTop - (dropped - prev.dropped) * ROW_HEIGHT);
    }
  }, [follow, count, rows, view, filtered, height]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    const atBottom = count * ROW_HEIGHT - top - el.clientHeight <= ROW_HEIGHT;
    // While following at the bottom the tail is rendered whatever the position: no state to update.
    if (!follow || !atBottom) setPlace({ top, dropped: droppedOf(rows), view, epoch: view.epoch, filtered });
    onScrolled(atBottom);
  };

  const { first, last: end } = rowWindow(rows, follow, place, height, ROW_HEIGHT);
  const items = [];
  for (let i = first; i < end; i++) {
    const entry = rows.rowAt(i);
    if (!entry) continue;
    items.push(
      <LogRow
        key={entry.seq}
        entry={entry}
        height={ROW_HEIGHT}
        showService={showService}
        needle={rows.needle}
        current={i === currentRow}
      />,
    );
  }
  return (
    <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} data-scroller="">
      <div className="log-canvas" style={{ height: count * ROW_HEIGHT, paddingTop: first * ROW_HEIGHT, boxSizing: 'border-box' }}>
        {items}
      </div>
    </div>
  );
}
