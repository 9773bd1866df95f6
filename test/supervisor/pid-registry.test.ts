import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PidRegistry, reapOrphans } from '../../electron/supervisor/pid-registry';
import { descendantsOf } from '../../electron/supervisor/process/kill-tree';
import { readProcStat } from '../../electron/supervisor/process/proc-stat';
import { nonePlatform } from '../../electron/supervisor/process/platform/none';
import type { BackendName, ProcessPlatform } from '../../electron/supervisor/process/platform/types';
import { spawnProcess } from '../../electron/supervisor/process/spawn';
import { TABLE_BACKENDS } from '../helpers/backends';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

const marks: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const mark of marks.splice(0)) for (const pid of pidsWithEnv(mark)) process.kill(pid, 'SIGKILL');
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const value = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  marks.push(`HEARTH_PR=${value}`);
  return { file: join(dir, '.hearth', 'pids.json'), mark: `HEARTH_PR=${value}`, env: { ...process.env, HEARTH_PR: value } };
}

describe('PidRegistry', () => {
  it('records and forgets entries with the backend that read their start time, persisted atomically to the file', () => {
    const { file } = setup();
    const reg = new PidRegistry(file, 'posix-ps');
    reg.record('api', 1234, 555);
    reg.record('web', 1235, null);
    reg.record('api', 1234, 556); // same pid again replaces the entry
    expect(reg.entries()).toEqual([
      { service: 'web', pid: 1235, startTime: null, backend: 'posix-ps' },
      { service: 'api', pid: 1234, startTime: 556, backend: 'posix-ps' },
    ]);
    reg.forget(1235);
    expect(existsSync(file)).toBe(false); // coalesced: nothing written within the same turn…
    reg.flush(); // …until the turn ends (or flush)
    expect(new PidRegistry(file, 'linux').entries()).toEqual([{ service: 'api', pid: 1234, startTime: 556, backend: 'posix-ps' }]);
    expect(JSON.parse(readFileSync(file, 'utf8')).entries).toHaveLength(1);
    expect(reg.error).toBeNull();
  });

  it('does not throw when the file cannot be written', () => {
    const { file } = setup();
    writeFileSync(join(file, '..', '..', 'blocker'), 'a file');
    const reg = new PidRegistry(join(file, '..', '..', 'blocker', 'pids.json'), 'linux');
    expect(() => {
      reg.record('api', 42, 1);
      reg.flush();
    }).not.toThrow();
    expect(reg.error).toMatch(/^cannot write .*pids\.json: .*blocker is not a folder/);
  });

  it('reads a file written before backends were recorded as linux (the only one then)', () => {
    const { file } = setup();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ service: 'api', pid: 42, startTime: 7 }] }));
    expect(new PidRegistry(file, 'posix-ps').entries()).toEqual([{ service: 'api', pid: 42, startTime: 7, backend: 'linux' }]);
  });
});

/** Reaped as a stop with the built-in sequence (SIGTERM, 5 s, SIGKILL), as for a service the stack no longer has. */
const REAP = { lifecycleOf: () => null };

/** The start time `platform` reads for `pid` now (null: no such process). */
async function startTimeOf(platform: ProcessPlatform, pid: number): Promise<number | null> {
  return (await platform.read(pid))?.startTime ?? null;
}

describe.each(TABLE_BACKENDS)('reapOrphans, %s backend', (backend, platform) => {
  const spawnIn = async (cmd: string, env: NodeJS.ProcessEnv) => {
    const handle = await spawnProcess({ cmd, cwd: process.cwd(), env, platform, onOutput: () => {} });
    await handle.identified;
    return handle;
  };

  it('kills a recorded child and its grandchild after a "crash" (registry abandoned), then clears the file', async () => {
    const { file, mark, env } = setup();
    const handle = await spawnIn('sleep 1000 & wait', env);
    recordNow(file, 'api', handle.pid, handle.startTime, backend);
    await waitFor(() => pidsWithEnv(mark).length === 2, { what: 'child and grandchild' });
    // crash: nothing is stopped, the registry object is simply dropped

    const results = await reapOrphans(file, platform, REAP);
    expect(results).toEqual([{ service: 'api', pid: handle.pid, killed: true, reason: 'orphaned by a previous run; stopped 2 processes (SIGTERM)' }]);
    expect(pidsWithEnv(mark)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(await reapOrphans(file, platform, REAP)).toEqual([]);
  });

  it('kills a truly orphaned tree (its parent exited, it left our process group)', async () => {
    const { file, mark, env } = setup();
    // The outer shell exits at once; the setsid'd tree is reparented away from us.
    const pid = Number(execFileSync('/bin/sh', ['-c', `setsid sh -c 'sleep 1000 & wait' >/dev/null 2>&1 & echo $!`], { env }).toString().trim());
    await waitFor(() => pidsWithEnv(mark).length === 2, { what: 'orphaned tree' });
    expect(readProcStat(pid)?.ppid).not.toBe(process.pid);
    recordNow(file, 'worker', pid, await startTimeOf(platform, pid), backend);

    const [result] = await reapOrphans(file, platform, REAP);
    expect(result).toMatchObject({ service: 'worker', pid, killed: true });
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('kills what a dead leader left in its process group', async () => {
    const { file, mark, env } = setup();
    // `read 1`: the leader lives until told, so its start time is read (the ps backend reads it after the fork).
    const handle = await spawnIn('sleep 1000 & read x; exit 0', env);
    recordNow(file, 'api', handle.pid, handle.startTime, backend);
    expect(handle.startTime).not.toBeNull();
    handle.write('go\n');
    await handle.exited;
    await waitFor(() => !isAlive(handle.pid), { what: 'leader gone' });
    expect(pidsWithEnv(mark)).toHaveLength(1);

    const results = await reapOrphans(file, platform, REAP);
    expect(results).toEqual([{ service: 'api', pid: handle.pid, killed: true, reason: 'process already gone; stopped 1 process it left in its group (SIGTERM)' }]);
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('leaves a live pid alone when its start time differs (pid reused), and reports gone ones', async () => {
    const { file, mark, env } = setup();
    // Shell syntax keeps /bin/sh as the parent (dash does not exec the last command): a tree of two.
    const bystander = await spawnIn('sleep 1000; exit', env);
    const gone = await spawnIn('exit 0', process.env);
    await gone.exited;
    await waitFor(() => !isAlive(gone.pid), { what: 'exited child reaped' });
    await waitFor(() => pidsWithEnv(mark).length === 2, { what: 'sh and sleep' });
    const [sleepPid] = await descendantsOf(bystander.pid, platform);
    const reg = new PidRegistry(file, backend);
    reg.record('self', process.pid, ((await startTimeOf(platform, process.pid)) ?? 0) + 12345);
    reg.record('bystander', bystander.pid, (bystander.startTime ?? 0) - 1);
    reg.record('unverifiable', sleepPid!, null);
    reg.record('gone', gone.pid, 1);
    reg.flush();

    const results = await reapOrphans(file, platform, REAP);
    expect(results).toEqual([
      { service: 'self', pid: process.pid, killed: false, reason: 'pid reused, left alone' },
      { service: 'bystander', pid: bystander.pid, killed: false, reason: 'pid reused, left alone' },
      { service: 'unverifiable', pid: sleepPid, killed: false, reason: 'no start time was recorded, so the pid cannot be verified; left alone' },
      { service: 'gone', pid: gone.pid, killed: false, reason: 'already gone' },
    ]);
    expect(isAlive(bystander.pid)).toBe(true);
    expect(pidsWithEnv(mark)).toHaveLength(2); // sh and sleep, untouched
    expect(existsSync(file)).toBe(false);
  });

  it('stops an orphan as its service stops: its stop_signal first, SIGKILL only after its grace, and waits until it is gone', async () => {
    const { file, mark, env } = setup();
    // Quits cleanly on SIGINT only (a program stopped by Ctrl-C); its child ignores everything but SIGKILL.
    const handle = await spawnIn(`trap 'echo bye >> ${file}.said; exit 0' INT; sh -c 'trap "" INT TERM; exec sleep 1000' & wait`, env);
    recordNow(file, 'api', handle.pid, handle.startTime, backend);
    await waitFor(() => pidsWithEnv(mark).length === 2, { what: 'shell and child' });
    const phases: string[] = [];
    const lifecycle = { http: null, graceful_shutdown_wait_secs: 1, stop_signal: 'SIGINT' as const, shutdown_wait_secs: 0.3, kill_mode: 'group' as const };
    const t0 = Date.now();
    const results = await reapOrphans(file, platform, { lifecycleOf: (s) => (s === 'api' ? lifecycle : null), onPhase: (_s, m) => phases.push(m) });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(results).toEqual([{ service: 'api', pid: handle.pid, killed: true, reason: 'orphaned by a previous run; stopped 2 processes (SIGINT, then SIGKILL after the grace)' }]);
    expect(phases[0]).toMatch(/^SIGINT to 2 processes/);
    expect(phases[1]).toMatch(/^still running after 0.3s: SIGKILL to process \d+$/);
    expect(readFileSync(`${file}.said`, 'utf8')).toBe('bye\n'); // the shell ended by its own handler
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('leaves alone a live entry another backend recorded: its start time is in another unit', async () => {
    const { file, mark, env } = setup();
    const handle = await spawnIn('sleep 1000', env);
    const other: BackendName = backend === 'linux' ? 'posix-ps' : 'linux';
    recordNow(file, 'api', handle.pid, handle.startTime, other);
    expect(await reapOrphans(file, platform, REAP)).toEqual([
      { service: 'api', pid: handle.pid, killed: false, reason: `recorded by the ${other} process backend, which this run (${backend}) cannot verify; left alone` },
    ]);
    expect(pidsWithEnv(mark)).toEqual([handle.pid]);
  });
});

describe('reapOrphans, no backend', () => {
  it('reports a live recorded pid and leaves it alone: nothing can verify it is ours', async () => {
    const { file, mark, env } = setup();
    const none = nonePlatform();
    const handle = await spawnProcess({ cmd: 'sleep 1000', cwd: process.cwd(), env, platform: none, onOutput: () => {} });
    recordNow(file, 'api', handle.pid, readProcStat(handle.pid)?.startTime ?? null, 'none');
    expect(await reapOrphans(file, none, REAP)).toEqual([{ service: 'api', pid: handle.pid, killed: false, reason: 'no process table here, so the pid cannot be verified; left alone' }]);
    expect(pidsWithEnv(mark)).toEqual([handle.pid]);
  });
});

/** Record one entry and write it at once, as a supervisor that then crashed would have. */
function recordNow(file: string, service: string, pid: number, startTime: number | null, backend: BackendName): void {
  const reg = new PidRegistry(file, backend);
  reg.record(service, pid, startTime);
  reg.flush();
}
