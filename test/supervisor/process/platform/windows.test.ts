// The windows backend's wiring (table from PowerShell's lines, stop through taskkill), with its tools
// played back: small scripts that print recorded lines and note how they were called. This proves what
// the backend does with Windows' answers, on Linux; it is not a run on Windows.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windowsPlatform } from '../../../../electron/supervisor/process/platform/windows';
import { signalMain } from '../../../../electron/supervisor/process/kill-tree';
import { testTempDir } from '../../../helpers/temp-dir';

const ft = (ms: number) => (BigInt(ms) * 10_000n + 116_444_736_000_000_000n).toString();
const T = Date.UTC(2026, 11, 7, 12, 0, 0);

function tool(dir: string, name: string, stdout: string, code = 0): string {
  const file = join(dir, name);
  writeFileSync(join(dir, `${name}.out`), stdout);
  writeFileSync(file, `#!/bin/sh\necho "$@" >> "${file}.calls"\ncat "${file}.out"\nexit ${code}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('windows backend (tools played back)', () => {
  it('builds its table from one PowerShell call: no groups, each process its own, parents linked', async () => {
    const dir = testTempDir();
    const powershell = tool(dir, 'powershell', [`4,0,${ft(T - 1000)},100,0`, `7000,4,${ft(T)},2048,50000`, `7001,7000,${ft(T + 10)},4096,0`].join('\r\n'));
    const win = windowsPlatform({ powershell, taskkill: '/nonexistent' });
    const table = await win.table(0);
    expect(table?.get(7001)).toEqual({ pid: 7001, ppid: 7000, pgid: 7001, state: 'R', startTime: T + 10, cpuMs: 0, rssBytes: 4096 });
    expect((await win.read(7000))?.cpuMs).toBe(5);
    expect(readFileSync(`${powershell}.calls`, 'utf8')).toMatch(/^-NoLogo -NoProfile -NonInteractive -Command Get-CimInstance -ClassName Win32_Process/);
    expect(win.groups).toBe(false);
    expect(win.spawnOptions).toEqual({ detached: false, windowsHide: true });
  });

  it('stops a tree with taskkill /T, then /T /F; without a working taskkill a forced stop still terminates each pid', async () => {
    const dir = testTempDir();
    const taskkill = tool(dir, 'taskkill', 'ERROR: The process with PID 7000 could not be terminated.\r\nReason: This process can only be terminated forcefully (with /F option).\r\n', 1);
    const win = windowsPlatform({ powershell: '/nonexistent', taskkill });
    const live = [7000, 7001].map((pid) => ({ pid, ppid: 1, pgid: pid, state: 'R', startTime: T }));
    await win.signalTree(7000, live, 'SIGTERM');
    await win.signalTree(7000, live, 'SIGKILL');
    expect(readFileSync(`${taskkill}.calls`, 'utf8')).toBe('/T /PID 7000 /PID 7001\n/T /F /PID 7000 /PID 7001\n');
    // No PowerShell: no table, and the reason is kept for the log.
    expect(await win.table(0)).toBeNull();
    expect(win.lastError).toMatch(/^\/nonexistent: ENOENT/);
  });

  it('runs service commands through ComSpec, or the stack\'s shell:', () => {
    const win = windowsPlatform();
    expect(win.shell('npm run dev', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' })).toEqual({ file: 'C:\\Windows\\system32\\cmd.exe', args: ['/d', '/s', '/c', '"npm run dev"'], windowsVerbatimArguments: true });
    expect(win.shell('Get-Date', {}, { shell_command: 'pwsh.exe', shell_argument: '-Command' })).toEqual({ file: 'pwsh.exe', args: ['-Command', 'Get-Date'] });
  });

  it('refuses hearth signal HUP (Node would terminate the process for it) but lets a kill through', async () => {
    const win = windowsPlatform({ powershell: '/nonexistent', taskkill: '/nonexistent' });
    await expect(signalMain({ pid: 2 ** 22 + 7, viaShell: false }, 'SIGHUP', win)).rejects.toThrow('SIGHUP: Windows has no signals, only a forced kill (SIGKILL); use hearth restart to restart a service');
    expect(await signalMain({ pid: 2 ** 22 + 7, viaShell: false }, 'SIGKILL', win)).toEqual([]); // no such pid: nothing sent
  });
});
