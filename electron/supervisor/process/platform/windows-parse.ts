// The Windows backend's pure parts, unit-tested here on Linux on recorded and documented output (no
// Windows machine runs these tests): the CIM process table, taskkill's answers, cmd.exe's command line.

/**
 * One PowerShell call lists every process (CIM Win32_Process). Start time and CPU time are sent as
 * integers (FILETIME and 100 ns units) so nothing depends on the locale's date format.
 */
export const CIM_SCRIPT =
  "Get-CimInstance -ClassName Win32_Process | ForEach-Object { '{0},{1},{2},{3},{4}' -f " +
  '$_.ProcessId, $_.ParentProcessId, $(if ($_.CreationDate) { $_.CreationDate.ToFileTimeUtc() } else { 0 }), ' +
  '$_.WorkingSetSize, ([uint64]$_.KernelModeTime + [uint64]$_.UserModeTime) }';

export const POWERSHELL_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', CIM_SCRIPT];

/** FILETIME (100 ns since 1601) of the Unix epoch. */
const EPOCH_FILETIME = 116_444_736_000_000_000n;

export interface WinProc {
  pid: number;
  ppid: number;
  /** Creation time, ms since the Unix epoch (0 for the System Idle Process, which has none). */
  startTime: number;
  rssBytes: number;
  cpuMs: number;
}

/** The lines CIM_SCRIPT prints, as processes. A parent that started after its child is a reused pid: unlinked. */
export function parseCimLines(output: string): Map<number, WinProc> {
  const table = new Map<number, WinProc>();
  for (const raw of output.split(/\r?\n/)) {
    const m = /^\s*(\d+),(\d+),(\d+),(\d+),(\d+)\s*$/.exec(raw);
    if (!m) continue;
    const filetime = BigInt(m[3]!);
    const proc: WinProc = {
      pid: Number(m[1]),
      ppid: Number(m[2]),
      startTime: filetime > EPOCH_FILETIME ? Number((filetime - EPOCH_FILETIME) / 10_000n) : 0,
      rssBytes: Number(m[4]),
      cpuMs: Number(BigInt(m[5]!) / 10_000n),
    };
    table.set(proc.pid, proc);
  }
  // Windows keeps a process's ParentProcessId after the parent exits, and pids are reused: a "parent"
  // younger than its child is someone else, and walking down from it would take in strangers.
  for (const proc of table.values()) {
    const parent = table.get(proc.ppid);
    if (parent && (parent.startTime > proc.startTime || parent.pid === proc.pid)) proc.ppid = 0;
  }
  return table;
}

export type TaskkillOutcome = 'terminated' | 'gone' | 'needs-force' | 'failed';

/** The arguments of one taskkill for these pids: their trees (/T), forcefully (/F) or by a close request. */
export function taskkillArgs(pids: readonly number[], force: boolean): string[] {
  return ['/T', ...(force ? ['/F'] : []), ...pids.flatMap((pid) => ['/PID', String(pid)])];
}

/**
 * What taskkill did to each pid it names, read from its lines (its exit code alone cannot tell: with /T,
 * 128 means "not found" for one pid but is also returned when a child could not be terminated).
 */
export function parseTaskkill(output: string): Map<number, TaskkillOutcome> {
  const outcomes = new Map<number, TaskkillOutcome>();
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const pid = Number(/PID (\d+)/.exec(line)?.[1] ?? /process "(\d+)"/.exec(line)?.[1] ?? NaN);
    if (!Number.isInteger(pid)) continue;
    let outcome: TaskkillOutcome;
    if (line.startsWith('SUCCESS:')) outcome = 'terminated';
    else if (/not found/i.test(line)) outcome = 'gone';
    else if (/could not be terminated/i.test(line)) outcome = /forcefully/i.test(lines[i + 1] ?? '') ? 'needs-force' : 'failed';
    else continue;
    outcomes.set(pid, outcome);
  }
  return outcomes;
}

/** The shell of a service's command line: ComSpec (cmd.exe), as Node's own `shell: true` does. */
export function comSpec(env: NodeJS.ProcessEnv): string {
  // Windows environment names are case-insensitive, but a copied env object is an ordinary one.
  for (const [key, value] of Object.entries(env)) if (key.toUpperCase() === 'COMSPEC' && value) return value;
  return 'cmd.exe';
}

/**
 * cmd.exe /d /s /c "<line>": /d skips AutoRun, /s makes cmd strip exactly the outer quotes and keep the
 * line as written inside, so a program path with spaces and quoted arguments survive. The arguments go
 * verbatim (Node would otherwise escape the quotes for the C runtime, which cmd does not use).
 */
export function cmdInvocation(cmd: string, env: NodeJS.ProcessEnv): { file: string; args: string[]; windowsVerbatimArguments: true } {
  return { file: comSpec(env), args: ['/d', '/s', '/c', `"${cmd}"`], windowsVerbatimArguments: true };
}

/** The full command line Windows would see for an invocation with verbatim arguments (tests, logs). */
export function commandLine(inv: { file: string; args: string[] }): string {
  const file = /\s/.test(inv.file) ? `"${inv.file}"` : inv.file;
  return [file, ...inv.args].join(' ');
}
