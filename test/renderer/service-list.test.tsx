import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeSession, renderApp } from './render-app';
import { HarnessHost } from './harness';
import { health, service, snapshot, stack, T0 } from './fixtures';

afterEach(cleanup);

const item = (name: string) => screen.getByRole('listitem', { name });
const badgeOf = (name: string) => item(name).querySelector('.badge')?.textContent;

describe('service list', () => {
  it('shows the snapshot, then applies service updates and removals', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api', { ports: { http: 20001 } }), service('worker')]));
    const list = screen.getByRole('list', { name: 'Services' });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['api', 'worker']);
    expect(badgeOf('api')).toBe('healthy');

    emit('service', service('api', { state: 'RUNNING', health: health({ status: 'unhealthy', consecutive_failures: 2 }) }));
    expect(badgeOf('api')).toBe('unhealthy');
    emit('service', service('db'));
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    emit('service_removed', { name: 'worker' });
    expect(screen.queryByRole('listitem', { name: 'worker' })).toBeNull();
  });

  it('shows uptime, pid, restarts, reason, error and crash-loop hints', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([
      service('api', { pid: 777, restarts: 2, last_restart_reason: 'unhealthy', started_at: T0 - 65_000 }),
      service('loop', {
        state: 'RESTARTING', pid: null, flaps: 3, backoff_ms: 8000, next_attempt_at: T0 + 4000,
        last_exit: { code: 1, signal: null, at: T0 - 2000 }, error: 'spawn ./loop ENOENT',
      }),
      service('job', { state: 'FAILED', pid: null, service: false, failures: 3, max_failures: 3, last_exit: { code: 2, signal: null, at: T0 - 60_000 } }),
    ]));
    const api = item('api');
    expect(api.textContent).toContain('up 1m 5s');
    expect(api.textContent).toContain('pid 777');
    expect(api.textContent).toContain('2 restarts');
    expect(api.textContent).toContain('health checks failed');
    const loop = item('loop');
    expect(badgeOf('loop')).toBe('restarting in 4s');
    expect(loop.textContent).toContain('spawn ./loop ENOENT');
    expect(loop.textContent).toMatch(/Crash loop: 3 quick exits/);
    expect(loop.textContent).toContain('last exit: code 1');
    expect(item('job').textContent).toContain('last exit: code 2, 1m ago (3/3 failures)');
  });

  it('counts the restart badge down with the clock, using the supervisor clock offset', () => {
    const { emit, clock } = renderApp();
    // The supervisor clock runs 10 s ahead of ours: countdowns must use its time.
    emit('snapshot', snapshot([service('loop', { state: 'RESTARTING', next_attempt_at: T0 + 10_000 + 3_000 })], { now: T0 + 10_000 }));
    expect(badgeOf('loop')).toBe('restarting in 3s');
    clock.advance(1000);
    expect(badgeOf('loop')).toBe('restarting in 2s');
    clock.advance(2000);
    expect(badgeOf('loop')).toBe('restarting in 0s');
  });

  it('renders ports as links opened through the host', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api', { ports: { http: 20001, admin: 20002 } })]));
    const link = within(item('api')).getByRole('link', { name: 'http:20001' });
    expect(link.getAttribute('href')).toBe('http://localhost:20001');
    await userEvent.click(link);
    expect(host.opened).toEqual(['http://localhost:20001']);
  });

  it('draws one health cell per record and explains the config in the tooltip', () => {
    const { emit } = renderApp();
    const history = [
      { at: T0 - 4000, result: 'ignored' as const },
      { at: T0 - 3000, result: 'failure' as const, detail: 'HTTP 500' },
      { at: T0 - 2000, result: 'success' as const },
      { at: T0 - 1000, result: 'snoozed' as const },
    ];
    emit('snapshot', snapshot([service('api', { health: health({ history, phase: 'warming', consecutive_successes: 1, start_deadline_checks: 7 }) })]));
    const cells = item('api').querySelectorAll('.cell');
    expect([...cells].map((c) => c.className)).toEqual(['cell cell-ignored', 'cell cell-failure', 'cell cell-success', 'cell cell-snoozed']);
    expect(cells[1]?.getAttribute('title')).toMatch(/failure at .* — HTTP 500/);
    const strip = item('api').querySelector('.health');
    expect(strip?.getAttribute('title')).toContain('warming: 1/2 successes, start fails after 7 checks');
    expect(strip?.getAttribute('title')).toContain('interval_secs: 5');
  });
});

describe('snooze control', () => {
  it('is a switch named "Snooze <service>" reflecting status.snoozed, and toggles through the host', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api'), service('worker', { snoozed: true, snoozed_since: T0 - 12 * 60_000, health: health({ status: 'snoozed' }) })]));
    const apiSwitch = screen.getByRole('switch', { name: 'Snooze api' });
    const workerSwitch = screen.getByRole('switch', { name: 'Snooze worker' });
    expect(apiSwitch.getAttribute('aria-checked')).toBe('false');
    expect(workerSwitch.getAttribute('aria-checked')).toBe('true');
    expect(item('worker').textContent).toContain('snoozed 12m');
    expect(badgeOf('worker')).toBe('snoozed');

    await userEvent.click(apiSwitch);
    await userEvent.click(workerSwitch);
    expect(host.invocations).toEqual([
      { command: 'snooze', args: { service: 'api' } },
      { command: 'unsnooze', args: { service: 'worker' } },
    ]);
    // The switch follows the supervisor (the file), not the click.
    expect(apiSwitch.getAttribute('aria-checked')).toBe('false');
    emit('service', service('api', { snoozed: true, snoozed_since: T0 }));
    expect(screen.getByRole('switch', { name: 'Snooze api' }).getAttribute('aria-checked')).toBe('true');
  });

  it('sends for_secs from the timed snooze menu', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api')]));
    await userEvent.click(screen.getByRole('button', { name: 'Snooze api for…' }));
    await userEvent.click(screen.getByRole('menuitem', { name: '15 min' }));
    await userEvent.click(screen.getByRole('button', { name: 'Snooze api for…' }));
    await userEvent.click(screen.getByRole('menuitem', { name: '1 hour' }));
    await userEvent.click(screen.getByRole('button', { name: 'Snooze api for…' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Until turned off' }));
    expect(host.calls('snooze')).toEqual([{ service: 'api', for_secs: 900 }, { service: 'api', for_secs: 3600 }, { service: 'api' }]);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('shows time left of a timed snooze and flags a forgotten one after snooze_warn_after_secs', () => {
    const { emit, clock } = renderApp();
    emit('snapshot', {
      ...snapshot([
        service('timed', { snoozed: true, snoozed_since: T0 - 60_000, snooze_until: T0 + 14 * 60_000 }),
        service('forgot', { snoozed: true, snoozed_since: T0 - 29 * 60_000 }),
      ]),
      stack: stack({ snooze_warn_after_secs: 1800 }),
    });
    expect(item('timed').textContent).toContain('14m left');
    expect(item('forgot').textContent).not.toContain('Remember to remove it');
    clock.advance(16 * 60_000);
    expect(item('forgot').textContent).toContain('Snoozed for 45 min — health checks are off. Remember to remove it.');
    expect(item('timed').textContent).not.toContain('Remember to remove it');
  });
});

describe('service buttons', () => {
  it('are named Restart/Stop/Start <service> and invoke the right commands', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api'), service('job', { state: 'FINISHED', pid: null, service: false })]));
    expect(screen.queryByRole('button', { name: 'Start api' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Stop job' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Restart api' }));
    await userEvent.click(screen.getByRole('button', { name: 'Stop api' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start job' }));
    expect(host.invocations).toEqual([
      { command: 'restart', args: { services: ['api'] } },
      { command: 'stop', args: { services: ['api'] } },
      { command: 'start', args: { services: ['job'] } },
    ]);
    emit('service', service('api', { state: 'STOPPED', pid: null }));
    expect(screen.getByRole('button', { name: 'Start api' })).toBeTruthy();
  });

  it('marks an autostart: false service "on demand", and only that one', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api'), service('docs', { state: 'STOPPED', pid: null, autostart: false })]));
    expect(item('docs').querySelector('.kind')?.textContent).toBe('on demand');
    expect(item('api').querySelector('.kind')).toBeNull();
  });

  it('header buttons act on the whole stack; a failed command shows a notice', async () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api')]));
    host.handle('stop', () => {
      throw new Error('supervisor is busy');
    });
    await userEvent.click(screen.getByRole('button', { name: 'Restart all' }));
    await userEvent.click(screen.getByRole('button', { name: 'Start all' }));
    await userEvent.click(screen.getByRole('button', { name: 'Stop all' }));
    expect(host.invocations.map((i) => [i.command, i.args])).toEqual([['restart', {}], ['start', {}], ['stop', {}]]);
    expect((await screen.findByRole('alert')).textContent).toContain('stop failed: supervisor is busy');
  });
});

describe('stack states', () => {
  it('lists config errors as file:line:col path: message while services keep showing', async () => {
    const { emit, host } = renderApp();
    const errors = [
      { file: '/work/stack/hearth.yaml', line: 12, col: 5, path: 'services.api.health_check.interval_secs', message: 'must be a positive number' },
      { file: '/work/stack/hearth.yaml', line: 20, col: 3, path: 'services.wrker', message: 'unknown service "wrker" (did you mean "worker"?)' },
    ];
    emit('snapshot', snapshot([service('api')]));
    host.handle('reload', () => ({ ok: false, errors, added: [], removed: [], changed: [] }));
    await userEvent.click(screen.getByRole('button', { name: 'Reload config' }));
    emit('stack', stack({ config_errors: errors }));
    const banner = screen.getByRole('alert', { name: 'Config errors' });
    expect([...banner.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '/work/stack/hearth.yaml:12:5 services.api.health_check.interval_secs: must be a positive number',
      '/work/stack/hearth.yaml:20:3 services.wrker: unknown service "wrker" (did you mean "worker"?)',
    ]);
    expect(screen.getByRole('listitem', { name: 'api' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/Reload failed: 2 config errors/)).toBeTruthy());
  });

  it('shows "no stack loaded", then connection lost / reconnecting', () => {
    const { emit } = renderApp();
    expect(screen.getByText('Connecting to Hearth…')).toBeTruthy();
    emit('snapshot', { stack: null, services: [], logs: [], now: T0 });
    expect(screen.getByText('No stack loaded')).toBeTruthy();
    emit('connection', { connected: false, error: 'socket closed' });
    expect(screen.getByRole('alert').textContent).toMatch(/Connection lost — reconnecting…/);
    emit('connection', { connected: true });
    expect(screen.queryByText(/Connection lost/)).toBeNull();
  });

  it('asks the host for status when no snapshot event arrives', async () => {
    // A host that emitted its snapshot before the UI subscribed: the UI must fetch one itself.
    const host = new HarnessHost();
    host.snapshot = snapshot([service('late')]);
    renderApp(undefined, makeSession(host));
    expect(await screen.findByRole('listitem', { name: 'late' })).toBeTruthy();
    expect(host.calls('status')).toEqual([{}]);
  });

  it('shows the status error when there is no snapshot at all', async () => {
    renderApp();
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('no snapshot yet'));
  });

  it('header summary counts states', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('a'), service('b', { state: 'FAILED', pid: null })]));
    const summary = screen.getByRole('status', { name: 'Stack health' });
    expect(summary.textContent).toContain('1 needs attention');
    expect(summary.textContent).toContain('1 failed');
    expect(summary.textContent).toContain('1 healthy');
  });

  it('selects a service by click; j/k move, r/x/s act on the selection', () => {
    const { emit, host } = renderApp();
    emit('snapshot', snapshot([service('api'), service('job', { state: 'FAILED', pid: null })]));
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(item('api').getAttribute('aria-current')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(item('job').getAttribute('aria-current')).toBe('true');
    fireEvent.keyDown(document.body, { key: 'x' });
    fireEvent.keyDown(document.body, { key: 'r' });
    fireEvent.keyDown(document.body, { key: 's' });
    fireEvent.keyDown(document.body, { key: 'k' });
    fireEvent.keyDown(document.body, { key: 'x' });
    expect(host.invocations.filter((i) => i.command !== 'status')).toEqual([
      { command: 'start', args: { services: ['job'] } },
      { command: 'restart', args: { services: ['job'] } },
      { command: 'snooze', args: { service: 'job' } },
      { command: 'stop', args: { services: ['api'] } },
    ]);
    fireEvent.keyDown(document.body, { key: '?' });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' }).textContent).toContain('Toggle the health-check snooze');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(screen.getByRole('button', { name: /All services/ }).getAttribute('aria-pressed')).toBe('true');
  });
});
