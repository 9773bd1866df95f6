import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  centeredBounds,
  loadWindowState,
  saveWindowState,
  validateWindowBounds,
  type DisplayArea,
} from '../../electron/main/window-state';
import { makeTempDir } from '../helpers/temp-dir';

// A laptop panel with a menu bar, and an external monitor to its right.
const laptop: DisplayArea = { workArea: { x: 0, y: 25, width: 1440, height: 875 } };
const external: DisplayArea = { workArea: { x: 1440, y: 0, width: 2560, height: 1440 } };

describe('validateWindowBounds', () => {
  it('keeps a rectangle that is fully visible', () => {
    const saved = { x: 100, y: 100, width: 1000, height: 700 };
    expect(validateWindowBounds(saved, [laptop, external])).toEqual(saved);
    const onExternal = { x: 2000, y: 200, width: 1600, height: 1000 };
    expect(validateWindowBounds(onExternal, [laptop, external])).toEqual(onExternal);
  });

  it('centres a default window on the primary display when the saved monitor is gone', () => {
    const onExternal = { x: 2000, y: 200, width: 1600, height: 1000 };
    expect(validateWindowBounds(onExternal, [laptop])).toEqual(centeredBounds(laptop.workArea));
    expect(centeredBounds(laptop.workArea)).toEqual({ x: 120, y: 63, ...DEFAULT_WINDOW_SIZE });
  });

  it('clamps a partly off-screen window back into the work area it mostly overlaps', () => {
    // Hanging off the left edge and above the menu bar.
    expect(validateWindowBounds({ x: -300, y: 0, width: 1000, height: 700 }, [laptop])).toEqual({
      x: 0,
      y: 25,
      width: 1000,
      height: 700,
    });
    // Mostly on the external monitor, straddling the boundary: moved fully onto the external one.
    expect(validateWindowBounds({ x: 1300, y: 100, width: 1000, height: 700 }, [laptop, external])).toEqual({
      x: 1440,
      y: 100,
      width: 1000,
      height: 700,
    });
  });

  it('shrinks a window bigger than its display, but not below the minimum size', () => {
    expect(validateWindowBounds({ x: 0, y: 0, width: 3000, height: 2000 }, [laptop])).toEqual(laptop.workArea);
    expect(validateWindowBounds({ x: 10, y: 40, width: 200, height: 80 }, [laptop])).toEqual({ x: 10, y: 40, width: 640, height: 420 });
  });

  it('treats a barely visible sliver as lost', () => {
    // Only 50 px of the window peek in from the right edge.
    expect(validateWindowBounds({ x: 1390, y: 100, width: 800, height: 600 }, [laptop])).toEqual(centeredBounds(laptop.workArea));
  });

  it('rejects garbage', () => {
    for (const saved of [undefined, null, 'x', {}, { x: 0, y: 0, width: 0, height: 10 }, { x: NaN, y: 0, width: 10, height: 10 }, { x: '1', y: 0, width: 800, height: 600 }]) {
      expect(validateWindowBounds(saved, [laptop]), JSON.stringify(saved)).toEqual(centeredBounds(laptop.workArea));
    }
  });

  it('uses the given primary display for the fallback, and survives having no display at all', () => {
    expect(validateWindowBounds(undefined, [laptop, external], external)).toEqual(centeredBounds(external.workArea));
    expect(validateWindowBounds(undefined, [])).toEqual({ x: 0, y: 0, ...DEFAULT_WINDOW_SIZE });
  });
});

describe('window state file', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('round-trips through a real file and is re-validated on load', () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const file = join(temp.dir, 'sub', 'window-state.json');
    saveWindowState(file, { bounds: { x: 2000, y: 200, width: 1600, height: 1000 }, maximized: true });
    expect(loadWindowState(file, [laptop, external])).toEqual({ bounds: { x: 2000, y: 200, width: 1600, height: 1000 }, maximized: true });
    expect(loadWindowState(file, [laptop])).toEqual({ bounds: centeredBounds(laptop.workArea), maximized: true });
  });

  it('falls back to defaults for a missing or corrupt file', () => {
    const temp = makeTempDir();
    cleanup = temp.cleanup;
    const file = join(temp.dir, 'window-state.json');
    expect(loadWindowState(file, [laptop])).toEqual({ bounds: centeredBounds(laptop.workArea), maximized: false });
    writeFileSync(file, '{"bounds": {"x": 1');
    expect(loadWindowState(file, [laptop])).toEqual({ bounds: centeredBounds(laptop.workArea), maximized: false });
  });
});
