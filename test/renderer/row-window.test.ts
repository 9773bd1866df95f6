import { describe, expect, it } from 'vitest';
import { rowRange } from '../../renderer/src/logs/use-row-window';

describe('rowRange', () => {
  it('is the rows under the viewport plus the overscan, clamped to the list', () => {
    // 600 px of 20 px rows scrolled to row 100: rows 100..129 are visible.
    expect(rowRange(2000, 600, 1000, 20, 5)).toEqual({ start: 95, end: 135 });
    expect(rowRange(0, 600, 1000, 20, 5)).toEqual({ start: 0, end: 35 });
    // Half a row scrolled: the row cut at the bottom is rendered too.
    expect(rowRange(2010, 600, 1000, 20, 0)).toEqual({ start: 100, end: 131 });
  });

  it('clamps an offset past the end to the bottom, as the browser does (following sets count x height)', () => {
    expect(rowRange(1000 * 20, 600, 1000, 20, 5)).toEqual({ start: 965, end: 1000 });
    expect(rowRange(99_999_999, 600, 1000, 20, 0)).toEqual({ start: 970, end: 1000 });
  });

  it('handles lists shorter than the viewport and empty lists', () => {
    expect(rowRange(500, 600, 10, 20, 5)).toEqual({ start: 0, end: 10 });
    expect(rowRange(0, 600, 0, 20, 5)).toEqual({ start: 0, end: 0 });
  });
});
