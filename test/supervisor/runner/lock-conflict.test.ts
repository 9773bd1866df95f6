// A lock-file conflict, understood: Postgres's own lines parsed (recorded from postgres 15 here), and the pid
// they name judged against real processes: gone, a real zombie, running.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { findLockConflict, judgeLockConflict, settleLockConflict } from '../../../electron/supervisor/runner/lock-conflict';
import { linuxPlatform } from '../../../electron/supervisor/process/platform/linux';
import { waitFor } from '../../helpers/wait-for';

const platform = linuxPlatform();
const kids: number[] = [];
afterEach(() => {
  for (const pid of kids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

// postgres 15 refusing to start on a data folder whose postmaster.pid names a live process.
const POSTGRES = [
  '2026-12-07 14:02:11.123 UTC [4711] FATAL:  lock file "postmaster.pid" already exists',
  '2026-12-07 14:02:11.123 UTC [4711] HINT:  Is another postmaster (PID 4242) running in data directory "/home/dev/shop/data"?',
];

describe('findLockConflict', () => {
  it("reads Postgres's lock file and the pid its hint names", () => {
    expect(findLockConflict(['starting', ...POSTGRES])).toEqual({ file: 'postmaster.pid', pid: 4242 });
    expect(findLockConflict(['FATAL:  lock file "/tmp/.s.PGSQL.5432.lock" already exists', 'HINT:  Is another postmaster (PID 99) using socket file "/tmp/.s.PGSQL.5432"?'])).toEqual({ file: '/tmp/.s.PGSQL.5432.lock', pid: 99 });
    expect(findLockConflict(['lock file "x.pid" already exists'])).toEqual({ file: 'x.pid', pid: null });
    expect(findLockConflict(['listening', 'error: something else'])).toBeNull();
  });
});

describe('judgeLockConflict (real processes)', () => {
  it('a pid that is gone: the file is stale', async () => {
    const v = await judgeLockConflict({ file: 'postmaster.pid', pid: 2 ** 22 + 17 }, platform);
    expect(v).toEqual({ holder: 'gone', text: `lock file "postmaster.pid" already exists, naming pid ${2 ** 22 + 17}, which is gone: the file is stale and is taken over at the next start` });
  });

  it('a running pid: someone else holds it, and the text says which', async () => {
    const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
    kids.push(child.pid!);
    const v = await judgeLockConflict({ file: 'postmaster.pid', pid: child.pid! }, platform);
    expect(v.holder).toBe('running');
    expect(v.text).toMatch(new RegExp(`^lock file "postmaster.pid" already exists: pid ${child.pid} \\(uid \\d+\\) is running and holds it`));
  });

  it('a zombie (exited, its parent never reaps it): counted as such, not as running', async () => {
    // The shell prints its child's pid, then becomes a sleep that never waits for that child.
    const parent = spawn('/bin/sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    kids.push(parent.pid!);
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    await waitFor(() => platform.readNow!(zombie)?.state === 'Z', { what: 'the zombie' });
    expect((await judgeLockConflict({ file: 'postmaster.pid', pid: zombie }, platform)).holder).toBe('zombie');
  });
});

describe('settleLockConflict', () => {
  it('waits for a zombie holder to be reaped, then lets the restart go ahead (no status error)', async () => {
    const parent = spawn('/bin/sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    kids.push(parent.pid!);
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
    await waitFor(() => platform.readNow!(zombie)?.state === 'Z', { what: 'the zombie' });
    const said: string[] = [];
    const lines = [`FATAL:  lock file "postmaster.pid" already exists`, `HINT:  Is another postmaster (PID ${zombie}) running?`];
    let settled = false;
    const settling = settleLockConflict(lines, platform, (t) => said.push(t)).finally(() => (settled = true));
    await waitFor(() => said.length > 0, { what: 'the verdict' });
    expect(said[0]).toContain(`pid ${zombie}, which has exited but is a zombie`);
    expect(settled).toBe(false); // still waiting: the zombie is there
    process.kill(parent.pid!, 'SIGKILL'); // its parent gone, the zombie is reaped
    expect(await settling).toBeNull();
    expect(platform.signalPid(zombie, 0)).toBe(false);
    expect(said).toHaveLength(1);
  });

  it('a running holder: its text becomes the status error', async () => {
    const holder = spawn('sleep', ['1000'], { stdio: 'ignore' });
    kids.push(holder.pid!);
    const said: string[] = [];
    const error = await settleLockConflict([`FATAL:  lock file "x.pid" already exists (PID ${holder.pid})`], platform, (t) => said.push(t));
    expect(error).toContain(`pid ${holder.pid}`);
    expect(error).toContain('is running and holds it');
    expect(said).toEqual([error]);
  });

  it('no lock file in the lines: nothing said', async () => {
    const said: string[] = [];
    expect(await settleLockConflict(['Error: listen EADDRINUSE'], platform, (t) => said.push(t))).toBeNull();
    expect(said).toEqual([]);
  });
});
