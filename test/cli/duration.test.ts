import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../electron/cli/duration';

describe('parseDuration', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['1h', 3600],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['1d2h3m4s', 93_784],
    ['1.5h', 5400],
    [' 10M ', 600],
  ])('%s = %i seconds', (text, secs) => {
    expect(parseDuration(text)).toBe(secs);
  });

  it.each([
    ['', /missing duration/],
    ['30', /has no unit/],
    ['abc', /invalid duration "abc"/],
    ['1x', /invalid duration/],
    ['30m1h', /largest to smallest/],
    ['1h1h', /largest to smallest/],
    ['0s', /longer than 0s/],
    ['-5m', /invalid duration/],
    ['1h 30m', /invalid duration/],
  ])('rejects %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5000, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [252_000, '4m12s'],
    [3_600_000, '1h'],
    [3_601_000, '1h'],
    [5_400_000, '1h30m'],
    [93_784_000, '1d2h'],
  ])('%i ms = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
