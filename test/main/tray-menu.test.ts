import { describe, expect, it } from 'vitest';
import type { MenuTemplateItem } from '../../electron/main/menu-model';
import { buildTrayMenu, describeService, trayHealth, trayIconFile, trayTooltip } from '../../electron/main/tray-menu';
import { makeStatus } from './fixtures';
import { parseCommand } from '../../shared/contract';

const NOW = 1_700_000_100_000;

const api = makeStatus('api', { ports: { http: 20001, admin: 20002 } });
const web = makeStatus('web', { state: 'STARTING', ports: { http: 20003 }, depends_on: ['api'] }, { status: 'unknown', phase: 'grace' });
const migrate = makeStatus('migrate', { service: false, state: 'FINISHED', pid: null, ports: {} }, { status: 'none', settings: null });
const worker = makeStatus('worker', {
  state: 'RESTARTING',
  flaps: 3,
  pid: null,
  next_attempt_at: NOW + 4_000,
  last_exit: { code: 1, signal: null, at: NOW },
  ports: {},
});

function find(items: MenuTemplateItem[] | undefined, label: string | RegExp): MenuTemplateItem {
  const item = items?.find((i) => (typeof label === 'string' ? i.label === label : label.test(i.label ?? '')));
  if (!item) throw new Error(`no item ${String(label)} in ${JSON.stringify(items?.map((i) => i.label))}`);
  return item;
}

describe('trayHealth', () => {
  it('is idle with nothing running', () => {
    expect(trayHealth([])).toBe('idle');
    expect(trayHealth([migrate, makeStatus('x', { state: 'STOPPED' })])).toBe('idle');
  });

  it('is healthy when every running service is healthy (finished jobs do not count against it)', () => {
    expect(trayHealth([api, migrate])).toBe('healthy');
    expect(trayHealth([makeStatus('no-check', {}, { status: 'none', settings: null })])).toBe('healthy');
  });

  it('needs attention while starting, restarting or snoozed', () => {
    expect(trayHealth([api, web])).toBe('attention');
    expect(trayHealth([api, makeStatus('x', { state: 'RESTARTING', flaps: 0 })])).toBe('attention');
    expect(trayHealth([api, makeStatus('x', { snoozed: true, snoozed_since: NOW }, { status: 'snoozed' })])).toBe('attention');
  });

  it('is an error while a service is killed for failing its checks, and its line says so', () => {
    const killing = makeStatus('x', { state: 'STOPPING', stop_reason: 'unhealthy' }, { status: 'unhealthy' });
    expect(trayHealth([api, killing])).toBe('error');
    expect(describeService(killing, NOW)).toBe('Killing: unhealthy');
    expect(describeService(makeStatus('y', { state: 'STOPPING' }), NOW)).toBe('Stopping');
  });

  it('is an error when something is unhealthy, failed or crash looping', () => {
    expect(trayHealth([api, web, makeStatus('x', {}, { status: 'unhealthy' })])).toBe('error');
    expect(trayHealth([api, makeStatus('j', { state: 'FAILED', service: false })])).toBe('error');
    expect(trayHealth([api, worker])).toBe('error');
  });
});

describe('trayTooltip', () => {
  it('summarises counts', () => {
    expect(trayTooltip({ stackName: 'shop', services: [api, web, migrate, worker], configErrors: 0 })).toBe(
      'Hearth — shop\n1 running, 1 starting, 1 failing, 1 stopped',
    );
    expect(trayTooltip({ stackName: 'shop', services: [], configErrors: 2 })).toBe('Hearth — shop\n2 config errors');
    expect(trayTooltip({ stackName: null, services: [], configErrors: 0 })).toBe('Hearth — no stack open');
  });
});

describe('describeService', () => {
  it('reads like a sentence', () => {
    expect(describeService(api, NOW)).toBe('Running, healthy');
    expect(describeService(worker, NOW)).toBe('Restarting in 4 s (crash loop)');
    expect(describeService(migrate, NOW)).toBe('Finished');
    expect(describeService(makeStatus('p', { state: 'PENDING', depends_on: ['db'] }), NOW)).toBe('Waiting for db');
    expect(describeService(makeStatus('j', { state: 'FAILED', last_exit: { code: 2, signal: null, at: NOW } }), NOW)).toBe('Failed: exit code 2');
  });
});

describe('buildTrayMenu', () => {
  const menu = buildTrayMenu({ stackName: 'shop', services: [api, web, migrate, worker], configErrors: 0, now: NOW });

  it('lists the stack, each service as a submenu, then the global actions', () => {
    expect(menu.map((i) => i.label ?? `-${i.type}-`)).toEqual([
      'shop',
      '-separator-',
      'api — Running, healthy',
      'web — Starting',
      'migrate — Finished',
      'worker — Restarting in 4 s (crash loop)',
      '-separator-',
      'Restart all',
      'Start all',
      'Stop all',
      '-separator-',
      'Show Hearth',
      'Quit Hearth (stops all services)',
    ]);
    expect(find(menu, 'Restart all').action).toEqual({ command: 'restart', args: {} });
    expect(find(menu, 'Stop all').action).toEqual({ command: 'stop', args: {} });
    expect(find(menu, 'Show Hearth').action).toBe('show');
    expect(find(menu, /^Quit/).action).toBe('quit');
  });

  it('gives a running service Restart, Stop, snooze choices and its ports', () => {
    const sub = find(menu, /^api/).submenu;
    expect(sub?.[0]).toEqual({ label: 'Running, healthy', enabled: false });
    expect(find(sub, 'Restart').action).toEqual({ command: 'restart', args: { services: ['api'] } });
    expect(find(sub, 'Stop').action).toEqual({ command: 'stop', args: { services: ['api'] } });
    expect(sub?.some((i) => i.label === 'Start')).toBe(false);
    expect(find(sub, 'Snooze health checks').submenu?.map((i) => [i.label, i.action])).toEqual([
      ['For 15 minutes', { command: 'snooze', args: { service: 'api', for_secs: 900 } }],
      ['For 1 hour', { command: 'snooze', args: { service: 'api', for_secs: 3600 } }],
      ['Until turned off', { command: 'snooze', args: { service: 'api' } }],
    ]);
    expect(find(sub, /20001/)).toMatchObject({ label: 'Open http://localhost:20001 (http)', enabled: true, action: { openExternal: 'http://localhost:20001' } });
    expect(find(sub, /20002/).action).toEqual({ openExternal: 'http://localhost:20002' });
  });

  it('offers a capture of a service that has a process: each kind, the CPU profile timed; none while one runs', () => {
    const sub = find(menu, /^api/).submenu;
    expect(find(sub, 'Capture').submenu?.map((i) => [i.label, i.action])).toEqual([
      ['CPU profile (10 s)', { command: 'capture', args: { service: 'api', kind: 'cpu', for_secs: 10 } }],
      ['Heap snapshot', { command: 'capture', args: { service: 'api', kind: 'heap' } }],
      ['Core dump', { command: 'capture', args: { service: 'api', kind: 'core' } }],
      ['Thread dump', { command: 'capture', args: { service: 'api', kind: 'threads' } }],
    ]);
    // Every action is a valid command of the contract (what the tray's click handler invokes).
    for (const item of find(sub, 'Capture').submenu ?? []) {
      const action = item.action as { command: string; args: unknown };
      expect(() => parseCommand(action.command, action.args)).not.toThrow();
    }
    const capturing = makeStatus('api', { snoozed: true, capture: { kind: 'heap', engine: 'node-inspector', started_at: NOW, until: null } }, { status: 'snoozed' });
    const busy = find(buildTrayMenu({ stackName: 'shop', services: [capturing], configErrors: 0, now: NOW }), /^api/).submenu;
    expect(find(busy, 'Capturing (heap)…')).toEqual({ label: 'Capturing (heap)…', enabled: false });
    expect(busy?.some((i) => i.label === 'Capture')).toBe(false);
    // Nothing to capture without a process.
    expect(find(menu, /^worker/).submenu?.some((i) => /Captur/.test(i.label ?? ''))).toBe(false);
  });

  it('offers Start (not Stop) for a finished job, and no snooze without a health check', () => {
    const sub = find(menu, /^migrate/).submenu;
    expect(find(sub, 'Start').action).toEqual({ command: 'start', args: { services: ['migrate'] } });
    expect(sub?.some((i) => i.label === 'Stop' || /Snooze/.test(i.label ?? ''))).toBe(false);
  });

  it('offers Unsnooze on a snoozed service', () => {
    const snoozed = makeStatus('api', { snoozed: true, snoozed_since: NOW }, { status: 'snoozed' });
    const sub = find(buildTrayMenu({ stackName: 'shop', services: [snoozed], configErrors: 0, now: NOW }), /^api/).submenu;
    expect(find(sub, 'Unsnooze health checks').action).toEqual({ command: 'unsnooze', args: { service: 'api' } });
    expect(sub?.some((i) => i.label === 'Snooze health checks')).toBe(false);
  });

  it('disables port links while the service is not running', () => {
    const stopped = makeStatus('api', { state: 'STOPPED', pid: null });
    const sub = find(buildTrayMenu({ stackName: 'shop', services: [stopped], configErrors: 0, now: NOW }), /^api/).submenu;
    expect(find(sub, /20001/).enabled).toBe(false);
  });

  it('omits Start all when everything runs, and flags config errors', () => {
    const items = buildTrayMenu({ stackName: 'shop', services: [api], configErrors: 1, now: NOW });
    expect(items.some((i) => i.label === 'Start all')).toBe(false);
    expect(find(items, /1 error in the stack file/).action).toBe('show');
  });

  it('does not offer Start all for a stopped autostart: false service (Start all leaves it stopped)', () => {
    const manual = makeStatus('docs', { state: 'STOPPED', pid: null, autostart: false });
    const items = buildTrayMenu({ stackName: 'shop', services: [api, manual], configErrors: 0, now: NOW });
    expect(items.some((i) => i.label === 'Start all')).toBe(false);
    expect(find(find(items, /^docs/).submenu, 'Start').action).toEqual({ command: 'start', args: { services: ['docs'] } });
  });

  it('has an Open Stack entry when no stack is open', () => {
    const items = buildTrayMenu({ stackName: null, services: [], configErrors: 0, now: NOW });
    expect(items.map((i) => i.label ?? '-')).toEqual(['No stack open', '-', 'Open Stack…', 'Show Hearth', 'Quit Hearth (stops all services)']);
    expect(find(items, 'Open Stack…').action).toBe('open-stack-dialog');
  });
});

describe('trayIconFile', () => {
  it('uses the template image on macOS while all is well, colours elsewhere', () => {
    expect(trayIconFile('healthy', 'darwin')).toBe('trayTemplate.png');
    expect(trayIconFile('idle', 'darwin')).toBe('trayTemplate.png');
    expect(trayIconFile('error', 'darwin')).toBe('tray-error.png');
    expect(trayIconFile('attention', 'linux')).toBe('tray-attention.png');
    expect(trayIconFile('healthy', 'win32')).toBe('tray-healthy.png');
  });
});

describe('trayTooltip resources', () => {
  const MiB = 1024 ** 2;
  const res = (cpu: number, rssMiB: number, over = false) => ({
    cpu_percent: cpu,
    rss_bytes: rssMiB * MiB,
    history: [],
    ram_limit_bytes: over ? 100 * MiB : null,
    over_ram: over,
  });

  it('adds the total CPU and RAM of every measured process tree', () => {
    const a = makeStatus('api', { resources: res(12.4, 300) });
    const b = makeStatus('db', { resources: res(30.3, 524, true) });
    const stopped = makeStatus('x', { state: 'STOPPED', pid: null, resources: null });
    expect(trayTooltip({ stackName: 'shop', services: [a, b, stopped], configErrors: 0 })).toBe(
      'Hearth — shop\n2 running, 1 stopped\nCPU 43% · RAM 824 MiB (1 over its limit)',
    );
    expect(trayTooltip({ stackName: 'shop', services: [stopped], configErrors: 0 })).toBe('Hearth — shop\n1 stopped');
  });
});
