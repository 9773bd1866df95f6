// The one rule for a forgotten snooze, shared by the UI, the CLI and the desktop notifications.
import { describe, expect, it } from 'vitest';
import { isSnoozeForgotten, snoozeForgottenAt } from '../../shared/snooze';

const untimed = { snoozed: true, snoozed_since: 1_000_000, snooze_until: null };

describe('snoozeForgottenAt / isSnoozeForgotten', () => {
  it('is the snooze start plus snooze_warn_after_secs for an untimed snooze', () => {
    expect(snoozeForgottenAt(untimed, 1800)).toBe(1_000_000 + 1_800_000);
    expect(isSnoozeForgotten(untimed, 1800, 1_000_000 + 1_799_999)).toBe(false);
    expect(isSnoozeForgotten(untimed, 1800, 1_000_000 + 1_800_000)).toBe(true);
  });

  it('never comes for a timed snooze, no snooze, an unknown start, or with the warning off (0)', () => {
    const late = 10 ** 13;
    expect(isSnoozeForgotten({ ...untimed, snooze_until: 2_000_000 }, 1800, late)).toBe(false);
    expect(isSnoozeForgotten({ ...untimed, snoozed: false }, 1800, late)).toBe(false);
    expect(isSnoozeForgotten({ ...untimed, snoozed_since: null }, 1800, late)).toBe(false);
    expect(snoozeForgottenAt(untimed, 0)).toBeNull();
    expect(isSnoozeForgotten(untimed, 0, late)).toBe(false);
  });
});
