import { useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { useVirtualizer, observeElementRect, type Virtualizer } from '@tanstack/react-virtual';
import type { LogRows } from '../logs/use-log-rows';
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

// jsdom (and a hidden window) measure 0×0: fall back to the initial rect so some rows render.
const INITIAL_RECT = { width: 1000, height: 600 };
function observeRectWithFallback(instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: { width: number; height: number }) => void) {
  return observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : INITIAL_RECT));
}

/** Virtualized, fixed-height, monospaced rows: only what is on screen (plus overscan) is in the DOM. */
export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const { count, version, view, filtered } = rows;
  // We do not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: INITIAL_RECT,
    observeElementRect: observeRectWithFallback,
  });

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      const el = scroller.current;
      if (!el) return;
      el.scrollTop = Math.max(0, index * ROW_HEIGHT - el.clientHeight / 2 + ROW_HEIGHT / 2);
    },
  }));

  // Follow the tail; when paused, keep the same lines in place while the full ring drops old lines.
  const evicted = useRef({ epoch: view.epoch, view, dropped: view.appended - view.length });
  useLayoutEffect(() => {
    const el = scroller.current;
    const dropped = view.appended - view.length;
    const prev = evicted.current;
    evicted.current = { epoch: view.epoch, view, dropped };
    if (!el) return;
    if (follow) {
      el.scrollTop = el.scrollHeight;
    } else if (!filtered && prev.view === view && prev.epoch === view.epoch && dropped > prev.dropped) {
      el.scrollTop = Math.max(0, el.scrollTop - (dropped - prev.dropped) * ROW_HEIGHT);
    }
  }, [follow, count, version, view, filtered]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    onScrolled(el.scrollHeight - el.scrollTop - el.clientHeight <= ROW_HEIGHT);
  };

  const items = virtualizer.getVirtualItems();
  return (
    <div className="log-scroller" ref={scroller} onScroll={onScroll} role="log" aria-label={label} tabIndex={0} data-scroller="">
      <div className="log-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const entry = rows.rowAt(item.index);
          if (!entry) return null;
          return (
            <LogRow
              key={entry.seq}
              entry={entry}
              top={item.start}
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
