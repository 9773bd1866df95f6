// The ps table as procps (recorded on this machine, Debian procps-ng 4.0.2; one uid changed to 1000) and BSD ps (macOS's format)
// print it under LC_ALL=C TZ=UTC. Pure parsing; posix-ps.test.ts runs the real ps.
import { describe, expect, it } from 'vitest';
import { parseCpuTime, parsePsLine, parsePsTable } from '../../../../electron/supervisor/process/platform/ps-parse';

const PROCPS = [
  '    1     0     0     0 S<Ll Mon Dec  7 11:22:19 2026 15300 00:00:54',
  ' 1401  1400   884     0 Rl   Mon Dec  7 13:22:58 2026 373624 00:00:08',
  '31132 30933 30882  1000 Rl   Mon Dec  7 12:55:06 2026 192184 00:00:03',
  ' 4242  4241  4241     0 Z    Mon Dec  7 12:55:31 2026     0 1-02:03:04',
].join('\n');

// macOS ps: the same columns; cumulative CPU as MMM:SS.hh, states such as U (uninterruptible) and Ss.
const MACOS = [
  '    1     0     1     0 Ss   Tue Nov 24 08:01:17 2026  13360   2:31.45',
  '  512     1   512   501 S    Tue Nov 24 08:01:19 2026   4124   0:00.04',
  '98765   512 98765   501 U+   Mon Dec  7 23:59:59 2026 102400 123:45.67',
].join('\n');

describe('parsePsLine', () => {
  it('reads procps lines: identity, state letter, lstart as UTC epoch seconds, RSS in bytes, CPU in ms', () => {
    const table = parsePsTable(PROCPS);
    expect([...table.keys()]).toEqual([1, 1401, 31132, 4242]);
    expect(table.get(31132)).toEqual({
      pid: 31132,
      ppid: 30933,
      pgid: 30882,
      state: 'R',
      startTime: Date.UTC(2026, 11, 7, 12, 55, 6) / 1000,
      cpuMs: 3000,
      rssBytes: 192184 * 1024,
      uid: 1000,
    });
    expect(table.get(1)?.state).toBe('S');
    expect(table.get(4242)).toMatchObject({ state: 'Z', cpuMs: ((26 * 60 + 3) * 60 + 4) * 1000 });
  });

  it('reads BSD (macOS) lines the same way', () => {
    const table = parsePsTable(MACOS);
    expect(table.get(1)).toMatchObject({ pid: 1, ppid: 0, pgid: 1, state: 'S', cpuMs: 151_450, rssBytes: 13360 * 1024 });
    expect(table.get(98765)).toMatchObject({ uid: 501, state: 'U', startTime: Date.UTC(2026, 11, 7, 23, 59, 59) / 1000, cpuMs: (123 * 60 + 45.67) * 1000 });
  });

  it('skips what is not a process line instead of inventing one', () => {
    for (const line of ['', '  PID  PPID', '    1     0     0     0 S    Mon Xyz  7 11:22:19 2026 0 00:00:00', '    1     0     0     0 S    Mon Dec  7 11:22 2026 0 00:00:00', '    1     0     0 S    Mon Dec  7 11:22:19 2026 0 00:00:00', '12 3']) {
      expect(parsePsLine(line), line).toBeNull();
    }
  });

  it('parses every CPU time form: SS.hh, MM:SS, HH:MM:SS, DD-HH:MM:SS', () => {
    expect(parseCpuTime('0:00.04')).toBe(40);
    expect(parseCpuTime('00:01:02')).toBe(62_000);
    expect(parseCpuTime('2-00:00:01')).toBe((48 * 3600 + 1) * 1000);
    expect(parseCpuTime('abc')).toBeNull();
  });
});
