// The posix-ps backend against the real ps (procps here): its table agrees with /proc, concurrent callers
// share one ps call, and a ps that cannot run makes the table unknown (null) with the reason, never a hang.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { posixPsPlatform } from '../../../../electron/supervisor/process/platform/posix-ps';
import { readProcStat } from '../../../../electron/supervisor/process/proc-stat';

const kids: number[] = [];
afterEach(() => {
  for (const pid of kids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('posix-ps backend (real ps)', () => {
  it('lists a live tree with the same links /proc has, and its start time never changes between scans', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 1000 & wait'], { detached: true, stdio: 'ignore' });
    kids.push(child.pid!);
    const ps = posixPsPlatform();
    const table = await ps.table(0);
    const sh = table!.get(child.pid!)!;
    expect(sh).toMatchObject({ ppid: process.pid, pgid: child.pid, state: 'S' });
    expect(sh.rssBytes).toBeGreaterThan(0);
    const proc = readProcStat(process.pid)!;
    expect(table!.get(process.pid)).toMatchObject({ ppid: proc.ppid, pgid: proc.pgrp });
    expect((await ps.table(0))!.get(child.pid!)!.startTime).toBe(sh.startTime);
    expect(Math.abs(sh.startTime - Date.now() / 1000)).toBeLessThan(30);
  });

  it('shares one ps call among callers in the same moment, and reuses a scan younger than maxAgeMs', async () => {
    const ps = posixPsPlatform();
    const [a, b] = await Promise.all([ps.table(0), ps.table(0)]);
    expect(a).toBe(b);
    expect(await ps.table(60_000)).toBe(a);
    expect(await ps.table(0)).not.toBe(a);
  });

  it('answers "unknown" with the reason when ps cannot run', async () => {
    const ps = posixPsPlatform('/nonexistent/ps');
    expect(await ps.table(0)).toBeNull();
    expect(ps.lastError).toMatch(/^\/nonexistent\/ps: ENOENT/);
    expect(await ps.read(process.pid)).toBeNull();
  });
});
