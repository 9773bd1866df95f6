// windows: no signals and no process groups. The table is CIM Win32_Process through one PowerShell call
// per scan; stopping a tree is taskkill /T (a close request, which console programs mostly refuse: the
// HTTP lifecycle endpoints are the graceful way there, as everywhere), then taskkill /T /F after the grace.
// Service commands run through ComSpec (cmd.exe /d /s /c) or the stack's `shell:`, with no console window.
// Only unit-tested (on Linux, on recorded output): no Windows machine runs the suite.
import { cmdInvocation, parseCimLines, parseTaskkill, POWERSHELL_ARGS, taskkillArgs } from './windows-parse';
import { runTool } from './run-tool';
import { ScanCache } from './scan-cache';
import { tableSampler } from './table-usage';
import type { ProcEntry, ProcTable, ProcessPlatform } from './types';

function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, signal); // 0: exists?; any other signal: TerminateProcess
    return true;
  } catch {
    return false;
  }
}

export function windowsPlatform(tools = { powershell: 'powershell.exe', taskkill: 'taskkill.exe' }): ProcessPlatform {
  let lastError: string | null = null;
  const cache = new ScanCache(async () => {
    const r = await runTool(tools.powershell, POWERSHELL_ARGS);
    if (r.code !== 0) {
      lastError = r.error ?? `${tools.powershell} exited with code ${r.code}: ${r.stderr.trim()}`;
      return null;
    }
    lastError = null;
    const table: ProcTable = new Map();
    for (const p of parseCimLines(r.stdout).values()) {
      // No zombies are listed and no groups exist: each process is its own "group".
      const entry: ProcEntry = { pid: p.pid, ppid: p.ppid, pgid: p.pid, state: 'R', startTime: p.startTime, cpuMs: p.cpuMs, rssBytes: p.rssBytes };
      table.set(p.pid, entry);
    }
    return table;
  });
  const table = (maxAgeMs?: number) => cache.get(maxAgeMs);
  return {
    name: 'windows',
    table,
    read: async (pid) => (await table(0))?.get(pid) ?? null,
    uidOf: () => null,
    get lastError() {
      return lastError;
    },
    groups: false,
    signals: false,
    realPipes: false,
    startTimeFloor: (epochMs) => epochMs - 1000,
    async signalTree(_pgid, live, signal) {
      if (live.length === 0) return;
      const force = signal === 'SIGKILL';
      const pids = live.map((e) => e.pid);
      const r = await runTool(tools.taskkill, taskkillArgs(pids, force));
      const outcomes = parseTaskkill(`${r.stdout}\n${r.stderr}`);
      if (r.error) lastError = r.error;
      // Without taskkill, a forced stop still happens one process at a time (TerminateProcess).
      if (force) for (const pid of pids) if (!outcomes.has(pid) || outcomes.get(pid) === 'failed') signalPid(pid, 'SIGKILL');
    },
    signalPid,
    signalGroup: () => false,
    shell: (cmd, env, shell) => (shell ? { file: shell.shell_command, args: [shell.shell_argument, cmd] } : cmdInvocation(cmd, env)),
    // detached would give each service a console of its own; windowsHide keeps any from flashing up.
    spawnOptions: { detached: false, windowsHide: true },
    usageSampler: () => tableSampler(() => table(0), 16), // 100 ns units, counted per ~15.6 ms scheduler tick
  };
}
