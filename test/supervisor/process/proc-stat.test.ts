import { describe, expect, it } from 'vitest';
import { descendantsIn, parseProcStat, procTable, readProcStat, type ProcStat } from '../../../electron/supervisor/process/proc-stat';

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
});
