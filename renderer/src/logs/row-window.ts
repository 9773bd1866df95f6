// Which rows of a fixed-row-height log view are in the DOM. Pure arithmetic: rows are a fixed
// height, so no measuring (and no per-row measurement objects for a 100k-line view) is needed.
import type { LogView } from './log-views';

/** Overscan rows above and below the viewport while the user reads. */
export const OVERSCAN = 20;
/** While following, only the tail is visible and it is replaced wholesale: a little slack is enough. */
export const FOLLOW_OVERSCAN = 5;

/** Where the user's scroll was, in the row space it was measured in (set on scroll events). */
export interface ScrollPlace {
  top: number;
  /** Lines the view had dropped from its front at the time (view.appended - view.length). */
  dropped: number;
  view: LogView | null;
  epoch: number;
  filtered: boolean;
}

export interface RowSpace {
  count: number;
  view: LogView;
  filtered: boolean;
}

export function droppedOf(space: RowSpace): number {
  // A filtered view's rows are matches; the follow effect does not shift those.
  return space.filtered ? 0 : space.view.appended - space.view.length;
}

/**
 * The scrollTop the view will have once the paused-view effect has compensated for lines the ring
 * dropped since `place` was taken. Rendering the rows for that position (instead of the stale one)
 * avoids a blank frame when thousands of lines leave the ring between two scroll events.
 */
export function expectedTop(space: RowSpace, place: ScrollPlace, rowHeight: number): number {
  const same = place.view === space.view && place.epoch === space.view.epoch && place.filtered === space.filtered;
  if (!same) return place.top;
  return Math.max(0, place.top - (droppedOf(space) - place.dropped) * rowHeight);
}

/** Half-open row range [first, last) to render. */
export function rowWindow(
  space: RowSpace,
  follow: boolean,
  place: ScrollPlace,
  viewportHeight: number,
  rowHeight: number,
): { first: number; last: number } {
  const visible = Math.ceil(viewportHeight / rowHeight);
  if (follow) return { first: Math.max(0, space.count - visible - FOLLOW_OVERSCAN), last: space.count };
  const top = expectedTop(space, place, rowHeight);
  const firstVisible = Math.floor(top / rowHeight);
  return {
    first: Math.min(space.count, Math.max(0, firstVisible - OVERSCAN)),
    last: Math.min(space.count, firstVisible + visible + 1 + OVERSCAN),
  };
}
