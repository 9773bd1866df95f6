// The log view on @tanstack/react-virtual, for the UI figure's comparison of virtualizers (built in
// place of components/log-view.tsx with HEARTH_LOG_VIEW=tanstack; see renderer/vite.config.ts).
// The view as it was before round 11 with the options that make tanstack cheapest here: a constant
// estimateSize and no measureElement (no measuring), useFlushSync off (no synchronous re-render from
// its scroll handler), the offsets we set handed to it at once (observeElementOffset), and the same
// lessons as the product's view: rows in normal flow under a padded canvas, no overscan and rows keyed
// by place while following. What no option changes: its measurements are rebuilt for every row
// (a loop over `count`) whenever `count` changes.
import { useImperativeHandle, useLayoutEffect, useRef } from 'react';
import { observeElementOffset, observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { LogViewProps } from '../../src/components/log-view';
import { LogRow } from '../../src/components/log-row';

export const ROW_HEIGHT = 20;
export const OVERSCAN = 5;

type OffsetSink = (offset: number, isScrolling: boolean) => void;

// jsdom (and a hidden window) measure 0×0: fall back to the initial rect so some rows render.
const INITIAL_RECT = { width: 1000, height: 600 };
function observeRectWithFallback(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : INITIAL_RECT));
}
const rowSize = () => ROW_HEIGHT;

export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { count, view, filtered } = rows;
  // The virtualizer learns the scroll offset from scroll events, a frame after our own writes; the
  // offsets we set ourselves are handed to it at once through this sink.
  const sink = useRef<OffsetSink | null>(null);
  // We do not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: rowSize,
    overscan: follow ? 0 : OVERSCAN,
    initialRect: INITIAL_RECT,
    useFlushSync: false,
    observeElementRect: observeRectWithFallback,
    observeElementOffset: (instance, cb) => {
      sink.current = cb;
      return observeElementOffset(instance, cb);
    },
  });

  // Handed an offset past the end, the virtualizer (3.19) renders only the last row until the scroll
  // event corrects it a frame later: hand it the offset the browser clamps `top` to.
  const scrollTo = (el: HTMLDivElement, top: number) => {
    el.scrollTop = top;
    const height = virtualizer.scrollRect?.height ?? INITIAL_RECT.height;
    sink.current?.(Math.min(top, Math.max(0, count * ROW_HEIGHT - height)), false);
  };

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      const el = scroller.current;
      if (!el) return;
      scrollTo(el, Math.max(0, index * ROW_HEIGHT - el.clientHeight / 2 + ROW_HEIGHT / 2));
    },
  }));

  const last = useRef({ epoch: view.epoch, view, dropped: view.appended - view.length, followTop: -1 });
  useLayoutEffect(() => {
    const el = scroller.current;
    const dropped = view.appended - view.length;
    const prev = last.current;
    const next = { epoch: view.epoch, view, dropped, followTop: -1 };
    last.current = next;
    if (!el) return;
    if (follow) {
      const top = count * ROW_HEIGHT;
      next.followTop = top;
      if (top !== prev.followTop || view !== prev.view) scrollTo(el, top);
    } else if (!filtered && prev.view === view && prev.epoch === view.epoch && dropped > prev.dropped) {
      scrollTo(el, Math.max(0, el.scrollTop - (dropped - prev.dropped) * ROW_HEIGHT));
    }
    // scrollTo is recreated each render; what it reads besides refs (count) is listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [follow, count, rows, view, filtered]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    onScrolled(count * ROW_HEIGHT - el.scrollTop - el.clientHeight <= ROW_HEIGHT);
  };

  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  return (
    <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} data-scroller="">
      <div className="log-canvas" style={{ height: virtualizer.getTotalSize(), paddingTop: padTop, boxSizing: 'border-box' }}>
        {items.map((item, at) => {
          const entry = rows.rowAt(item.index);
          if (!entry) return null;
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
