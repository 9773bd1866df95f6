import { useCallback, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { observeElementOffset, observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { LogRows } from '../logs/use-log-rows';
import { LogRow } from './log-row';

export const ROW_HEIGHT = 20;
/** Rows above and below the viewport when the user scrolls. Small: the rows are cheap to add. */
export const OVERSCAN = 5;

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
 * The row count handed to the virtualizer: the view's capacity (the store's cap, 100k lines), or the
 * view's count if ever larger, rounded up to a power of two (at least 1,024). The virtualizer rebuilds
 * its table of row offsets (`count` entries) whenever `count` changes, inside the render that changed
 * it. Sized by the row count, the table was rebuilt each time a filling ring passed a power of two: at
 * a flood's start that was in the first renders, by code not optimised yet (a Chrome profile of bench
 * figure 6: the rebuild was the first render's largest JavaScript), and again at 32k, 64k and 128k
 * rows within the next seconds. Sized by the capacity it is built once, when the view mounts (a
 * Float64Array of 2 x 131,072 and an array of as many keys: about 2.5 MB of heap). Rows are a fixed ROW_HEIGHT, so a
 * larger table gives the same offsets; rows past the real count are never rendered, and the canvas
 * is sized from the real count.
 */
export function virtualCount(count: number, capacity = 0): number {
  let n = 1024;
  while (n < count || n < capacity) n *= 2;
  return n;
}

type OffsetSink = (offset: number, isScrolling: boolean) => void;

// jsdom (and a hidden window) measure 0×0: fall back to the initial rect so some rows render.
const INITIAL_RECT = { width: 1000, height: 600 };
function observeRectWithFallback(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : INITIAL_RECT));
}
const rowSize = () => ROW_HEIGHT;

/**
 * Virtualized (@tanstack/react-virtual), fixed-height, monospaced rows: only what is on screen (plus
 * overscan) is in the DOM. Under a chatty stack this is the hot path, so it never reads layout
 * (scrollHeight) after a commit: rows are a constant ROW_HEIGHT (estimateSize, no measureElement),
 * so every offset is rows x ROW_HEIGHT. The store already limits commits (one per frame, fewer when busy).
 * (A hand-written window and react-window's List did no better at 20k lines/s: BENCHMARKS.md.)
 */
export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { count, capacity, view, filtered } = rows;
  // The virtualizer learns the scroll offset from scroll events, a frame after our own writes (and
  // never in jsdom). Offsets we set ourselves are handed to it at once through this sink, so the
  // rows at the new place render in the same commit (no blank frame).
  const sink = useRef<OffsetSink | null>(null);
  // We do not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: virtualCount(count, capacity),
    getScrollElement: () => scroller.current,
    estimateSize: rowSize,
    // While following, each step shows new lines and nothing is scrolled into view: no overscan.
    overscan: follow ? 0 : OVERSCAN,
    initialRect: INITIAL_RECT,
    // Its scroll handler re-renders with flushSync by default: a second synchronous render per scroll.
    useFlushSync: false,
    observeElementRect: observeRectWithFallback,
    observeElementOffset: (instance, cb) => {
      sink.current = cb;
      return observeElementOffset(instance, cb);
    },
  });

  const totalSize = count * ROW_HEIGHT;
  // The offset handed over is the one the browser will clamp `top` to (known without reading layout:
  // the rows are ROW_HEIGHT and the viewport's height is observed). Handed an offset past the end, the
  // virtualizer (3.19) renders only the last row until the scroll event corrects it a frame later.
  const tellOffset = useCallback(
    (top: number) => {
      const height = virtualizer.scrollRect?.height ?? INITIAL_RECT.height;
      sink.current?.(Math.min(top, Math.max(0, totalSize - height)), false);
    },
    [virtualizer, totalSize],
  );
  const scrollTo = useCallback(
    (el: HTMLDivElement, top: number) => {
      el.scrollTop = top;
      tellOffset(top);
    },
    [tellOffset],
  );

  // While following, the scroll offset is written in the next animation frame rather than in the
  // commit. Writing scrollTop makes the browser lay out the freshly committed rows at once, inside the
  // commit's task; the frame that paints them lays them out anyway. At the load's start (the first
  // screenful of rows mounted, code not yet optimised) that forced layout made the commit the page's
  // longest task (bench figure 6). The virtualizer is told the offset at once, so the rows at the
  // bottom are the ones committed, and the write lands before that frame's layout and paint.
  const pendingFollow = useRef<{ top: number; frame: number } | null>(null);
  /** The last offset a follow step wrote: the bottom, as far as the browser knows, until the next write. */
  const written = useRef(-1);
  const cancelFollow = useCallback(() => {
    if (pendingFollow.current) cancelAnimationFrame(pendingFollow.current.frame);
    pendingFollow.current = null;
  }, []);
  const followTo = useCallback(
    (el: HTMLDivElement, top: number) => {
      if (typeof requestAnimationFrame !== 'function') return scrollTo(el, top);
      tellOffset(top);
      const pending = pendingFollow.current;
      if (pending) {
        pending.top = top;
        return;
      }
      const job = { top, frame: 0 };
      job.frame = requestAnimationFrame(() => {
        if (pendingFollow.current === job) pendingFollow.current = null;
        written.current = job.top;
        el.scrollTop = job.top;
      });
      pendingFollow.current = job;
    },
    [scrollTo, tellOffset],
  );
  useLayoutEffect(() => cancelFollow, [cancelFollow]);

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      const el = scroller.current;
      if (!el) return;
      cancelFollow();
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
      // Past the end: the browser clamps to the bottom, and so does the virtualizer's range. Once the
      // ring is full the count stops changing and the view stays at the bottom by itself, so most
      // commits write (and lay out) nothing here.
      const top = count * ROW_HEIGHT;
      next.followTop = top;
      if (top !== prev.followTop || view !== prev.view) followTo(el, top);
      return;
    }
    cancelFollow();
    if (!filtered && prev.view === view && prev.epoch === view.epoch && dropped > prev.dropped) {
      // A filtered view's rows are matches, which the ring's drops do not shift.
      scrollTo(el, Math.max(0, el.scrollTop - (dropped - prev.dropped) * ROW_HEIGHT));
    }
  }, [follow, count, rows, view, filtered, scrollTo, followTo, cancelFollow]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    // With a follow step's write still to come, rows were added since the last write: a scroll event
    // at the bottom that write left is our own, not the user's. Measured against the new count it
    // would look scrolled up, and the view would stop following by itself under a flood.
    const last = written.current;
    if (pendingFollow.current && last >= 0 && Math.abs(el.scrollTop - Math.max(0, last - el.clientHeight)) <= ROW_HEIGHT) return onScrolled(true);
    onScrolled(count * ROW_HEIGHT - el.scrollTop - el.clientHeight <= ROW_HEIGHT);
  };

  const items = virtualizer.getVirtualItems();
  // Rows in normal flow under a padded canvas rather than each absolutely positioned or translated:
  // a positioned row is a paint layer of its own, and painting ~50 layers per follow step was the
  // page's largest cost under a chatty stack.
  const padTop = items[0]?.start ?? 0;
  return (
    <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} data-scroller="">
      <div className="log-canvas" style={{ height: totalSize, paddingTop: padTop, boxSizing: 'border-box' }}>
        {items.map((item, at) => {
          // Past the view's end: the virtualizer's table is larger than the view (virtualCount).
          const entry = item.index < count ? rows.rowAt(item.index) : undefined;
          if (!entry) return null;
          // While following, rows are keyed by their place on screen, so a step updates the rows in
          // place instead of building new ones; when the user scrolls, rows keep their line (seq) and
          // only the ones scrolled in are new.
          return (
            <LogRow
              key={follow ? `at ${at}` : entry.seq}
              entry={entry}
              height={ROW_HEIGHT}
              showService={showService}
              needle={rows.needle}
              current={item.index === currentRow}
            />
          );
        })}
      </div>
    </div>
  );
}
