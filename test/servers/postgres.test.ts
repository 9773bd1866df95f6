// PostgreSQL 15 under Hearth, where the behaviour is Postgres's own: a crashed Hearth's postmaster is
// reaped as a stop (a clean shutdown, no crash recovery at the next start, the same port), and kill_mode
// decides whether a stop cuts the clients' connections. Real postgres, real psql, as a non-root user.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import type { Supervisor } from '../../electron/supervisor/api';
import { loadStackFile } from '../../electron/supervisor/config/load';
import { createSupervisor } from '../../electron/supervisor/supervisor';
import type { LogLine } from '../../shared/types';
import { killMarked, markedProcesses, uniqueMark } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';
import { PG_BIN, buildCliOnce, hearthAs, initdb, killUserProcesses, needFiles, outputMatching, ownedDir, postgresCmd, serverUser, writeOwned, type ServerUser, type UserHearth } from './server-kit';

const PG = [join(PG_BIN, 'postgres'), join(PG_BIN, 'initdb'), '/usr/bin/psql'];
let mark = '';
const users: ServerUser[] = [];
const dirs: string[] = [];
const hearths: UserHearth[] = [];
let sup: Supervisor | null = null;
let client: ChildProcessWithoutNullStreams | null = null;
afterEach(async () => {
  client?.kill('SIGKILL');
  client = null;
  await sup?.close();
  sup = null;
  for (const h of hearths.splice(0)) if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
  killMarked(mark);
  await waitFor(() => markedProcesses(mark).length === 0, { what: 'no test process left' });
  for (const u of users.splice(0)) await killUserProcesses(u);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pgService = (cmd: string, lifecycle: string) => `services:
  pg:
    cmd: ${cmd}
    ports: { pg: ~ }
    env: { HEARTH_TEST_MARK: "${mark}" }
    health_check: { tcp: { port: pg }, initial_interval_secs: 5, interval_secs: 0.2 }
    lifecycle: ${lifecycle}
`;

describe('postgres under hearth', () => {
  it('after a kill -9 of hearth up, the next up stops the orphaned postmaster as a stop: a clean shutdown, the same port, no crash recovery', async (ctx) => {
    needFiles(ctx, PG);
    const user = serverUser(ctx);
    users.push(user);
    buildCliOnce();
    mark = uniqueMark('pg-reap');
    const dir = ownedDir(user);
    dirs.push(dir);
    initdb(user, dir);
    // As recommended for Postgres (README): the postmaster alone gets the stop signal, SIGINT is its fast shutdown.
    writeOwned(user, join(dir, 'hearth.yaml'), pgService(postgresCmd({ ...user, runAs: '' }), '{ stop_signal: SIGINT, kill_mode: mixed, shutdown_wait_secs: 20 }'));
    const first = hearthAs(user, dir, ['-f', join(dir, 'hearth.yaml'), 'up']);
    hearths.push(first);
    await outputMatching(first, /database system is ready to accept connections/, 'postgres ready');
    const portsBefore = readFileSync(join(dir, '.hearth', 'ports.json'), 'utf8');
    const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(markedProcesses(mark).map((p) => p.pid)).toContain(postmaster); // a crashed supervisor stops nothing

    const second = hearthAs(user, dir, ['-f', join(dir, 'hearth.yaml'), 'up']);
    hearths.push(second);
    await outputMatching(second, /database system is ready to accept connections/, 'postgres ready again');
    const out = second.output();
    expect(out).toMatch(new RegExp(`reaped \\d+ process(es)? left by an earlier run: pg \\(pid ${postmaster}\\)`));
    // What Postgres says when it starts: its last shutdown was clean, so no recovery runs.
    expect(out).toMatch(/database system was shut down at/);
    expect(out).not.toMatch(/not properly shut down|automatic recovery in progress|lock file "postmaster\.pid" already exists/);
    expect(readFileSync(join(dir, '.hearth', 'ports.json'), 'utf8')).toBe(portsBefore);
    expect(out.match(/started pid/g)).toHaveLength(1); // its first start worked

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  /** postgres as a service of a supervisor in this process (the servers run as `user`), with psql connected to it. */
  async function pgWithClient(ctx: TestContext, lifecycle: string) {
    needFiles(ctx, PG);
    const user = serverUser(ctx);
    users.push(user);
    mark = uniqueMark('pg-kill');
    const dir = ownedDir(user);
    dirs.push(dir);
    initdb(user, dir);
    writeFileSync(join(dir, 'hearth.yaml'), pgService(postgresCmd(user), lifecycle));
    const loaded = await loadStackFile(join(dir, 'hearth.yaml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    sup = await createSupervisor({ stack: loaded.stack });
    const lines: LogLine[] = [];
    sup.subscribe((event, payload) => {
      if (event === 'logs') lines.push(...(payload as { lines: LogLine[] }).lines);
    });
    await sup.invoke('start', {});
    await waitFor(() => sup!.snapshot().services[0]!.state === 'RUNNING', { what: 'postgres healthy', timeoutMs: 30_000 });
    const port = sup.snapshot().services[0]!.ports.pg!;
    const psql = spawn('psql', ['-X', '-q', '-t', '-A', '-h', '127.0.0.1', '-p', String(port), '-U', 'app', 'postgres'], { env: { ...process.env, HEARTH_TEST_MARK: mark } });
    client = psql;
    let out = '';
    let err = '';
    psql.stdout.on('data', (c: Buffer) => (out += c));
    psql.stderr.on('data', (c: Buffer) => (err += c));
    psql.stdin.write('select 40 + 1;\n');
    await waitFor(() => out.includes('41'), { what: 'the client connected' });
    return { lines, psql, out: () => out, err: () => err, said: (re: RegExp) => lines.some((l) => l.service === 'pg' && re.test(l.text)) };
  }

  it('kill_mode mixed: a smart shutdown (SIGTERM to the postmaster only) lets a connected client finish; the stop ends when it leaves', async (ctx) => {
    const pg = await pgWithClient(ctx, '{ kill_mode: mixed, stop_signal: SIGTERM, shutdown_wait_secs: 30 }');
    const t0 = Date.now();
    const stopping = sup!.invoke('stop', {});
    await waitFor(() => pg.said(/received smart shutdown request/), { what: 'the smart shutdown begun' });
    pg.psql.stdin.write('select 41 + 1;\n');
    await waitFor(() => pg.out().includes('42'), { what: 'the client still served during the stop' });
    expect(pg.err()).toBe('');
    expect(sup!.snapshot().services[0]!.state).toBe('STOPPING');
    pg.psql.stdin.end(); // the client leaves: postgres finishes its shutdown
    await stopping;
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(pg.said(/database system is shut down/)).toBe(true);
    expect(pg.said(/^still running after .*: SIGKILL/)).toBe(false);
    expect(pg.said(/^SIGTERM to process \d+ \(mixed: \d+ that left its group get nothing before the SIGKILL\)/)).toBe(true);
  });

  it('a lock file held by another process is understood: its pid named in the status, and postgres starts once it is gone', async (ctx) => {
    needFiles(ctx, PG);
    const user = serverUser(ctx);
    users.push(user);
    mark = uniqueMark('pg-lock');
    const dir = ownedDir(user);
    dirs.push(dir);
    initdb(user, dir);
    // A live process of the same user whose pid the data folder's lock file names (as a postmaster left
    // running elsewhere, or a pid reused by something else, would).
    const holder = spawn('sleep', ['1000'], { uid: user.uid, gid: user.gid, env: { HEARTH_TEST_MARK: mark }, stdio: 'ignore' });
    writeOwned(user, join(dir, 'data', 'postmaster.pid'), `${holder.pid}\n${join(dir, 'data')}\n1700000000\n5432\n\n127.0.0.1\n  5432001         0\nready   \n`);
    writeFileSync(join(dir, 'hearth.yaml'), pgService(postgresCmd(user), '{ kill_mode: mixed, stop_signal: SIGINT }').replace('    lifecycle:', '    max_backoff_secs: 1\n    lifecycle:'));
    const loaded = await loadStackFile(join(dir, 'hearth.yaml'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    sup = await createSupervisor({ stack: loaded.stack });
    await sup.invoke('start', {});
    const blocked = await waitFor(() => {
      const s = sup!.snapshot().services[0]!;
      return s.state === 'RESTARTING' && s.error ? s : undefined;
    }, { what: 'the conflict in the status', timeoutMs: 20_000 });
    expect(blocked.error).toMatch(new RegExp(`^lock file "postmaster.pid" already exists: pid ${holder.pid} \\(uid ${user.uid}\\) is running and holds it, and it is not this service's process`));
    holder.kill('SIGKILL');
    await waitFor(() => sup!.snapshot().services[0]!.state === 'RUNNING', { what: 'postgres running once the holder is gone', timeoutMs: 20_000 });
    expect(sup.snapshot().services[0]!.error).toBeNull();
  });

  it('kill_mode group (the default): every backend gets SIGTERM itself, so the client is cut off', async (ctx) => {
    const pg = await pgWithClient(ctx, '{ stop_signal: SIGTERM, shutdown_wait_secs: 30 }');
    await sup!.invoke('stop', {});
    pg.psql.stdin.write('select 41 + 1;\n');
    await waitFor(() => /terminating connection due to administrator command|server closed the connection/.test(pg.err()), { what: 'the client cut off' });
    expect(pg.out()).not.toContain('42');
  });
});
