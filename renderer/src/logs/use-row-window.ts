// Which rows of a list of fixed-height rows are on screen. With every row ROW_HEIGHT tall this is
// arithmetic on the scroll offset and the viewport's height: O(1) per render however many rows there
// are. (@tanstack/react-virtual did this until round 11: it rebuilds an array of every row's offset
// whenever the count changes, 100,000 entries ten times a second while a flood fills the ring.)
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

export interface RowRange {
  /** First row rendered (overscan included). */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

/** The rows to render for a viewport `height` px tall scrolled to `top` (clamped as the browser clamps it). */
export function rowRange(top: number, height: number, count: number, rowHeight: number, overscan: number): RowRange {
  const maxTop = Math.max(0, count * rowHeight - height);
  const at = Math.min(Math.max(0, top), maxTop);
  const first = Math.floor(at / rowHeight);
  const last = Math.ceil((at + height) / rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

export interface Viewport {
  /** Scroll offset, rounded down to a whole row: scrolling within a row renders nothing new. */
  top: number;
  height: number;
  /** Tell a scroll offset (from a scroll event, or one just set): re-renders only when it reaches another row. */
  setTop(top: number): void;
}

/**
 * The scroll offset and height of `scroller`. The height is observed (ResizeObserver); where the element
 * measures 0 (jsdom, a hidden window) `fallbackHeight` stands in, so some rows still render.
 */
export function useViewport(scroller: RefObject<HTMLElement | null>, rowHeight: number, fallbackHeight: number): Viewport {
  const [state, setState] = useState({ top: 0, height: fallbackHeight });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => {
      const height = el.clientHeight > 0 ? el.clientHeight : fallbackHeight;
      setState((s) => (s.height === height ? s : { ...s, height }));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scroller, fallbackHeight]);
  const setTop = useCallback(
    (top: number) => {
      const row = Math.max(0, Math.floor(top / rowHeight)) * rowHeight;
      setState((s) => (s.top === row ? s : { ...s, top: row }));
    },
    [rowHeight],
  );
  return { top: state.top, height: state.height, setTop };
}
