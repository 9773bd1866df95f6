// The log view on react-window v2's List, for the UI figure's comparison of virtualizers (built in
// place of components/log-view.tsx with HEARTH_LOG_VIEW=react-window; see renderer/vite.config.ts).
// The same props and behaviour as the product's view: fixed 20 px rows (a numeric rowHeight, so
// react-window's offsets are arithmetic), following by scrollTop = rows x 20, paused views kept in
// place while the ring drops lines, no overscan while following. What the library decides: each row
// is absolutely positioned by a translateY of its own (its `style`), and rows are keyed by index.
import { useImperativeHandle, useLayoutEffect, useRef } from 'react';
import { List, type ListImperativeAPI, type RowComponentProps } from 'react-window';
import type { LogRows } from '../../src/logs/use-log-rows';
import type { LogViewProps } from '../../src/components/log-view';
import { LogRow } from '../../src/components/log-row';

export const ROW_HEIGHT = 20;
export const OVERSCAN = 5;
/** jsdom (and a hidden window) measure 0: react-window renders as for this height until it measures. */
const FALLBACK_HEIGHT = 600;
/** react-window's List sets position: relative; the product's scroller fills its panel. */
const LIST_STYLE = { position: 'absolute', inset: 0 } as const;

interface RowData {
  rows: LogRows;
  showService: boolean;
  currentRow: number;
}

function scrollTo(el: HTMLElement, top: number): void {
  el.scrollTop = top;
}

function Row({ index, style, rows, showService, currentRow }: RowComponentProps<RowData>) {
  const entry = rows.rowAt(index);
  if (!entry) return null;
  return (
    <div style={style}>
      <LogRow entry={entry} height={ROW_HEIGHT} showService={showService} needle={rows.needle} current={index === currentRow} />
    </div>
  );
}

export function LogView({ rows, label, showService, follow, currentRow, onScrolled, ref }: LogViewProps) {
  const list = useRef<ListImperativeAPI>(null);
  const { count, view, filtered } = rows;

  useImperativeHandle(ref, () => ({
    scrollToRow(index: number) {
      if (index >= 0 && index < count) list.current?.scrollToRow({ index, align: 'center', behavior: 'instant' });
    },
  }));

  const last = useRef({ epoch: view.epoch, view, dropped: view.appended - view.length, followTop: -1 });
  useLayoutEffect(() => {
    const el = list.current?.element;
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
  }, [follow, count, rows, view, filtered, list]);

  const onScroll = () => {
    const el = list.current?.element;
    if (!el) return;
    onScrolled(count * ROW_HEIGHT - el.scrollTop - el.clientHeight <= ROW_HEIGHT);
  };

  return (
    <List
      listRef={list}
      className="log-scroller"
      style={LIST_STYLE}
      role="log"
      aria-label={label}
      tabIndex={0}
      data-scroller=""
      onScroll={onScroll}
      rowComponent={Row}
      rowCount={count}
      rowHeight={ROW_HEIGHT}
      rowProps={{ rows, showService, currentRow }}
      overscanCount={follow ? 0 : OVERSCAN}
      defaultHeight={FALLBACK_HEIGHT}
    />
  );
}
