import { describe, expect, it } from 'vitest';
import type { CommandName, EventName, HearthEvents } from '../../shared/contract';
import type { ConfigIssue, ServiceStatus, StackSnapshot } from '../../shared/types';
import type { OpenStackOptions, StackHost } from '../../electron/host/stack-host';
import type { Supervisor, SupervisorListener } from '../../electron/supervisor/api';
import { createStackSession, type StackSessionDeps } from '../../electron/main/stack-session';
import { makeStatus } from './fixtures';

/** A stand-in for a hosted supervisor: records commands, lets the test emit events. */
function fakeHost(file: string, services: ServiceStatus[]) {
  const listeners = new Set<SupervisorListener>();
  const invoked: Array<[CommandName, unknown]> = [];
  let closed = 0;
  let resourceWatchers = 0;
  let markClosed = () => {};
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));
  const snap = (): StackSnapshot => ({
    stack: { name: 'shop', file, dir: '/s', config_errors: [], loaded_at: 1, snooze_warn_after_secs: 3600 },
    services,
    logs: [],
    now: 5,
  });
  const supervisor: Supervisor = {
    file,
    invoke: async (command, args) => {
      invoked.push([command, args]);
      return { services: [] } as never;
    },
    subscribe(listener, opts) {
      if (opts?.resources) resourceWatchers++;
      listeners.add(listener);
      listener('snapshot', snap());
      return () => {
        if (opts?.resources) resourceWatchers--;
        listeners.delete(listener);
      };
    },
    snapshot: snap,
    watchResources: () => {
      resourceWatchers++;
      return () => resourceWatchers--;
    },
    close: async () => {},
  };
  const host: StackHost = {
    supervisor,
    controlSocket: '/tmp/x.sock',
    orphans: [],
    close: async () => {
      closed += 1;
      markClosed();
    },
    closed: closedPromise,
    serveWebLogin: () => undefined, // the app serves no web UI
  };
  return {
    host,
    invoked,
    emit: <E extends EventName>(event: E, payload: HearthEvents[E]) => listeners.forEach((l) => l(event, payload)),
    listenerCount: () => listeners.size,
    resourceWatchers: () => resourceWatchers,
    closed: () => closed,
    /** The host closed by itself (the `shutdown` command arrived over the control socket). */
    shutDownRemotely: () => markClosed(),
  };
}

class FakeLoadError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super('bad');
  }
}

function setup(hosts: Record<string, ReturnType<typeof fakeHost> | ConfigIssue[]>) {
  const opened: OpenStackOptions[] = [];
  const watchers = new Map<string, () => void>();
  let shutdowns = 0;
  const deps: StackSessionDeps = {
    openHost: async (opts) => {
      opened.push(opts);
      const h = hosts[opts.file];
      if (!h) throw new Error(`ENOENT: ${opts.file}`);
      if (Array.isArray(h)) throw new FakeLoadError(h);
      return h.host;
    },
    watchFile: (file, onChange) => {
      watchers.set(file, onChange);
      return () => watchers.delete(file);
    },
    now: () => 42,
    onShutdown: () => {
      shutdowns += 1;
    },
    issuesOf: (error, file) =>
      error instanceof FakeLoadError ? error.issues : [{ file, line: 0, col: 0, path: '', message: String((error as Error).message) }],
  };
  const session = createStackSession(deps);
  const events: Array<[EventName, unknown]> = [];
  session.subscribe((event, payload) => events.push([event, payload]));
  return { session, opened, watchers, events, shutdowns: () => shutdowns };
}

const issue: ConfigIssue = { file: '/bad/hearth.yaml', line: 3, col: 5, path: 'services.api.cmd', message: 'required' };

describe('stack session', () => {
  it('starts empty and opens a stack with the control socket and file watching on', async () => {
    const shop = fakeHost('/s/hearth.yaml', [makeStatus('api'), makeStatus('web', { ports: { http: 20003 } })]);
    const { session, opened, events } = setup({ '/s/hearth.yaml': shop });
    expect(events).toEqual([['snapshot', { stack: null, services: [], logs: [], now: 42 }]]);
    expect(session.view()).toEqual({ file: null, stack: null, services: [] });

    const result = await session.open('/s/hearth.yaml');
    expect(result.ok).toBe(true);
    expect(opened).toEqual([{ file: '/s/hearth.yaml', control: true, watch: true }]);
    expect(events.map(([e]) => e)).toEqual(['snapshot', 'snapshot']);
    expect([...session.knownServices()]).toEqual(['api', 'web']);
    expect(session.ports().sort()).toEqual([20001, 20003]);
  });

  it('mirrors service events and forwards them', async () => {
    const shop = fakeHost('/s/hearth.yaml', [makeStatus('api')]);
    const { session, events } = setup({ '/s/hearth.yaml': shop });
    await session.open('/s/hearth.yaml');
    shop.emit('service', makeStatus('worker', { ports: { q: 20009 } }));
    shop.emit('service_removed', { name: 'api' });
    expect([...session.knownServices()]).toEqual(['worker']);
    expect(session.ports()).toEqual([20009]);
    expect(events.slice(-2).map(([e]) => e)).toEqual(['service', 'service_removed']);
  });

  it('passes commands to the supervisor', async () => {
    const shop = fakeHost('/s/hearth.yaml', [makeStatus('api')]);
    const { session } = setup({ '/s/hearth.yaml': shop });
    await session.open('/s/hearth.yaml');
    await session.invoke('restart', { services: ['api'] });
    expect(shop.invoked).toEqual([['restart', { services: ['api'] }]]);
  });

  it('shutdown quits the app instead of reaching the supervisor', async () => {
    const shop = fakeHost('/s/hearth.yaml', []);
    const { session, shutdowns } = setup({ '/s/hearth.yaml': shop });
    await session.open('/s/hearth.yaml');
    await expect(session.invoke('shutdown', {})).resolves.toEqual({ stopping: true });
    expect(shutdowns()).toBe(1);
    expect(shop.invoked).toEqual([]);
  });

  it('quits the app when the host closes by itself (hearth down), but not when we close it', async () => {
    const a = fakeHost('/a/hearth.yaml', [makeStatus('api')]);
    const b = fakeHost('/b/hearth.yaml', [makeStatus('db')]);
    const { session, shutdowns } = setup({ '/a/hearth.yaml': a, '/b/hearth.yaml': b });
    await session.open('/a/hearth.yaml');
    await session.open('/b/hearth.yaml');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shutdowns()).toBe(0);
    b.shutDownRemotely();
    await expect.poll(() => shutdowns()).toBe(1);
  });

  it('switching stacks stops the old one first', async () => {
    const a = fakeHost('/a/hearth.yaml', [makeStatus('api')]);
    const b = fakeHost('/b/hearth.yaml', [makeStatus('db')]);
    const { session } = setup({ '/a/hearth.yaml': a, '/b/hearth.yaml': b });
    await Promise.all([session.open('/a/hearth.yaml'), session.open('/b/hearth.yaml')]);
    expect(a.closed()).toBe(1);
    expect(a.listenerCount()).toBe(0);
    // The app shows CPU/RSS (window meters, tray total) of the open stack only.
    expect(a.resourceWatchers()).toBe(0);
    expect(b.resourceWatchers()).toBe(1);
    expect(b.closed()).toBe(0);
    expect([...session.knownServices()]).toEqual(['db']);
    a.emit('service', makeStatus('ghost'));
    expect(session.knownServices().has('ghost')).toBe(false);
  });

  it('shows load errors as a stack with config_errors, and retries when the file changes', async () => {
    const hosts: Record<string, ReturnType<typeof fakeHost> | ConfigIssue[]> = { '/bad/hearth.yaml': [issue] };
    const { session, events, watchers, opened } = setup(hosts);
    const result = await session.open('/bad/hearth.yaml');
    expect(result).toEqual({ ok: false, issues: [issue] });
    const [event, payload] = events.at(-1) ?? [];
    expect(event).toBe('snapshot');
    expect((payload as StackSnapshot).stack).toEqual({
      name: 'bad',
      file: '/bad/hearth.yaml',
      dir: '/bad',
      config_errors: [issue],
      loaded_at: null,
      snooze_warn_after_secs: 0,
    });
    expect(session.view().stack?.config_errors).toEqual([issue]);

    // Commands that need services explain why they cannot run.
    await expect(session.invoke('restart', {})).rejects.toThrow(/stack file has errors/);
    await expect(session.invoke('status', {})).resolves.toMatchObject({ services: [] });

    // The user saves a fix: the watcher fires and the stack opens.
    const fixed = fakeHost('/bad/hearth.yaml', [makeStatus('api')]);
    hosts['/bad/hearth.yaml'] = fixed;
    watchers.get('/bad/hearth.yaml')?.();
    await expect.poll(() => session.knownServices().has('api')).toBe(true);
    expect(opened).toHaveLength(2);
    expect(watchers.size).toBe(0);
  });

  it('reload retries a broken stack and reports the outcome', async () => {
    const hosts: Record<string, ReturnType<typeof fakeHost> | ConfigIssue[]> = { '/bad/hearth.yaml': [issue] };
    const { session } = setup(hosts);
    await session.open('/bad/hearth.yaml');
    await expect(session.invoke('reload', {})).resolves.toEqual({ ok: false, errors: [issue], added: [], removed: [], changed: [] });
    hosts['/bad/hearth.yaml'] = fakeHost('/bad/hearth.yaml', [makeStatus('api')]);
    await expect(session.invoke('reload', {})).resolves.toEqual({ ok: true, errors: [], added: ['api'], removed: [], changed: [] });
  });

  it('turns any other open failure (missing file, already running) into an error line', async () => {
    const { session } = setup({});
    const result = await session.open('/nope/hearth.yaml');
    expect(result).toEqual({ ok: false, issues: [{ file: '/nope/hearth.yaml', line: 0, col: 0, path: '', message: 'ENOENT: /nope/hearth.yaml' }] });
    await expect(session.invoke('stop', {})).rejects.toThrow();
  });

  it('close stops the stack and is idempotent', async () => {
    const shop = fakeHost('/s/hearth.yaml', [makeStatus('api')]);
    const { session } = setup({ '/s/hearth.yaml': shop });
    await session.open('/s/hearth.yaml');
    expect(shop.resourceWatchers()).toBe(1);
    await session.close();
    await session.close();
    expect(shop.closed()).toBe(1);
    expect(shop.resourceWatchers()).toBe(0);
    // opening after close does nothing
    await expect(session.open('/s/hearth.yaml')).resolves.toMatchObject({ ok: false });
    expect(shop.closed()).toBe(1);
  });

  it('a throwing subscriber does not stop the others', async () => {
    const shop = fakeHost('/s/hearth.yaml', []);
    const { session, events } = setup({ '/s/hearth.yaml': shop });
    session.subscribe((event) => {
      if (event === 'service') throw new Error('tray gone');
    });
    await session.open('/s/hearth.yaml');
    shop.emit('service', makeStatus('api'));
    expect(events.at(-1)?.[0]).toBe('service');
  });
});
