// `hearth run SERVICE -- COMMAND` against a real background stack: the command sees what the service sees
// (its folder, env file, `env:` rendered with the live ports, PORT, HEARTH_*), and hearth passes its exit on.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hearthBin } from '../helpers/hearth-bin';
import { pidsWithEnv } from '../helpers/proc';
import { uniqueMark, writeStack, type StackDir } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';

let stack: StackDir;
const mark = uniqueMark('run');
const hearth = (...args: string[]) => hearthBin(stack.file, args, { HEARTH_TEST_MARK: mark });

beforeAll(async () => {
  stack = writeStack(
    `services:
  db:
    cmd: exec sleep 1000
    ports: { pg: null }
  api:
    cmd: exec sleep 1000
    cwd: ./srv
    ports: { http: null }
    env_file: api.env
    env:
      DATABASE_URL: postgres://127.0.0.1:{{services.db.ports[pg]}}/shop
  pool:
    cmd: exec sleep 1000
    ports: { http: null }
    replicas: 2
`,
    { 'api.env': 'FROM_FILE=yes\n' },
  );
  mkdirSync(join(stack.dir, 'srv'));
  writeFileSync(join(stack.dir, 'srv', 'marker.txt'), '');
  expect((await hearth('up', '-d')).code).toBe(0);
});

afterAll(async () => {
  await hearth('down');
  for (const pid of pidsWithEnv(`HEARTH_TEST_MARK=${mark}`)) process.kill(pid, 'SIGKILL');
  stack.cleanup();
});

async function livePorts(): Promise<Record<string, Record<string, number>>> {
  const status = JSON.parse((await hearth('status', '--json')).out) as { services: Array<{ name: string; ports: Record<string, number> }> };
  return Object.fromEntries(status.services.map((s) => [s.name, s.ports]));
}

describe('hearth run', () => {
  it('runs a shell command line with the service\'s env, rendered against the live ports, in its folder', async () => {
    const ports = await livePorts();
    const r = await hearth('run', 'api', 'echo "$PORT|$HEARTH_PORT_HTTP|$DATABASE_URL|$FROM_FILE|$HEARTH_SERVICE|$HEARTH_SANDBOX"; ls');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [vars, listing] = r.out.trimEnd().split('\n');
    expect(vars).toBe(`${ports.api!.http}|${ports.api!.http}|postgres://127.0.0.1:${ports.db!.pg}/shop|yes|api|${join(stack.dir, '.hearth', 'sandbox', 'api')}`);
    expect(listing).toBe('marker.txt');
  });

  it('runs several arguments as a program and its arguments, and exits with its code', async () => {
    expect((await hearth('run', 'api', '--', 'sh', '-c', 'echo "$1 $2"; exit 7', 'sh', 'a b', '--c'))).toMatchObject({ code: 7, out: 'a b --c\n' });
    expect((await hearth('run', 'api', 'kill -TERM $$')).code).toBe(128 + 15);
  });

  it('runs as instance 0 of a replicated group, or as the instance named', async () => {
    const ports = await livePorts();
    expect((await hearth('run', 'pool', 'echo $HEARTH_SERVICE $PORT')).out).toBe(`pool.0 ${ports['pool.0']!.http}\n`);
    expect((await hearth('run', 'pool.1', 'echo $HEARTH_SERVICE $PORT')).out).toBe(`pool.1 ${ports['pool.1']!.http}\n`);
  });

  it('refuses an unknown service, and a program that does not exist is exit 127', async () => {
    expect(await hearth('run', 'apx', '--', 'true')).toMatchObject({ code: 1, err: 'unknown service "apx" (services: db, api, pool)\n' });
    expect(await hearth('run', 'api', '--', 'no-such-program-here', 'x')).toMatchObject({ code: 127, err: expect.stringContaining('cannot run no-such-program-here: spawn no-such-program-here ENOENT') });
    expect((await hearth('run', 'api')).code).toBe(2);
  });

  it('outlives a Ctrl-C at the terminal: the command handles it, and its exit is hearth\'s', async () => {
    // A terminal sends SIGINT to its whole foreground process group: hearth and the command alike.
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'hearth.js'), '-f', stack.file, 'run', 'api', 'trap "echo got INT; exit 3" INT; echo ready; sleep 30 & wait'], {
      cwd: stack.dir,
      env: { ...process.env, NO_COLOR: '1', HEARTH_TEST_MARK: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a process group of its own, standing for the terminal's
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => out.includes('ready'), { what: 'the command running' });
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(3);
    expect(out).toBe('ready\ngot INT\n');
  });

  it('with no instance running, gives the ports the stack then gets when it starts', async () => {
    const pinned = 40_000 + (process.pid % 2000); // outside the allocation range, so never allocated to another
    const idle = writeStack(
      `services:\n  db:\n    cmd: exec sleep 1000\n    ports: { pg: null }\n  api:\n    cmd: exec sleep 1000\n    ports: { http: null, admin: ${pinned} }\n    env: { DB: "{{services.db.ports[pg]}}" }\n`,
    );
    const idleHearth = (...args: string[]) => hearthBin(idle.file, args, { HEARTH_TEST_MARK: mark });
    try {
      const first = await idleHearth('run', 'api', 'echo $PORT $DB $HEARTH_PORT_ADMIN');
      expect(first).toMatchObject({ code: 0, err: '' });
      const [port, db, admin] = first.out.trim().split(' ').map(Number);
      expect(admin).toBe(pinned);
      expect((await idleHearth('run', 'api', 'echo $PORT $DB')).out.trim()).toBe(`${port} ${db}`); // stable
      expect((await idleHearth('up', '-d')).code).toBe(0);
      const status = JSON.parse((await idleHearth('status', '--json')).out) as { services: Array<{ name: string; ports: Record<string, number> }> };
      expect(Object.fromEntries(status.services.map((s) => [s.name, s.ports]))).toEqual({ db: { pg: db }, api: { http: port, admin: pinned } });
    } finally {
      await idleHearth('down');
      idle.cleanup();
    }
  });
});
