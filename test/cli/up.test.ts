// `hearth up`'s foreground loop over a StackHost. The host here wraps the harness supervisor; the real
// openStackHost is exercised by the host's own tests.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makePalette } from '../../electron/cli/color';
import { runUp } from '../../electron/cli/commands/up';
import { formatClockMs } from '../../shared/format-clock';
import { main } from '../../electron/cli/main';
import { startControlServer } from '../../electron/control/server';
import { controlSocketPath } from '../../electron/control/socket-path';
import type { CliContext } from '../../electron/cli/io';
import type { OrphanReport, StackHost } from '../../electron/host/stack-host';
import { isAlive } from '../helpers/proc';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor } from '../helpers/harness-supervisor';
import { healthView } from '../helpers/status-fixtures';
import { captureIo, type CapturedIo } from './capture-io';

const FILE = '/stacks/shop/hearth.yaml';

function harnessHost(supervisor: HarnessSupervisor, orphans: OrphanReport[] = [], stop: () => Promise<void> = async () => undefined) {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | null = null;
  const host = {
    supervisor,
    controlSocket: '/unused',
    orphans,
    closed,
    closeCalls: 0,
    serveWebLogin: () => undefined, // `up` serves no web UI
    close(): Promise<void> {
      host.closeCalls++;
      closing ??= (async () => {
        await stop();
        await supervisor.close();
        resolveClosed();
      })();
      return closing;
    },
  };
  return host satisfies StackHost;
}

/**
 * `hearth up` (main, in this process) on a real stack in a temp folder: `during` drives it while it runs and
 * returns the checks to make once Ctrl-C stopped it (exit 0).
 */
async function upOnStack(yaml: string, during: (io: CapturedIo, dir: string) => Promise<() => void>): Promise<void> {
  const temp = makeTempDir();
  try {
    writeFileSync(join(temp.dir, 'hearth.yaml'), yaml);
    const io = captureIo(temp.dir);
    const done = main(['up'], io);
    const check = await during(io, temp.dir);
    io.interrupt();
    expect(await done).toBe(0);
    check();
  } finally {
    temp.cleanup();
  }
}

function context(io: CapturedIo): CliContext {
  return { io, palette: makePalette(false), file: { given: 'hearth.yaml', path: FILE } };
}

const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('runUp', () => {
  it('prints reaped orphans, log lines and problems (not state changes the log already tells), then stops everything on Ctrl-C', async () => {
    const supervisor = new HarnessSupervisor({ file: FILE, services: ['api', 'database'] });
    supervisor.setService('database', { state: 'STARTING', pid: 77 });
    const host = harnessHost(supervisor, [
      { service: 'api', pid: 123, killed: true, reason: 'left by pid 9' },
      { service: 'database', pid: 124, killed: true, reason: 'left by pid 9' },
      { service: 'worker', pid: 5, killed: false, reason: 'pid reused by another program' },
    ]);
    const io = captureIo('/stacks/shop');
    const done = runUp(host, context(io));
    await waitFor(() => io.handlerCount() === 1, { what: 'running' });

    supervisor.log('api', 'listening on 20001');
    supervisor.log('database', 'warning: slow disk', 'stderr');
    supervisor.log('api', 'started (pid 40000)', 'system');
    supervisor.setService('api', { state: 'RUNNING', pid: 40000, health: healthView({ status: 'healthy' }) });
    supervisor.setService('database', {
      state: 'RESTARTING',
      pid: null,
      flaps: 2,
      next_attempt_at: Date.now() + 4000,
      last_exit: { code: 1, signal: null, at: Date.now() },
    });
    supervisor.emit('stack', { ...supervisor.stack, config_errors: [{ file: FILE, line: 2, col: 3, path: 'services', message: 'expected a map' }] });
    io.interrupt();
    expect(await done).toBe(0);
    expect(host.closeCalls).toBe(1);
    expect(supervisor.closed).toBe(true);
    expect(io.handlerCount()).toBe(0);
    expect(supervisor.listenerCount()).toBe(0);
    expect(io.out.lines()).toEqual([
      'hearth   | reaped 2 processes left by an earlier run: api (pid 123), database (pid 124)',
      'hearth   | worker (pid 5) from an earlier run: pid reused by another program',
      'api      | listening on 20001',
      'database ! warning: slow disk',
      'hearth   | api: started (pid 40000)',
      'hearth   | the stack file has errors; the running stack is unchanged:',
      'hearth   |   hearth.yaml:2:3 services: expected a map',
      'hearth   | stopping… (Ctrl-C again to kill the services at once)',
      'hearth   | stopped',
    ]);
  });

  it('with timestamps, starts every line with the time of day: log lines their own, its own lines the time printed', async () => {
    const supervisor = new HarnessSupervisor({ file: FILE, services: ['api'] });
    const host = harnessHost(supervisor);
    const io = captureIo('/stacks/shop');
    const done = runUp(host, context(io), { timestamps: true });
    await waitFor(() => io.handlerCount() === 1, { what: 'running' });
    supervisor.log('api', 'listening on 20001');
    supervisor.log('api', 'warning', 'stderr');
    io.interrupt();
    expect(await done).toBe(0);
    const lines = io.out.lines();
    expect(lines.map((l) => l.replace(/^\d\d:\d\d:\d\d\.\d{3} /, 'T '))).toEqual([
      'T api    | listening on 20001',
      'T api    ! warning',
      'T hearth | stopping… (Ctrl-C again to kill the services at once)',
      'T hearth | stopped',
    ]);
    const logged = supervisor.lines.find((l) => l.text === 'listening on 20001')!;
    expect(lines[0]!.startsWith(formatClockMs(logged.ts))).toBe(true);
  });

  it('prints a batch of log lines with one write, not one per line', async () => {
    const supervisor = new HarnessSupervisor({ file: FILE, services: ['api'] });
    const io = captureIo('/stacks/shop');
    const done = runUp(harnessHost(supervisor), context(io));
    await waitFor(() => io.handlerCount() === 1, { what: 'running' });
    const before = io.out.writes;
    supervisor.emitLogs('api', 3000, { batch: 1000 });
    expect(io.out.writes - before).toBe(3);
    io.interrupt();
    expect(await done).toBe(0);
    const printed = io.out.lines().filter((l) => l.startsWith('api '));
    expect(printed.map((l) => l.replace(/^api +\| /, ''))).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i}`));
  });

  it('returns when the host is shut down from elsewhere (hearth down)', async () => {
    const supervisor = new HarnessSupervisor({ file: FILE });
    const host = harnessHost(supervisor);
    const io = captureIo('/');
    const done = runUp(host, context(io));
    await waitFor(() => io.handlerCount() === 1, { what: 'running' });
    void host.close();
    expect(await done).toBe(0);
    expect(io.out.lines().slice(-1)).toEqual(['hearth | stopped (shutdown requested)']);
    expect(io.handlerCount()).toBe(0);
  });

  it('kills the process groups on a second Ctrl-C and lets a third one through', async () => {
    // A real process in its own group, like the supervisor's children, that a graceful stop waits for.
    const child = spawn('/bin/sh', ['-c', 'sleep 60 & wait'], { detached: true, stdio: 'ignore' });
    children.push(child.pid!);
    const supervisor = new HarnessSupervisor({ file: FILE, services: ['api'] });
    supervisor.setService('api', { state: 'RUNNING', pid: child.pid! });
    const host = harnessHost(supervisor, [], () => waitFor(() => !isAlive(child.pid!), { timeoutMs: 20_000, what: 'child gone' }).then(() => undefined));
    const io = captureIo('/');
    const done = runUp(host, context(io));
    await waitFor(() => io.handlerCount() === 1, { what: 'running' });
    io.interrupt();
    await waitFor(() => io.out.text.includes('stopping…'), { what: 'graceful stop' });
    expect(isAlive(child.pid!)).toBe(true); // the graceful stop is still waiting
    io.interrupt();
    expect(await done).toBe(0);
    expect(isAlive(child.pid!)).toBe(false);
    expect(io.out.text).toContain('hearth | killing 1 process group (SIGKILL)…');
    expect(io.handlerCount()).toBe(0);
  });
});

describe('hearth up: failures to open the stack', () => {
  it('prints every stack file issue and exits 1, starting nothing', async () => {
    const temp = makeTempDir();
    try {
      writeFileSync(join(temp.dir, 'hearth.yaml'), 'services:\n  api:\n    cmd: 3\n  db:\n    cmd: sleep 1\n    bogus: true\n');
      const io = captureIo(temp.dir);
      expect(await main(['up'], io)).toBe(1);
      expect(io.err.lines()).toEqual([
        expect.stringMatching(/^hearth\.yaml:3:\d+ services\.api\.cmd: /),
        expect.stringMatching(/^hearth\.yaml:6:\d+ services\.db\.bogus: /),
      ]);
      expect(io.out.text).toBe('');
    } finally {
      temp.cleanup();
    }
  });

  it('says a service\'s spawn error once, though both its log and its status carry it (a real stack)', async () => {
    // One job fails at once (before `up` subscribes: the snapshot carries it), one only after a moment.
    const yaml = 'services:\n  now:\n    cmd: pwd\n    cwd: ./missing\n    service: false\n  later:\n    cmd: pwd\n    cwd: ./gone\n    service: false\n    depends_on: { wait: { condition: completed } }\n  wait:\n    cmd: sleep 0.3\n    service: false\n';
    await upOnStack(yaml, async (io, dir) => {
      await waitFor(() => io.out.text.includes('later: exited with code 127'), { what: 'both jobs failed' });
      return () => {
        const said = io.out.lines().filter((l) => l.includes('does not exist'));
        expect(said).toEqual([`hearth | now: working directory ${join(dir, 'missing')} does not exist`, `hearth | later: working directory ${join(dir, 'gone')} does not exist`]);
      };
    });
  });

  it('reminds of a snooze made by hand once it is older than snooze_warn_after_secs (a real stack)', async () => {
    const reminder = 'api: health checks snoozed for 0s and still off: remember to remove .healthchecksnooze (`hearth unsnooze api`)';
    await upOnStack('snooze_warn_after_secs: 0.5\nservices:\n  api:\n    cmd: sleep 1000\n', async (io, dir) => {
      await waitFor(() => io.out.text.includes('api: started pid'), { what: 'api started' });
      writeFileSync(join(dir, '.hearth', 'sandbox', 'api', '.healthchecksnooze'), ''); // `touch`
      await waitFor(() => io.out.text.includes(reminder), { what: 'the reminder' });
      return () => expect(io.out.text.split(reminder)).toHaveLength(2); // said once
    });
  });

  it('leaves autostart: false services stopped and says how to start them (a real stack)', async () => {
    const yaml = 'services:\n  app:\n    cmd: sleep 1000\n  docs:\n    cmd: sleep 1000\n    autostart: false\n    replicas: 2\n';
    await upOnStack(yaml, async (io, dir) => {
      await waitFor(() => io.out.text.includes('app: started pid'), { what: 'app started' });
      return () => {
        expect(io.out.lines()).toContain('hearth | not started (autostart: false): docs; `hearth start NAME` starts one');
        expect(io.out.text).not.toMatch(/docs\.\d: started/);
        expect(existsSync(join(dir, '.hearth', 'sandbox', 'docs.0', '.logs'))).toBe(false); // never ran
      };
    });
  });

  it('refuses when an instance already serves the stack', async () => {
    const temp = makeTempDir();
    const file = join(temp.dir, 'hearth.yaml');
    writeFileSync(file, 'services:\n  api:\n    cmd: sleep 30\n');
    const server = await startControlServer({ supervisor: new HarnessSupervisor({ file }), socketPath: controlSocketPath(temp.dir) });
    try {
      const io = captureIo(temp.dir);
      expect(await main(['up'], io)).toBe(1);
      expect(io.err.text).toBe(`hearth is already running this stack (pid ${process.pid})\n  \`hearth status\` and \`hearth logs --follow\` show it; \`hearth down\` stops it\n`);
    } finally {
      await server.close();
      temp.cleanup();
    }
  });
});
