// The Windows backend's parsers and command lines, unit-tested on Linux. The taskkill lines are as
// reported in public bug reports (see the comments); the CIM lines follow CIM_SCRIPT's own format. No
// Windows machine runs these tests: they prove the parsing, not Windows' behaviour.
import { describe, expect, it } from 'vitest';
import { cmdInvocation, commandLine, comSpec, parseCimLines, parseTaskkill, taskkillArgs } from '../../../../electron/supervisor/process/platform/windows-parse';
import { namedPipePath, isNamedPipe, controlSocketPath } from '../../../../electron/control/socket-path';

/** FILETIME of an epoch-ms time. */
const ft = (ms: number) => (BigInt(ms) * 10_000n + 116_444_736_000_000_000n).toString();
const T = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('parseCimLines', () => {
  it('reads pid, parent, creation time (FILETIME -> epoch ms), working set and CPU (100 ns -> ms)', () => {
    const out = [
      '0,0,0,8192,0', // System Idle Process: no CreationDate
      `4,0,${ft(T - 3_600_000)},151552,123450000`,
      `9000,4,${ft(T)},52428800,25000000\r`,
      `9001,9000,${ft(T + 1500)},1048576,0`,
      'WARNING: something PowerShell printed',
    ].join('\n');
    const table = parseCimLines(out);
    expect([...table.keys()]).toEqual([0, 4, 9000, 9001]);
    expect(table.get(9000)).toEqual({ pid: 9000, ppid: 4, startTime: T, rssBytes: 52428800, cpuMs: 2500 });
    expect(table.get(9001)?.ppid).toBe(9000);
    expect(table.get(0)?.startTime).toBe(0);
  });

  it('unlinks a parent that started after its child: a reused pid, not the parent (Windows keeps dead parents\' ids)', () => {
    const table = parseCimLines([`500,1,${ft(T + 60_000)},1,0`, `600,500,${ft(T)},1,0`].join('\n'));
    expect(table.get(600)?.ppid).toBe(0);
  });
});

describe('taskkill', () => {
  it('builds one call for many pids, with /T always and /F only to force', () => {
    expect(taskkillArgs([12, 34], false)).toEqual(['/T', '/PID', '12', '/PID', '34']);
    expect(taskkillArgs([12], true)).toEqual(['/T', '/F', '/PID', '12']);
  });

  it('reads each pid\'s outcome from its lines, not from the exit code', () => {
    const out = [
      // Lines as in coreybutler/node-windows#250, sindresorhus/fkill#47, ayedo/tcpkiller#3:
      'SUCCESS: Sent termination signal to the process with PID 1200.',
      'SUCCESS: The process with PID 1300 (child process of PID 1200) has been terminated.',
      'ERROR: The process "1400" not found.',
      'ERROR: The process with PID 5684 (child process of PID 22572) could not be terminated.',
      'Reason: This process can only be terminated forcefully (with /F option).',
      'ERROR: The process with PID 1500 could not be terminated.',
      'Reason: Access is denied.',
    ].join('\r\n');
    expect(Object.fromEntries(parseTaskkill(out))).toEqual({ 1200: 'terminated', 1300: 'terminated', 1400: 'gone', 5684: 'needs-force', 1500: 'failed' });
  });
});

describe('cmd.exe command lines', () => {
  it('runs the line through ComSpec /d /s /c "<line>" verbatim, so a quoted path with spaces and quoted arguments survive', () => {
    const cmd = '"C:\\Program Files\\nodejs\\node.exe" -e "console.log(\\"hi there\\")" --name "a b"';
    const inv = cmdInvocation(cmd, { ComSpec: 'C:\\Windows\\system32\\cmd.exe' });
    expect(inv).toEqual({ file: 'C:\\Windows\\system32\\cmd.exe', args: ['/d', '/s', '/c', `"${cmd}"`], windowsVerbatimArguments: true });
    // /s: cmd strips exactly the first and the last quote, leaving the line as written.
    expect(commandLine(inv)).toBe(`C:\\Windows\\system32\\cmd.exe /d /s /c "${cmd}"`);
  });

  it('finds ComSpec whatever the case of its name, and falls back to cmd.exe', () => {
    expect(comSpec({ COMSPEC: 'D:\\cmd.exe' })).toBe('D:\\cmd.exe');
    expect(comSpec({})).toBe('cmd.exe');
  });
});

describe('control channel on Windows', () => {
  it('is a named pipe per user and stack folder, never a file path', () => {
    const a = namedPipePath('C:\\src\\shop', 'ann');
    expect(a).toMatch(/^\\\\\.\\pipe\\hearth-ann-[0-9a-f]{16}$/);
    expect(namedPipePath('C:\\src\\shop', 'ann')).toBe(a);
    expect(namedPipePath('C:\\src\\other', 'ann')).not.toBe(a);
    expect(namedPipePath('C:\\src\\shop', 'DOMAIN\\bob')).toMatch(/^\\\\\.\\pipe\\hearth-DOMAIN_bob-/);
    expect(isNamedPipe(a)).toBe(true);
    expect(isNamedPipe('/tmp/x/.hearth/control.sock')).toBe(false);
    expect(controlSocketPath('C:\\src\\shop', {}, 'win32')).toMatch(/^\\\\\.\\pipe\\hearth-/);
  });
});
