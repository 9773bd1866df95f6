import { describe, expect, it } from 'vitest';
import { deriveBadge, canStart, canStop } from '../../renderer/src/model/badge';
import { healthPosition, healthTooltip, streakText } from '../../renderer/src/model/health-text';
import { snoozeInfo } from '../../renderer/src/model/snooze';
import { summarize } from '../../renderer/src/model/summary';
import { actionForKey, moveSelection } from '../../renderer/src/keyboard/shortcuts';
import { nextThemeOverride } from '../../renderer/src/theme/theme';
import { formatDuration } from '../../renderer/src/time/format';
import { health, service, stack, T0 } from './fixtures';

describe('deriveBadge', () => {
  const cases: Array<[string, Parameters<typeof service>[1], string]> = [
    ['pending', { state: 'PENDING' }, 'pending'],
    ['starting', { state: 'STARTING', health: health({ status: 'unknown', phase: 'grace' }) }, 'starting'],
    ['healthy', { state: 'RUNNING' }, 'healthy'],
    ['no health check', { state: 'RUNNING', health: health({ status: 'none', settings: null }) }, 'running'],
    ['unhealthy', { state: 'RUNNING', health: health({ status: 'unhealthy', consecutive_failures: 2 }) }, 'unhealthy'],
    ['snoozed', { state: 'RUNNING', snoozed: true, health: health({ status: 'snoozed' }) }, 'snoozed'],
    ['stopping', { state: 'STOPPING' }, 'stopping'],
    ['killed for its checks', { state: 'STOPPING', stop_reason: 'unhealthy', health: health({ status: 'unhealthy' }) }, 'killing: unhealthy'],
    ['stopped', { state: 'STOPPED', pid: null }, 'stopped'],
    ['finished', { state: 'FINISHED', pid: null, service: false }, 'finished'],
    ['failed', { state: 'FAILED', pid: null }, 'failed'],
    ['restarting, no time', { state: 'RESTARTING', next_attempt_at: null }, 'restarting'],
  ];
  for (const [label, overrides, text] of cases) {
    it(`${label} -> "${text}"`, () => {
      expect(deriveBadge(service('svc', overrides), T0).text).toBe(text);
    });
  }

  it('counts down to next_attempt_at, rounding up', () => {
    const s = service('svc', { state: 'RESTARTING', next_attempt_at: T0 + 3_200 });
    expect(deriveBadge(s, T0).text).toBe('restarting in 4s');
    expect(deriveBadge(s, T0 + 1_000).text).toBe('restarting in 3s');
    expect(deriveBadge(s, T0 + 9_000).text).toBe('restarting in 0s');
  });

  it('offers Start only when stopped/finished/failed and Stop while active', () => {
    expect(canStart(service('a', { state: 'FAILED' }))).toBe(true);
    expect(canStart(service('a', { state: 'RUNNING' }))).toBe(false);
    expect(canStop(service('a', { state: 'RUNNING' }))).toBe(true);
    expect(canStop(service('a', { state: 'STOPPED' }))).toBe(false);
  });
});

describe('health wording', () => {
  it('explains each phase', () => {
    expect(healthPosition(health({ phase: 'grace', checks: 1, grace_checks: 3 }))).toBe('grace: check 1 of 3');
    expect(healthPosition(health({ phase: 'warming', consecutive_successes: 1, start_deadline_checks: 7 }))).toBe(
      'warming: 1/2 successes, start fails after 7 checks',
    );
    expect(healthPosition(health({ phase: 'running', consecutive_failures: 1 }))).toBe('running: 1 of 2 failures');
  });

  it('puts every HealthCheckConfig setting in the tooltip', () => {
    const t = healthTooltip(health());
    for (const s of ['http GET http://localhost:20001/health', 'initial_interval_secs: 15', 'interval_secs: 5', 'max_consecutive_failures: 2', 'min_consecutive_successes: 2', 'timeout_secs: 1', 'running: 0 of 2 failures']) {
      expect(t).toContain(s);
    }
    expect(streakText(health({ consecutive_failures: 3, consecutive_successes: 0 }))).toBe('3 failed in a row');
  });
});

describe('snoozeInfo', () => {
  it('reports age and time left; flags an untimed snooze older than the stack threshold', () => {
    const st = stack({ snooze_warn_after_secs: 1800 });
    const fresh = service('w', { snoozed: true, snoozed_since: T0 - 12 * 60_000 });
    expect(snoozeInfo(fresh, st, T0)).toEqual({ label: 'snoozed 12m', left: null, warning: null });
    const old = service('w', { snoozed: true, snoozed_since: T0 - 45 * 60_000 });
    expect(snoozeInfo(old, st, T0)?.warning).toBe('Snoozed for 45 min — health checks are off. Remember to remove it.');
    const timed = service('w', { snoozed: true, snoozed_since: T0 - 45 * 60_000, snooze_until: T0 + 15 * 60_000 });
    expect(snoozeInfo(timed, st, T0)).toEqual({ label: 'snoozed 45m', left: '15m left', warning: null });
    expect(snoozeInfo(service('w'), st, T0)).toBeNull();
  });
});

describe('summary, shortcuts, theme, format', () => {
  it('summarizes the stack', () => {
    const s = summarize([service('a'), service('b', { state: 'RESTARTING', next_attempt_at: T0 + 1000 }), service('c')], T0);
    expect(s.verdict).toBe('1 needs attention');
    expect(s.parts.map((p) => p.text)).toEqual(['1 restarting', '2 healthy']);
    expect(summarize([service('a')], T0).verdict).toBe('All good');
  });

  it('maps keys, ignoring typing in fields and modifier chords', () => {
    const k = (key: string, mods: Partial<{ ctrlKey: boolean }> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(actionForKey(k('j'), false)).toBe('next');
    expect(actionForKey(k('ArrowUp'), false)).toBe('prev');
    expect(actionForKey(k('ArrowUp'), false, true)).toBeNull();
    expect(actionForKey(k('r'), true)).toBeNull();
    expect(actionForKey(k('i'), false)).toBe('input');
    expect(actionForKey(k('i'), true)).toBeNull(); // typing an "i" into the stdin line itself
    expect(actionForKey(k('Escape'), true)).toBe('escape');
    expect(actionForKey(k('r', { ctrlKey: true }), false)).toBeNull();
    expect(moveSelection(['a', 'b', 'c'], null, 1)).toBe('a');
    expect(moveSelection(['a', 'b', 'c'], 'c', 1)).toBe('c');
    expect(moveSelection(['a', 'b', 'c'], 'b', -1)).toBe('a');
  });

  it('flips the shown theme and drops the override when it matches the system', () => {
    expect(nextThemeOverride(null, 'light')).toBe('dark');
    expect(nextThemeOverride('dark', 'light')).toBeNull();
    expect(nextThemeOverride('light', 'light')).toBe('dark');
  });

  it('formats durations', () => {
    expect([4_000, 65_000, 3_600_000, 3_660_000, 90_000_000].map(formatDuration)).toEqual(['4s', '1m 5s', '1h', '1h 1m', '1d 1h']);
  });
});
