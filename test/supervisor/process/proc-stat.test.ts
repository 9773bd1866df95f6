import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descendantsIn, openStat, parseProcStat, procTable, readProcStat, readStatFd, type ProcStat } from '../../../electron/supervisor/process/proc-stat';
import { parseProcUsage } from '../../../electron/supervisor/resources/proc-usage';
import { waitFor } from '../../helpers/wait-for';

describe('proc-stat', () => {
  it('parses a stat line whose comm contains spaces and parentheses', () => {
    const line = '4242 (we ird) (x) S 17 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10 18446744073709551615';
    expect(parseProcStat(line)).toEqual({ pid: 4242, state: 'S', ppid: 17, pgrp: 4242, startTime: 987654 });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('reads this process and finds it in the table', () => {
    const self = readProcStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(procTable().get(process.pid)?.startTime).toBe(self?.startTime);
    expect(readProcStat(0)).toBeNull();
    expect(readProcStat(2 ** 22 + 1)).toBeNull();
  });

  it('walks ppid links and skips zombies but not what hangs below them', () => {
    const s = (pid: number, ppid: number, state = 'S'): [number, ProcStat] => [pid, { pid, ppid, pgrp: 1, state, startTime: 1 }];
    const table = new Map([s(10, 1), s(11, 10), s(12, 11, 'Z'), s(13, 12), s(14, 1), s(15, 14)]);
    expect(descendantsIn(table, 10).sort()).toEqual([11, 13]);
    expect(descendantsIn(table, 99)).toEqual([]);
  });

  it('re-reads a stat file kept open afresh, and fails once its process is gone', async () => {
    const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => busy.once('exit', resolve));
    const fd = openStat(busy.pid!)!;
    try {
      expect(fd).not.toBeNull();
      const first = readStatFd(fd, parseProcUsage)!;
      expect(first.pid).toBe(busy.pid);
      // The same open file shows the CPU time the process gains: each read renders the line again.
      await waitFor(() => {
        const now = readStatFd(fd, parseProcUsage)!;
        return now.utime + now.stime > first.utime + first.stime;
      }, { what: 'CPU time growing through the kept file' });
      busy.kill('SIGKILL');
      await exited; // reaped: the file now names no process, whatever takes the pid next
      expect(readStatFd(fd, parseProcUsage)).toBeNull();
      expect(readProcStat(busy.pid!)).toBeNull();
    } finally {
      busy.kill('SIGKILL');
      closeSync(fd);
    }
    expect(openStat(0)).toBeNull();
    expect(openStat(2 ** 22 + 1)).toBeNull();
  });
});
