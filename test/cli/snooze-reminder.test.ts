// The terminal's forgotten-snooze reminder: one line per snooze, exactly when it becomes forgotten, and no
// timer at all while no snooze is on. Driven with a fake clock (timers and Date) — the real stack is in up.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSnoozeReminder } from '../../electron/cli/snooze-reminder';
import { serviceStatus } from '../helpers/status-fixtures';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

function setUp(warnAfterSecs = 60) {
  const said: string[] = [];
  const reminder = createSnoozeReminder((text) => said.push(text));
  reminder.setWarnAfter(warnAfterSecs);
  return { said, reminder };
}

const snoozed = (since: number, until: number | null = null) => serviceStatus('api', { snoozed: true, snoozed_since: since, snooze_until: until });

describe('createSnoozeReminder', () => {
  it('says so once, when an untimed snooze reaches snooze_warn_after_secs', () => {
    const { said, reminder } = setUp(60);
    reminder.update(snoozed(T0));
    vi.advanceTimersByTime(59_999);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(said).toEqual(['api: health checks snoozed for 1m and still off: remember to remove .healthchecksnooze (`hearth unsnooze api`)']);
    // Later statuses of the same snooze (a check, a restart) do not repeat it.
    reminder.update(snoozed(T0));
    vi.advanceTimersByTime(3_600_000);
    expect(said).toHaveLength(1);
  });

  it('says it at once for a snooze already that old when first seen (hearth up started later)', () => {
    const { said, reminder } = setUp(60);
    reminder.update(snoozed(T0 - 2 * 3_600_000));
    expect(said).toEqual(['api: health checks snoozed for 2h and still off: remember to remove .healthchecksnooze (`hearth unsnooze api`)']);
  });

  it('forgets a snooze removed in time, and reminds again of a new one', () => {
    const { said, reminder } = setUp(60);
    reminder.update(snoozed(T0));
    vi.advanceTimersByTime(30_000);
    reminder.update(serviceStatus('api'));
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(said).toEqual([]);
    const again = Date.now();
    reminder.update(snoozed(again));
    vi.advanceTimersByTime(60_000);
    expect(said).toHaveLength(1);
  });

  it('never reminds of a timed snooze, nor with the warning off, and holds no timer then', () => {
    const { said, reminder } = setUp(60);
    reminder.update(snoozed(T0, T0 + 7_200_000));
    expect(vi.getTimerCount()).toBe(0);
    reminder.setWarnAfter(0);
    reminder.update(snoozed(T0));
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(7_200_000);
    expect(said).toEqual([]);
  });

  it('follows a reload that changes snooze_warn_after_secs, and dispose cancels what is pending', () => {
    const { said, reminder } = setUp(3600);
    reminder.update(snoozed(T0));
    vi.advanceTimersByTime(120_000);
    reminder.setWarnAfter(60); // now already past: at once
    expect(said).toHaveLength(1);
    const other = setUp(60);
    other.reminder.update(snoozed(Date.now()));
    other.reminder.dispose();
    vi.advanceTimersByTime(120_000);
    expect(other.said).toEqual([]);
  });
});
