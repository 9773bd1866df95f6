import { describe, expect, it } from 'vitest';
import { createNotifier, decideNotifications, promptNote, snoozeKey, type NotificationSettings } from '../../electron/main/notifications';
import { makeStatus } from './fixtures';

const on: NotificationSettings = { enabled: true, snoozeWarnAfterSecs: 3600 };
const T0 = 1_700_000_000_000;

describe('decideNotifications', () => {
  it('says nothing for an ordinary change', () => {
    const prev = makeStatus('api', { state: 'STARTING' });
    const next = makeStatus('api', { state: 'RUNNING' });
    expect(decideNotifications(prev, next, T0, on, new Set())).toEqual([]);
  });

  it('reports a restart caused by failed health checks, once per restart', () => {
    const prev = makeStatus('api', { restarts: 1, last_restart_reason: 'exited' });
    const next = makeStatus(
      'api',
      { state: 'STARTING', restarts: 2, last_restart_reason: 'unhealthy', run: 3 },
      { status: 'unknown', last_detail: 'HTTP 500' },
    );
    const notes = decideNotifications(prev, next, T0, on, new Set());
    expect(notes).toEqual([
      {
        title: 'api was unhealthy and was restarted',
        body: '3 health checks in a row failed (HTTP 500). Restart #2.',
        key: 'unhealthy:api:2',
      },
    ]);
    // The next event for the same run (e.g. health becomes healthy) does not repeat it.
    const later = { ...next, health: { ...next.health, status: 'healthy' as const } };
    expect(decideNotifications(next, later, T0, on, new Set())).toEqual([]);
  });

  it('does not call a manual or crash restart "unhealthy"', () => {
    const prev = makeStatus('api', { restarts: 1 });
    expect(decideNotifications(prev, makeStatus('api', { restarts: 2, last_restart_reason: 'manual' }), T0, on, new Set())).toEqual([]);
    expect(decideNotifications(prev, makeStatus('api', { restarts: 2, last_restart_reason: 'exited' }), T0, on, new Set())).toEqual([]);
  });

  it('reports a crash loop when flaps reach 3, not before and not again while it continues', () => {
    const exit = { code: 1, signal: null, at: T0 };
    const two = makeStatus('worker', { state: 'RESTARTING', flaps: 2, last_exit: exit, run: 3 });
    const three = makeStatus('worker', { state: 'RESTARTING', flaps: 3, last_exit: exit, run: 4 });
    const four = makeStatus('worker', { state: 'RESTARTING', flaps: 4, last_exit: exit, run: 5 });
    expect(decideNotifications(makeStatus('worker', { flaps: 1 }), two, T0, on, new Set())).toEqual([]);
    expect(decideNotifications(two, three, T0, on, new Set())).toEqual([
      {
        title: 'worker is crash looping',
        body: 'It exited 3 times in a row shortly after starting (exit code 1). Hearth is backing off between restarts.',
        key: 'crashloop:worker:4',
      },
    ]);
    expect(decideNotifications(three, four, T0, on, new Set())).toEqual([]);
    // Recovering and looping again is a new occurrence.
    const recovered = makeStatus('worker', { flaps: 0, run: 6 });
    const again = makeStatus('worker', { flaps: 3, run: 9, last_exit: { code: null, signal: 'SIGSEGV', at: T0 } });
    expect(decideNotifications(recovered, again, T0, on, new Set())[0]?.body).toContain('killed by SIGSEGV');
  });

  it('reports a job that failed, and a service that failed its start', () => {
    const job = makeStatus('migrate', { service: false, state: 'RUNNING', failures: 1, max_failures: 2 });
    const failed = { ...job, state: 'FAILED' as const, failures: 2, pid: null };
    expect(decideNotifications(job, failed, T0, on, new Set())).toEqual([
      { title: 'Job migrate failed', body: 'Hearth gave up: it failed 2 of 2 allowed times.', key: 'failed:migrate:1' },
    ]);
    expect(decideNotifications(failed, failed, T0, on, new Set())).toEqual([]);

    const svc = makeStatus('api', { state: 'STARTING' });
    expect(decideNotifications(svc, { ...svc, state: 'FAILED' }, T0, on, new Set())[0]?.title).toBe('Service api failed');
    expect(decideNotifications(svc, { ...svc, state: 'FAILED', error: 'spawn /bin/sh ENOENT' }, T0, on, new Set())[0]?.body).toBe(
      'Hearth gave up: spawn /bin/sh ENOENT.',
    );
  });

  it('does not notify about a failure it merely discovers (first sight)', () => {
    expect(decideNotifications(undefined, makeStatus('migrate', { state: 'FAILED', service: false }), T0, on, new Set())).toEqual([]);
  });

  it('warns once about an untimed snooze left on too long', () => {
    const snoozed = makeStatus('api', { snoozed: true, snoozed_since: T0, snooze_until: null }, { status: 'snoozed' });
    const hour = 3600 * 1000;
    expect(decideNotifications(snoozed, snoozed, T0 + hour - 1, on, new Set())).toEqual([]);
    const notes = decideNotifications(snoozed, snoozed, T0 + hour + 30 * 60_000, on, new Set());
    expect(notes).toEqual([
      {
        title: 'api: health checks still snoozed',
        body: 'Snoozed for 1 h 30 min. Remember to remove .healthchecksnooze (Unsnooze) when you are done.',
        key: snoozeKey(snoozed),
      },
    ]);
    expect(decideNotifications(snoozed, snoozed, T0 + 5 * hour, on, new Set([snoozeKey(snoozed)]))).toEqual([]);
  });

  it('does not warn about timed snoozes, or when the warning is off', () => {
    const timed = makeStatus('api', { snoozed: true, snoozed_since: T0, snooze_until: T0 + 10 * 3600 * 1000 });
    expect(decideNotifications(timed, timed, T0 + 2 * 3600 * 1000, on, new Set())).toEqual([]);
    const untimed = { ...timed, snooze_until: null };
    expect(decideNotifications(untimed, untimed, T0 + 2 * 3600 * 1000, { enabled: true, snoozeWarnAfterSecs: 0 }, new Set())).toEqual([]);
  });

  it('stays silent when notifications are disabled', () => {
    const prev = makeStatus('worker', { flaps: 2 });
    const next = makeStatus('worker', { flaps: 3, state: 'FAILED' });
    expect(decideNotifications(prev, next, T0, { enabled: false, snoozeWarnAfterSecs: 60 }, new Set())).toEqual([]);
  });
});

describe('createNotifier', () => {
  it('tracks previous statuses, ignores snapshots, and remembers snooze warnings', () => {
    let settings = on;
    const notifier = createNotifier(() => settings);
    notifier.reset([makeStatus('api', { restarts: 1 }), makeStatus('migrate', { service: false, state: 'FAILED' })]);
    // FAILED was already known from the snapshot: nothing new.
    expect(notifier.service(makeStatus('migrate', { service: false, state: 'FAILED' }), T0)).toEqual([]);
    expect(notifier.service(makeStatus('api', { restarts: 2, last_restart_reason: 'unhealthy' }), T0)).toHaveLength(1);

    const snoozed = makeStatus('api', { restarts: 2, snoozed: true, snoozed_since: T0 });
    expect(notifier.service(snoozed, T0)).toEqual([]);
    expect(notifier.tick(T0 + 30 * 60_000)).toEqual([]);
    expect(notifier.tick(T0 + 61 * 60_000).map((n) => n.key)).toEqual([snoozeKey(snoozed)]);
    expect(notifier.tick(T0 + 120 * 60_000)).toEqual([]);

    // A new snooze (new file, new mtime) is a new occurrence.
    const again = { ...snoozed, snoozed_since: T0 + 200 * 60_000 };
    notifier.service(again, T0 + 200 * 60_000);
    expect(notifier.tick(T0 + 261 * 60_000)).toHaveLength(1);

    notifier.removed('api');
    settings = { ...on, snoozeWarnAfterSecs: 1 };
    expect(notifier.tick(T0 + 999 * 60_000)).toEqual([]);
  });
});

describe('prompt notifications', () => {
  const prompt = (text: string, run = 1, offset = 0) => ({ service: 'api', stream: 'stdout' as const, run, offset, text });

  it('tells a prompt once per run, with the snooze advice while health checks run, and never a progress bar', () => {
    const notifier = createNotifier(() => on);
    notifier.reset([makeStatus('api', { health: { ...makeStatus('api').health, status: 'healthy' } })]);
    const [note] = notifier.partial(prompt('(Pdb) '));
    expect(note).toEqual({
      title: 'api is waiting for input',
      body: 'It printed "(Pdb)" and went quiet. Answer it in the line under its logs. Its health checks still run: snooze it if it sits at a breakpoint.',
      key: 'prompt:api:1',
    });
    expect(notifier.partial(prompt('(Pdb) '))).toEqual([]); // the next prompt of the same session
    expect(notifier.partial(prompt('\rmigrating [##  ] 50%', 2))).toEqual([]);
    expect(notifier.partial(prompt('(Pdb) ', 2))).toHaveLength(1);
  });

  it('leaves out the snooze advice for an unchecked or snoozed service, and says nothing when notifications are off', () => {
    expect(promptNote(prompt('>>> '), makeStatus('api', { snoozed: true }), on)?.body).toBe('It printed ">>>" and went quiet. Answer it in the line under its logs.');
    expect(promptNote(prompt('>>> '), undefined, { ...on, enabled: false })).toBeNull();
  });
});
