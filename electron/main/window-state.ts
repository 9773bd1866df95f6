// Window size/position memory. The saved rectangle is validated against the displays present NOW:
// a window saved on an unplugged external monitor must not reopen off-screen.
import { readJsonFile, writeJsonFile } from './json-store';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayArea {
  /** The usable area (without taskbar / menu bar), in screen coordinates. */
  workArea: Rect;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 640, height: 420 } as const;
/** How much of the window (width x height) must lie on one display for the saved position to count as visible. */
const MIN_VISIBLE = { width: 120, height: 60 } as const;

function isRect(value: unknown): value is Rect {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (['x', 'y', 'width', 'height'] as const).every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? { width, height } : { width: 0, height: 0 };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** The default-size window centred in `area` (shrunk if the area is smaller). */
export function centeredBounds(area: Rect, size: { width: number; height: number } = DEFAULT_WINDOW_SIZE): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * Where to open the window. `saved` is whatever was read from disk (untrusted shape).
 * - garbage, or no display overlapping it enough -> default size centred on the primary display;
 * - otherwise -> moved/shrunk to lie fully inside the work area it overlaps most.
 * `displays[0]` is taken as the primary display when `primary` is not given.
 */
export function validateWindowBounds(saved: unknown, displays: readonly DisplayArea[], primary?: DisplayArea): Rect {
  const main = primary ?? displays[0];
  const fallbackArea: Rect = main ? main.workArea : { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
  if (!isRect(saved) || saved.width <= 0 || saved.height <= 0) return centeredBounds(fallbackArea);

  let best: DisplayArea | undefined;
  let bestOverlap = 0;
  for (const display of displays) {
    const o = overlap(saved, display.workArea);
    // A thin sliver on the edge of a screen is as good as lost: it cannot be grabbed comfortably.
    if (o.width < MIN_VISIBLE.width || o.height < MIN_VISIBLE.height) continue;
    if (o.width * o.height > bestOverlap) {
      bestOverlap = o.width * o.height;
      best = display;
    }
  }
  if (!best) return centeredBounds(fallbackArea);

  const area = best.workArea;
  const width = Math.round(clamp(saved.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width));
  const height = Math.round(clamp(saved.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height));
  return {
    x: Math.round(clamp(saved.x, area.x, area.x + area.width - width)),
    y: Math.round(clamp(saved.y, area.y, area.y + area.height - height)),
    width,
    height,
  };
}

/** Parse the persisted state; anything malformed yields null (the caller then centres a default window). */
export function parseWindowState(value: unknown): { bounds: unknown; maximized: boolean } | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  return { bounds: v.bounds, maximized: v.maximized === true };
}

export function loadWindowState(file: string, displays: readonly DisplayArea[], primary?: DisplayArea): WindowState {
  const saved = parseWindowState(readJsonFile(file));
  return { bounds: validateWindowBounds(saved?.bounds, displays, primary), maximized: saved?.maximized ?? false };
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJsonFile(file, state);
}
