// `hearth up -d [--wait]` and `hearth wait` as people run them: bin/hearth.js as real processes, a stack of
// real services (an HTTP server with a health check, a job, a sleeper), the background instance reached over
// its control socket, and nothing left running afterwards.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';
import { hearthBin } from '../helpers/hearth-bin';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { writeStack, uniqueMark, type StackDir } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';

let stack: StackDir | null = null;
let mark = '';

const hearth = (...args: string[]) => hearthBin(stack!.file, args, { HEARTH_TEST_MARK: mark });

function setUp(yaml: string): void {
  stack = writeStack(yaml);
  mark = uniqueMark('detach');
}

afterEach(async () => {
  // Stop the background instance the way a user would; then make sure nothing of the test survives.
  if (stack && existsSync(join(stack.dir, '.hearth', 'control.sock'))) await hearth('down');
  // `hearth down` returns once the instance has closed its control socket, its last act: its own process may
  // still be on its way out for a moment (seen under load). What is still there after that is a leak.
  const marker = `HEARTH_TEST_MARK=${mark}`;
  await waitFor(() => pidsWithEnv(marker).length === 0, { timeoutMs: 5000, what: 'every process of the test gone' }).catch(() => {});
  const left = pidsWithEnv(marker);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  stack?.cleanup();
  stack = null;
  expect(left).toEqual([]);
});

const STACK = `
services:
  migrate:
    cmd: echo migrated
    service: false
  api:
    cmd: exec node health-server.mjs
    ports: { http: null }
    depends_on:
      migrate: { condition: completed }
    health_check:
      http: { port: http }
      initial_interval_secs: 0.2
      interval_secs: 0.1
      min_consecutive_successes: 2
  worker:
    cmd: exec sleep 1000
`;

describe('hearth up -d', () => {
  it('returns once the stack is open, and the instance runs on in the background until hearth down', async () => {
    setUp(STACK);
    const up = await hearth('up', '-d');
    expect(up.err).toBe('');
    expect(up.code).toBe(0);
    const pid = Number(/running in the background \(pid (\d+)\); its log: \.hearth\/hearth\.log/.exec(up.out)?.[1]);
    expect(isAlive(pid)).toBe(true);
    // Started as the shebang starts a foreground one: node with hearth's flags (bin/node-flags.js).
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1, 1 + HEARTH_NODE_FLAGS.length)).toEqual(HEARTH_NODE_FLAGS);

    // Reached like any instance; its services are the stack's, started by it.
    const status = JSON.parse((await hearth('status', '--json')).out) as { services: Array<{ name: string; state: string; pid: number | null }> };
    expect(status.services.map((s) => s.name)).toEqual(['migrate', 'api', 'worker']);
    const log = join(stack!.dir, '.hearth', 'hearth.log');
    await waitFor(() => readFileSync(log, 'utf8').includes('api is RUNNING (healthy)'), { what: 'the background log telling api got healthy' });
    // Its own lines, timed; not the services' output (that is in their log files and `hearth logs`).
    expect(readFileSync(log, 'utf8')).toMatch(/^\d\d:\d\d:\d\d\.\d{3} hearth +\| migrate is FINISHED \(exit 0\)$/m);
    expect(readFileSync(log, 'utf8')).not.toContain('migrated');
    expect((await hearth('logs', 'migrate')).out).toContain('migrated');

    const down = await hearth('down');
    expect(down.code).toBe(0);
    // `down` returns once the instance's socket is gone (every service stopped); its process exits right after.
    await waitFor(() => !isAlive(pid), { what: `hearth (pid ${pid}) to exit after down` });
    expect(pidsWithEnv(`HEARTH_TEST_MARK=${mark}`)).toEqual([]);
  });

  it('--wait returns 0 once every service is ready, in the order they got there', async () => {
    setUp(STACK);
    const up = await hearth('up', '--wait', '--timeout', '30s');
    expect(up.code).toBe(0);
    const lines = up.out.trim().split('\n');
    expect(lines).toContain('waiting for migrate, api, worker (at most 30s)');
    expect(lines.indexOf('migrate finished')).toBeGreaterThan(-1);
    // api needs migrate finished and two passed checks: it cannot be ready before migrate.
    expect(lines.indexOf('api is ready (healthy)')).toBeGreaterThan(lines.indexOf('migrate finished'));
    expect(lines.at(-1)).toMatch(/^ready: 3 services \(\d+\.\d+s\)$/);
    const status = JSON.parse((await hearth('status', '--json')).out) as { services: Array<{ name: string; state: string; health: { status: string } }> };
    expect(status.services.find((s) => s.name === 'api')).toMatchObject({ state: 'RUNNING', health: { status: 'healthy' } });
  });

  it('--wait exits 1 and says why when a job fails, leaving the instance running', async () => {
    setUp(STACK.replace('cmd: echo migrated', 'cmd: echo no database >&2; exit 3'));
    const up = await hearth('up', '--wait');
    expect(up.code).toBe(1);
    expect(up.out).toContain('migrate: FAILED (exited with code 3)');
    expect(up.out).toContain('not ready: giving up');
    // api waits for the job and can never start; the instance stays up for a look at what happened.
    expect((await hearth('logs', 'migrate')).out).toContain('no database');
  });

  it('refuses a second instance and leaves the running one and its log alone', async () => {
    setUp(STACK);
    const first = await hearth('up', '-d');
    const pid = Number(/pid (\d+)/.exec(first.out)?.[1]);
    const log = join(stack!.dir, '.hearth', 'hearth.log');
    await waitFor(() => readFileSync(log, 'utf8').includes('worker is RUNNING'), { what: 'the first instance logging' });
    const second = await hearth('up', '-d');
    expect(second.code).toBe(1);
    expect(second.err).toBe(`hearth is already running this stack (pid ${pid})\n  \`hearth status\` and \`hearth logs --follow\` show it; \`hearth down\` stops it\n`);
    expect(readFileSync(log, 'utf8')).toContain('worker is RUNNING');
    expect(existsSync(`${log}.1`)).toBe(false);
  });

  it('fails with the stack file\'s errors as the foreground up would, and leaves nothing running', async () => {
    setUp(STACK.replace('interval_secs: 0.1', 'interval_secs: fast'));
    const up = await hearth('up', '-d');
    expect(up.code).toBe(1);
    expect(up.err).toBe('hearth.yaml:14:22 services.api.health_check.interval_secs: expected a number, got "fast"\n');
    expect(up.out).toBe('');
    expect(existsSync(join(stack!.dir, '.hearth'))).toBe(false); // nothing was started, or created
  });
});

describe('hearth logs with no instance running', () => {
  it('reads the last lines from the log files, in time order; --follow still needs an instance', async () => {
    setUp(STACK);
    expect((await hearth('up', '--wait')).code).toBe(0);
    expect((await hearth('down')).code).toBe(0);
    const all = await hearth('logs', '-n', '1000');
    expect(all.code).toBe(0);
    expect(all.err).toBe('no hearth instance is running: the last lines of the log files in .hearth/sandbox/\n');
    const lines = all.out.trimEnd().split('\n');
    expect(lines).toContain('migrate | migrated');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    // migrate's output before api was started (it waited for migrate), and each run ends with its stop.
    expect(at('migrate | migrated')).toBeLessThan(at('hearth  | api: started pid'));
    expect(at('hearth  | api: started pid')).toBeLessThan(at('hearth  | api: exited with code 0 (stopped)'));
    expect(lines.at(-1)).toMatch(/(stopped\)|exited with code \d+ \(stopped\))$/);

    // --since reads the files' own times: a line from 2020 at the start of worker's file is left out.
    const workerLog = join(stack!.dir, '.hearth', 'sandbox', 'worker', '.logs', 'worker.log');
    writeFileSync(workerLog, `2020-01-01T00:00:00.000Z stdout| ancient\n${readFileSync(workerLog, 'utf8')}`);
    expect((await hearth('logs', 'worker')).out).toContain('worker | ancient');
    expect((await hearth('logs', 'worker', '--since', '1h')).out).not.toContain('ancient');

    const worker = await hearth('logs', 'worker', '-n', '1', '-t');
    expect(worker.out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} hearth \| worker: killed by SIGTERM \(stopped\)\n$/);
    const follow = await hearth('logs', '--follow');
    expect(follow.code).toBe(1);
    expect(follow.err).toContain('no running hearth instance');
  });
});

describe('hearth wait', () => {
  it('waits for what is wanted, gives up on a stopped name, and --timeout ends a wait that cannot succeed', async () => {
    setUp(`${STACK}  slow:\n    cmd: exec sleep 1000\n    health_check:\n      shell: { shell_command: "false" }\n      initial_interval_secs: 100\n      interval_secs: 0.1\n`);
    expect((await hearth('up', '-d', 'worker')).code).toBe(0);
    // Only worker (and nothing it depends on) was started: it is all there is to wait for.
    expect((await hearth('wait')).out).toContain('ready: 1 service');
    const named = await hearth('wait', 'api');
    expect(named.code).toBe(1);
    expect(named.out).toContain('api: stopped: start it with `hearth start api`');

    expect((await hearth('start', 'slow')).code).toBe(0);
    const timedOut = await hearth('wait', 'slow', '--timeout', '1s');
    expect(timedOut.code).toBe(1);
    expect(timedOut.out).toMatch(/timed out after 1s; not ready: slow \(STARTING/);
  });

  it('names a service the stack does not have', async () => {
    setUp(STACK);
    expect((await hearth('up', '-d', 'worker')).code).toBe(0);
    const r = await hearth('wait', 'wrker');
    expect(r.code).toBe(1);
    expect(r.out).toContain('no service named wrker in this stack (it has migrate, api, worker)');
  });

  it('is refused with usage errors before anything runs', async () => {
    setUp(STACK);
    expect(await hearth('up', '--timeout', '5s')).toMatchObject({ code: 2, err: expect.stringContaining('--timeout goes with --wait') });
    expect(await hearth('wait', '--timeout', '5')).toMatchObject({ code: 2, err: expect.stringContaining('has no unit') });
  });
});
