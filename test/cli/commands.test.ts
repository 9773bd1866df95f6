// The CLI end to end: `main([...])` against a real control server hosting the harness supervisor.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatClockMs } from '../../shared/format-clock';
import { main } from '../../electron/cli/main';
import { startControlServer, type ControlServer } from '../../electron/control/server';
import { controlSocketPath } from '../../electron/control/socket-path';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor } from '../helpers/harness-supervisor';
import { healthView } from '../helpers/status-fixtures';
import { captureIo, type CapturedIo } from './capture-io';

let temp: ReturnType<typeof makeTempDir>;
let supervisor: HarnessSupervisor;
let server: ControlServer;

beforeEach(async () => {
  temp = makeTempDir();
  supervisor = new HarnessSupervisor({ file: join(temp.dir, 'hearth.yaml') });
  server = await startControlServer({ supervisor, socketPath: controlSocketPath(temp.dir), onShutdown: () => void server.close() });
});
afterEach(async () => {
  await server.close();
  temp.cleanup();
});

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo(temp.dir, env);
  const code = await main(args, io);
  return { code, io };
}

describe('hearth status', () => {
  it('prints the table of the running instance', async () => {
    supervisor.setService('api', { state: 'RUNNING', pid: 321, ports: { http: 20001 }, health: healthView({ status: 'healthy' }) });
    const { code, io } = await run(['status']);
    expect(code).toBe(0);
    expect(io.err.text).toBe('');
    const lines = io.out.lines();
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+HEALTH\s+PID\s+RESTARTS\s+UPTIME\s+PORTS\s+SNOOZE$/);
    expect(lines[1]).toMatch(/^api\s+RUNNING\s+healthy\s+321\s+0\s+\S+\s+http=20001\s+-$/);
    expect(lines[2]).toMatch(/^db\s+STOPPED\s+-\s+-\s+0\s+-\s+-\s+-$/);
    expect(io.out.text).not.toContain('\x1b[');
  });

  it('prints JSON with the documented shape', async () => {
    supervisor.setService('api', { state: 'RUNNING', pid: 321, ports: { http: 20001 } });
    const { code, io } = await run(['status', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(io.out.text) as { stack: { file: string }; services: Array<Record<string, unknown>> };
    expect(json.stack.file).toBe(supervisor.file);
    expect(json.services.map((s) => s.name)).toEqual(['api', 'db']);
    expect(json.services[0]).toMatchObject({
      name: 'api',
      state: 'RUNNING',
      pid: 321,
      restarts: 0,
      ports: { http: 20001 },
      sandbox: '/tmp/sandbox/api',
      snoozed: false,
      health: { status: 'none', consecutive_successes: 0, consecutive_failures: 0 },
      depends_on: [],
      last_exit: null,
    });
  });

  it('uses colours only when forced or on a terminal without NO_COLOR', async () => {
    expect((await run(['status'], { FORCE_COLOR: '1' })).io.out.text).toContain('\x1b[');
    expect((await run(['status'], { FORCE_COLOR: '1', NO_COLOR: '1' })).io.out.text).not.toContain('\x1b[');
  });

  it('--watch redraws the table after changes until Ctrl-C', async () => {
    const io = captureIo(temp.dir);
    const done = main(['status', '--watch'], io);
    await waitFor(() => io.handlerCount() === 1 && io.out.text.includes('STOPPED'), { what: 'first table' });
    expect(io.out.text).not.toContain('RUNNING');
    expect(supervisor.resourceWatchers).toBe(1); // its CPU/MEM columns stay live while it watches
    supervisor.setService('db', { state: 'RUNNING', pid: 4242 });
    await waitFor(() => io.out.text.includes('4242'), { what: 'redrawn table' });
    io.interrupt();
    expect(await done).toBe(0);
    await waitFor(() => supervisor.resourceWatchers === 0, { what: 'the watch released after Ctrl-C' });
    const tables = io.out.text.trim().split('\n\n');
    expect(tables.length).toBeGreaterThanOrEqual(2);
    expect(tables.at(-1)).toMatch(/^db\s+RUNNING\s+-\s+4242\b/m);
    expect((await run(['status', '--watch', '--json'])).code).toBe(2);
  });

  it('shows only the services named, a group name standing for its instances', async () => {
    supervisor.setService('pool.0', { state: 'RUNNING', pid: 11, group: 'pool', instance: 0 });
    supervisor.setService('pool.1', { state: 'RUNNING', pid: 12, group: 'pool', instance: 1 });
    const names = async (...args: string[]) => {
      const { code, io } = await run(['status', '--json', ...args]);
      expect(code).toBe(0);
      return (JSON.parse(io.out.text) as { services: Array<{ name: string }> }).services.map((s) => s.name);
    };
    expect(await names('pool')).toEqual(['pool.0', 'pool.1']);
    expect(await names('db', 'pool.1')).toEqual(['db', 'pool.1']);
    expect((await run(['status', 'db'])).io.out.lines().map((l) => l.split(/\s+/)[0])).toEqual(['NAME', 'db']);
    const unknown = await run(['status', 'pol']);
    expect(unknown.code).toBe(1);
    expect(unknown.io.err.text).toBe('hearth status: no service named pol (services: api, db, pool)\n');
    expect((await run(['status', '--watch', 'db'])).code).toBe(2);
  });

  it('accepts -f before or after the command', async () => {
    expect((await run(['-f', 'hearth.yaml', 'status'])).code).toBe(0);
    expect((await run(['status', '--file', join(temp.dir, 'hearth.yaml')])).code).toBe(0);
  });
});

describe('talking to no instance', () => {
  it('explains how to start one, without a stack trace', async () => {
    const other = makeTempDir();
    try {
      const io = captureIo(other.dir);
      expect(await main(['status'], io)).toBe(1);
      expect(io.err.text).toBe('no running hearth instance for hearth.yaml (start one with: hearth up -f hearth.yaml)\n');
      const io2 = captureIo(other.dir);
      expect(await main(['-f', 'stacks/dev.yaml', 'logs'], io2)).toBe(1);
      expect(io2.err.text).toBe('no running hearth instance for stacks/dev.yaml (start one with: hearth up -f stacks/dev.yaml)\n');
    } finally {
      other.cleanup();
    }
  });

  it('refuses an instance in the same folder that runs another stack file', async () => {
    const { code, io } = await run(['stop', '--all', '-f', 'other.yaml']);
    expect(code).toBe(1);
    expect(io.err.text).toContain(`runs ${supervisor.file}, not ${join(temp.dir, 'other.yaml')}`);
    expect(supervisor.invokes).toEqual([]);
  });
});

describe('start / stop / restart', () => {
  it('starts named services, or all without names', async () => {
    let result = await run(['start', 'api']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.io.out.text).toBe('starting api\n');
    result = await run(['start']);
    expect(result.io.out.text).toBe('starting api, db\n');
    expect(supervisor.invokes).toEqual([
      { command: 'start', args: { services: ['api'] } },
      { command: 'start', args: {} },
    ]);
  });

  it('says so when a start found everything up, instead of naming nothing', async () => {
    supervisor.onInvoke(() => ({ services: [] }));
    expect((await run(['start', 'api'])).io.out.text).toBe('nothing to start: api already running\n');
    expect((await run(['start'])).io.out.text).toBe('nothing to start: every service is already running or finished\n');
    supervisor.onInvoke(() => ({ services: ['db'] }));
    expect((await run(['start', 'api', 'db'])).io.out.text).toBe('starting db\n');
  });

  it('requires names or --all to stop or restart', async () => {
    for (const verb of ['stop', 'restart']) {
      const { code, io } = await run([verb]);
      expect(code).toBe(2);
      expect(io.err.text).toContain(`hearth ${verb}: which services? Name them (hearth ${verb} api db) or use --all`);
    }
    expect((await run(['stop', '--all', 'api'])).code).toBe(2);
    expect(supervisor.invokes).toEqual([]);
    const { code, io } = await run(['stop', '--all']);
    expect(code).toBe(0);
    expect(io.out.text).toBe('stopping api, db\n');
    expect((await run(['restart', 'db'])).io.out.text).toBe('restarting db\n');
  });

  it('reports an unknown service with the supervisor’s message', async () => {
    const { code, io } = await run(['restart', 'nope']);
    expect(code).toBe(1);
    expect(io.err.text).toBe('no service named "nope" in this stack\n');
  });

  it('reports an invalid service name from the contract validation', async () => {
    const { code, io } = await run(['start', 'Not_Valid!']);
    expect(code).toBe(1);
    expect(io.err.text).toMatch(/^start: services.0: not a service name/);
  });
});

describe('snooze / unsnooze', () => {
  it('snoozes for a parsed duration, or until unsnoozed', async () => {
    let result = await run(['snooze', 'api', '--for', '1h30m']);
    expect(result.code).toBe(0);
    expect(result.io.out.text).toMatch(/^snoozed api until \d\d:\d\d:\d\d \(1h30m\)\n$/);
    expect(supervisor.invokes.at(-1)).toEqual({ command: 'snooze', args: { service: 'api', for_secs: 5400 } });
    result = await run(['snooze', 'db']);
    expect(result.io.out.text).toBe('snoozed db until `hearth unsnooze` (health checks are off)\n');
    result = await run(['unsnooze', 'db']);
    expect(result.io.out.text).toBe('unsnoozed db: health checks resume\n');
    expect(supervisor.services.get('db')?.snoozed).toBe(false);
  });

  it('rejects bad durations and missing names before calling the instance', async () => {
    let result = await run(['snooze', 'api', '--for', '90']);
    expect(result.code).toBe(2);
    expect(result.io.err.text).toContain('hearth snooze: --for: duration "90" has no unit');
    result = await run(['snooze']);
    expect(result.code).toBe(2);
    expect(result.io.err.text).toContain('hearth snooze: missing SERVICE');
    expect(supervisor.invokes).toEqual([]);
  });
});

describe('hearth logs', () => {
  beforeEach(() => {
    supervisor.log('api', 'api one');
    supervisor.log('db', 'db one', 'stderr');
    supervisor.log('api', 'api two');
    supervisor.log('api', 'started (pid 5)', 'system');
  });

  it('prints the tail, of all services or one', async () => {
    let result = await run(['logs']);
    expect(result.code).toBe(0);
    expect(result.io.out.lines()).toEqual(['api    | api one', 'db     ! db one', 'api    | api two', 'hearth | api: started (pid 5)']);
    expect(result.io.out.writes).toBe(1); // the whole tail in one write
    result = await run(['logs', 'api', '-n', '2']);
    expect(result.io.out.lines()).toEqual(['api    | api two', 'hearth | api: started (pid 5)']);
    expect(supervisor.invokes.at(-1)).toEqual({ command: 'logs', args: { service: 'api', tail: 2 } });
    result = await run(['logs', '-n', 'lots']);
    expect(result.code).toBe(2);
  });

  it('--since keeps only the lines of that last stretch, and asks for more than the default tail', async () => {
    // Two hours old, as if logged then (the harness keeps what it answers `logs` with in `lines`).
    supervisor.lines.unshift({ seq: 0, service: 'api', run: 1, ts: Date.now() - 2 * 3_600_000, stream: 'stdout', text: 'api ancient' });
    const all = await run(['logs', 'api']);
    expect(all.io.out.lines()[0]).toBe('api    | api ancient');
    const recent = await run(['logs', 'api', '--since', '1h']);
    expect(recent.code).toBe(0);
    expect(recent.io.out.lines()).toEqual(['api    | api one', 'api    | api two', 'hearth | api: started (pid 5)']);
    expect(supervisor.invokes.at(-1)).toEqual({ command: 'logs', args: { service: 'api', tail: 10_000 } });
    expect((await run(['logs', '--since', '3h', '-n', '1'])).io.out.lines()).toEqual(['hearth | api: started (pid 5)']);
    expect(await run(['logs', '--since', '10'])).toMatchObject({ code: 2 });
  });

  it('prints each line\'s own time first with -t', async () => {
    const { code, io } = await run(['logs', 'api', '-t', '-n', '2']);
    expect(code).toBe(0);
    const [two, started] = supervisor.lines.filter((l) => l.service === 'api').slice(-2);
    expect(io.out.lines()).toEqual([`${formatClockMs(two!.ts)} api    | api two`, `${formatClockMs(started!.ts)} hearth | api: started (pid 5)`]);
  });

  it('follows new lines of one service until Ctrl-C, without repeating the history', async () => {
    const io = captureIo(temp.dir);
    const done = main(['logs', 'api', '-n', '1', '--follow'], io);
    await waitFor(() => io.handlerCount() === 1, { what: 'follow mode' });
    supervisor.log('db', 'not shown');
    supervisor.log('api', 'api three');
    supervisor.log('api', 'api four', 'stderr');
    await waitFor(() => io.out.text.includes('api four'), { what: 'followed lines' });
    io.interrupt();
    expect(await done).toBe(0);
    expect(io.out.lines()).toEqual(['hearth | api: started (pid 5)', 'api    | api three', 'api    ! api four']);
    expect(io.handlerCount()).toBe(0);
    await waitFor(() => supervisor.listenerCount() === 0, { what: 'unsubscribed' });
  });

  it('follows every instance of a replicated group by its name, and nothing that merely starts like it', async () => {
    for (const name of ['pool.0', 'pool.1', 'pooled']) supervisor.setService(name, { state: 'RUNNING' });
    const io = captureIo(temp.dir);
    const done = main(['logs', 'pool', '-n', '0', '--follow'], io);
    await waitFor(() => io.handlerCount() === 1, { what: 'follow mode' });
    supervisor.log('pool.0', 'from 0');
    supervisor.log('pooled', 'not shown');
    supervisor.log('api', 'not shown either');
    supervisor.log('pool.1', 'from 1');
    await waitFor(() => io.out.text.includes('from 1'), { what: 'followed lines' });
    io.interrupt();
    expect(await done).toBe(0);
    expect(io.out.lines()).toEqual(['pool.0 | from 0', 'pool.1 | from 1']);
  });

  it('stops following when the instance goes away', async () => {
    const io = captureIo(temp.dir);
    const done = main(['logs', '--follow', '-n', '0'], io);
    await waitFor(() => io.handlerCount() === 1, { what: 'follow mode' });
    await server.close();
    expect(await done).toBe(0);
    expect(io.err.text).toBe('the hearth instance stopped\n');
  });
});

describe('ports, reload, down', () => {
  it('lists ports as a table or JSON', async () => {
    supervisor.setService('api', { ports: { http: 20001 } });
    let result = await run(['ports']);
    expect(result.io.out.lines()).toEqual(['SERVICE  NAME  PORT   URL', 'api      http  20001  http://localhost:20001']);
    result = await run(['ports', '--json']);
    expect(JSON.parse(result.io.out.text)).toEqual({ ports: [{ service: 'api', name: 'http', port: 20001, url: 'http://localhost:20001' }] });
  });

  it('prints what a reload changed, or its errors with exit 1', async () => {
    supervisor.reloadResult = { ok: true, errors: [], added: ['cache'], removed: [], changed: ['api', 'db'] };
    let result = await run(['reload']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.io.out.text).toBe('reloaded: added cache; changed api, db\n');
    supervisor.reloadResult = {
      ok: false,
      errors: [{ file: supervisor.file, line: 3, col: 5, path: 'services.api.cmd', message: 'required' }],
      added: [],
      removed: [],
      changed: [],
    };
    result = await run(['reload']);
    expect(result.code).toBe(1);
    expect(result.io.err.lines()).toEqual(['reload failed; the running stack is unchanged:', '  hearth.yaml:3:5 services.api.cmd: required']);
  });

  it('down asks for shutdown and waits until the instance is gone', async () => {
    const { code, io } = await run(['down']);
    expect(code).toBe(0);
    expect(io.out.lines()).toEqual([`stopping (pid ${process.pid})…`, 'stopped']);
    expect((await run(['status'])).code).toBe(1);
  });
});

describe('check', () => {
  it('validates a stack file without a running instance', async () => {
    writeFileSync(join(temp.dir, 'ok.yaml'), 'services:\n  api:\n    cmd: sleep 100\n  db:\n    cmd: sleep 100\n');
    let result = await run(['check', '-f', 'ok.yaml']);
    expect(result.io.err.text).toBe('');
    expect(result).toMatchObject({ code: 0 });
    expect(result.io.out.text).toBe('ok: 2 services\n');
    writeFileSync(join(temp.dir, 'bad.yaml'), 'services:\n  api:\n    cmd: 3\n');
    result = await run(['check', '-f', 'bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.io.err.text).toMatch(/^bad\.yaml:3:\d+ services\.api\.cmd: /);
  });

  it('prints warnings on stderr and still exits 0: a cwd that does not exist yet may be made by a job', async () => {
    writeFileSync(join(temp.dir, 'typo.yaml'), 'services:\n  api:\n    cmd: sleep 100\n    cwd: ./sevrer\n');
    const result = await run(['check', '-f', 'typo.yaml']);
    expect(result.code).toBe(0);
    expect(result.io.err.text).toBe(`warning: typo.yaml:4:10 services.api.cwd: ${join(temp.dir, 'sevrer')} does not exist (yet?): the service cannot start without it\n`);
    expect(result.io.out.text).toBe('ok: 1 service (1 warning)\n');
  });
});
