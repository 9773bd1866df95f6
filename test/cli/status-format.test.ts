import { describe, expect, it } from 'vitest';
import { makePalette } from '../../electron/cli/color';
import { describeChange, formatPortsTable, formatStatusTable, portEntries, statusJson } from '../../electron/cli/status-format';
import type { StackSnapshot } from '../../shared/types';
import { healthView, serviceStatus } from '../helpers/status-fixtures';

const plain = makePalette(false);
const NOW = 1_700_000_000_000;
const MiB = 1024 ** 2;

function snapshot(services: StackSnapshot['services']): StackSnapshot {
  return {
    stack: { name: 's', file: '/x/hearth.yaml', dir: '/x', config_errors: [], loaded_at: NOW, snooze_warn_after_secs: 3600 },
    services,
    logs: [],
    now: NOW,
  };
}

describe('status table', () => {
  it('shows state, health, pid, restarts, uptime, ports and snooze', () => {
    const lines = formatStatusTable(
      snapshot([
        serviceStatus('api', {
          state: 'RUNNING',
          pid: 123,
          restarts: 2,
          started_at: NOW - 252_000,
          ports: { http: 20001, admin: 20002 },
          health: healthView({ status: 'healthy' }),
        }),
        serviceStatus('db', { state: 'RESTARTING', next_attempt_at: NOW + 3_200, restarts: 5 }),
        serviceStatus('cache', { state: 'RUNNING', pid: 9, started_at: NOW - 1000, snoozed: true, snoozed_since: NOW - 2 * 3600_000 }),
        serviceStatus('worker', {
          state: 'RUNNING',
          pid: 10,
          snoozed: true,
          snoozed_since: NOW - 60_000,
          snooze_until: NOW + 240_000,
          health: healthView({ status: 'unhealthy', consecutive_failures: 2 }),
        }),
      ]),
      plain,
    );
    expect(lines).toEqual([
      'NAME    STATE             HEALTH                PID  RESTARTS  UPTIME  PORTS                   SNOOZE',
      'api     RUNNING           healthy               123  2         4m12s   http=20001,admin=20002  -',
      'db      RESTARTING in 4s  -                     -    5         -       -                       -',
      'cache   RUNNING           -                     9    0         1s      -                       2h ⚠',
      'worker  RUNNING           unhealthy (2 failed)  10   0         -       -                       1m (4m left)',
    ]);
  });
});

describe('status table: health without a process', () => {
  it('shows a dash for a service with checks that has no process to check, and the verdict once it has', () => {
    const unknown = healthView({ status: 'unknown' });
    const lines = formatStatusTable(
      snapshot([
        serviceStatus('stopped', { state: 'STOPPED', health: unknown }),
        serviceStatus('docs', { state: 'STOPPED', autostart: false }),
        serviceStatus('starting', { state: 'STARTING', pid: 7, started_at: NOW - 1000, health: unknown }),
        serviceStatus('killed', { state: 'RESTARTING', next_attempt_at: NOW + 1000, health: healthView({ status: 'unhealthy', consecutive_failures: 3 }) }),
      ]),
      plain,
    ).map((l) => l.split(/\s{2,}/).slice(0, 3).join(' | '));
    expect(lines.slice(1)).toEqual(['stopped | STOPPED | -', 'docs | STOPPED (on demand) | -', 'starting | STARTING | unknown', 'killed | RESTARTING in 1s | unhealthy (3 failed)']);
  });
});

describe('status --json', () => {
  it('puts the most used fields first and keeps every ServiceStatus field', () => {
    const status = serviceStatus('api', { state: 'RUNNING', pid: 5, ports: { http: 1 }, health: healthView({ status: 'healthy', consecutive_successes: 3 }) });
    const json = statusJson(snapshot([status]));
    const service = json.services[0]!;
    expect(Object.keys(service).slice(0, 8)).toEqual(['name', 'state', 'pid', 'restarts', 'ports', 'sandbox', 'snoozed', 'health']);
    expect(Object.keys(service.health).slice(0, 3)).toEqual(['status', 'consecutive_successes', 'consecutive_failures']);
    expect(service).toEqual(status); // same content, only reordered
    expect(Object.keys(json)).toEqual(['stack', 'services']);
    expect(json.stack?.file).toBe('/x/hearth.yaml');
  });
});

describe('ports', () => {
  it('lists every named port with a local URL', () => {
    const entries = portEntries(snapshot([serviceStatus('api', { ports: { http: 20001, admin: 20002 } }), serviceStatus('db', { ports: {} })]));
    expect(entries).toEqual([
      { service: 'api', name: 'http', port: 20001, url: 'http://localhost:20001' },
      { service: 'api', name: 'admin', port: 20002, url: 'http://localhost:20002' },
    ]);
    expect(formatPortsTable(entries, plain)).toEqual([
      'SERVICE  NAME   PORT   URL',
      'api      http   20001  http://localhost:20001',
      'api      admin  20002  http://localhost:20002',
    ]);
  });
});

describe('describeChange', () => {
  const running = serviceStatus('api', { state: 'RUNNING', pid: 7, run: 1, health: healthView({ status: 'healthy' }) });

  it('says nothing when nothing visible changed', () => {
    expect(describeChange(running, { ...running, restarts: running.restarts }, NOW)).toEqual([]);
  });

  it('describes state and health changes', () => {
    const starting = { ...running, state: 'STARTING' as const, health: healthView({ status: 'unknown' }) };
    expect(describeChange(undefined, starting, NOW)).toEqual(['api is STARTING (pid 7)']);
    expect(describeChange(starting, running, NOW)).toEqual(['api is RUNNING (healthy)']);
    const unhealthy = { ...running, health: healthView({ status: 'unhealthy' }) };
    expect(describeChange(running, unhealthy, NOW)).toEqual(['api is RUNNING (unhealthy)']);
    const noCheck = serviceStatus('web', { state: 'RUNNING', pid: 3 });
    expect(describeChange(undefined, noCheck, NOW)).toEqual(['web is RUNNING (pid 3)']);
    expect(describeChange(running, { ...running, state: 'STOPPED', pid: null }, NOW)).toEqual(['api is STOPPED']);
  });

  it('tells a health kill under way from a stop: STOPPING (killing: unhealthy), in red in the table', () => {
    const killing = { ...running, state: 'STOPPING' as const, stop_reason: 'unhealthy' as const, health: healthView({ status: 'unhealthy' }) };
    expect(describeChange(running, killing, NOW)).toEqual(['api is STOPPING (killing: unhealthy)']);
    expect(describeChange(running, { ...running, state: 'STOPPING', stop_reason: null }, NOW)).toEqual(['api is STOPPING']);
    expect(formatStatusTable(snapshot([killing]), plain).join('\n')).toContain('STOPPING (killing: unhealthy)');
    const red = makePalette(true).red('STOPPING (killing: unhealthy)');
    expect(formatStatusTable(snapshot([killing]), makePalette(true)).join('\n')).toContain(red);
  });

  it("in 'problems' mode (hearth up) reports only new errors and waits", () => {
    const starting = { ...running, state: 'STARTING' as const, health: healthView({ status: 'unknown' }) };
    expect(describeChange(starting, running, NOW, 'problems')).toEqual([]);
    const waiting = { ...running, state: 'PENDING' as const, pid: null, error: 'waiting for db to be healthy' };
    expect(describeChange(running, waiting, NOW, 'problems')).toEqual(['api: waiting for db to be healthy']);
    expect(describeChange(waiting, { ...waiting }, NOW, 'problems')).toEqual([]);
  });

  it('describes restarts with the exit, the countdown and a crash loop', () => {
    const restarting = {
      ...running,
      state: 'RESTARTING' as const,
      pid: null,
      next_attempt_at: NOW + 3_100,
      flaps: 3,
      last_exit: { code: 1, signal: null, at: NOW },
    };
    expect(describeChange(running, restarting, NOW)).toEqual(['api restarting in 4s (exited with code 1, crash loop)']);
    const once = { ...restarting, flaps: 0, last_exit: { code: null, signal: 'SIGKILL', at: NOW } };
    expect(describeChange(running, once, NOW)).toEqual(['api restarting in 4s (killed by SIGKILL)']);
  });

  it('describes failed and finished jobs, snoozes and errors', () => {
    const job = serviceStatus('migrate', { service: false, state: 'RUNNING', pid: 4, max_failures: 3 });
    expect(describeChange(job, { ...job, state: 'FINISHED', pid: null }, NOW)).toEqual(['migrate is FINISHED (exit 0)']);
    const failed = { ...job, state: 'FAILED' as const, pid: null, failures: 3, last_exit: { code: 2, signal: null, at: NOW } };
    expect(describeChange(job, failed, NOW)).toEqual(['migrate is FAILED (exited with code 2, 3/3 failures)']);
    expect(describeChange(running, { ...running, snoozed: true }, NOW)).toEqual(['api health checks snoozed']);
    expect(describeChange({ ...running, snoozed: true }, running, NOW)).toEqual(['api health checks resumed']);
    expect(describeChange(running, { ...running, error: 'log folder is not writable' }, NOW)).toEqual(['api: log folder is not writable']);
  });
});

// CPU and MEM columns: only when some service is measured.
describe('status table resources', () => {
  it('adds CPU and MEM after UPTIME, flags a service over its resources.ram, dashes for the unmeasured', () => {
    const lines = formatStatusTable(
      snapshot([
        serviceStatus('api', {
          state: 'RUNNING',
          pid: 123,
          started_at: NOW - 60_000,
          resources: { cpu_percent: 12.6, rss_bytes: 300 * MiB, history: [], ram_limit_bytes: null, over_ram: false },
        }),
        serviceStatus('db', {
          state: 'RUNNING',
          pid: 124,
          started_at: NOW - 60_000,
          resources: { cpu_percent: 0.2, rss_bytes: 612 * MiB, history: [], ram_limit_bytes: 512 * MiB, over_ram: true },
        }),
        serviceStatus('job', { state: 'FINISHED', pid: null, resources: null }),
      ]),
      plain,
    );
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+HEALTH\s+PID\s+RESTARTS\s+UPTIME\s+CPU\s+MEM\s+PORTS\s+SNOOZE$/);
    expect(lines[1]).toMatch(/^api .* 1m\s+13%\s+300 MiB\s+-\s+-$/);
    expect(lines[2]).toMatch(/^db .* 1m\s+0%\s+612 MiB ⚠\s+-\s+-$/);
    expect(lines[3]).toMatch(/^job\s+FINISHED\s+-\s+-\s+0\s+-\s+-\s+-\s+-\s+-$/);
  });

  it('leaves the columns out when nothing is measured', () => {
    const lines = formatStatusTable(snapshot([serviceStatus('api', { state: 'STOPPED', pid: null })]), plain);
    expect(lines[0]).not.toContain('CPU');
  });
});
