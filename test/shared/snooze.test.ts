// The snooze rules shared by the UI, the CLI and the desktop notifications: when a snooze is forgotten, and
// when a service's health checks can get it killed (so that it should be snoozed at a breakpoint).
import { describe, expect, it } from 'vitest';
import { checksCanKill, isSnoozeForgotten, snoozeForgottenAt } from '../../shared/snooze';
import { runningStatus } from '../helpers/harness-supervisor';
import { healthView } from '../helpers/status-fixtures';

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

describe('checksCanKill', () => {
  it('is true only for a checked service that is not snoozed', () => {
    expect(checksCanKill(runningStatus('api', { health: healthView({ status: 'healthy' }) }))).toBe(true);
    expect(checksCanKill(runningStatus('api', { health: healthView({ status: 'healthy' }), snoozed: true }))).toBe(false);
    expect(checksCanKill(runningStatus('api', { health: healthView({ status: 'none' }) }))).toBe(false);
    expect(checksCanKill(undefined)).toBe(false);
  });
});
