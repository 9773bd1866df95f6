import { describe, expect, it } from 'vitest';
import { formatClock, formatClockMs } from '../../shared/format-clock';

describe('formatClock / formatClockMs', () => {
  it('give the local time of day, padded, to the second or the millisecond', () => {
    const at = new Date(2026, 10, 25, 9, 5, 7, 42).getTime(); // local time, whatever the zone
    expect(formatClock(at)).toBe('09:05:07');
    expect(formatClockMs(at)).toBe('09:05:07.042');
    expect(formatClockMs(new Date(2026, 10, 25, 23, 59, 59, 999).getTime())).toBe('23:59:59.999');
  });
});
