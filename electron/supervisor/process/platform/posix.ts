// What every POSIX backend (linux, posix-ps, none) shares: kill(2) on pids and process groups, and the
// shell. Only how the process table is read differs between them.
import type { ShellConfig } from '../../config/types';
import type { ProcEntry, ProcessPlatform, ShellInvocation } from './types';

function kill(target: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false; // ESRCH: already gone (EPERM: not ours to signal, which the identity checks rule out)
  }
}

export function signalPid(pid: number, signal: NodeJS.Signals | 0): boolean {
  return Number.isInteger(pid) && pid > 0 && kill(pid, signal);
}

/** kill(-pgid): every member of the group at once. Never group 0 or 1 (our own group, init's). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  return Number.isInteger(pgid) && pgid > 1 && kill(-pgid, signal);
}

/** The group in one atomic kill(-pgid) (it also catches a fork racing with us), the others one by one. */
export async function signalTree(pgid: number, live: readonly ProcEntry[], signal: NodeJS.Signals): Promise<void> {
  if (live.some((e) => e.pgid === pgid)) signalGroup(pgid, signal);
  for (const entry of live) if (entry.pgid !== pgid) signalPid(entry.pid, signal);
}

/** `/bin/sh -c CMD`, or the stack's `shell:` (e.g. bash -c, zsh -c). */
export function posixShell(cmd: string, shell?: ShellConfig | null): ShellInvocation {
  return shell ? { file: shell.shell_command, args: [shell.shell_argument, cmd] } : { file: '/bin/sh', args: ['-c', cmd] };
}

/** What every POSIX backend is, whatever reads its table: groups, signals, kill(2), /bin/sh. */
export const POSIX_PROCESS = {
  groups: true,
  signals: true,
  realPipes: true,
  signalTree,
  signalPid,
  signalGroup,
  shell: (cmd: string, _env: NodeJS.ProcessEnv, shell?: ShellConfig | null): ShellInvocation => posixShell(cmd, shell),
  // detached: the child gets its own process group (pgid = pid), so stopping it can signal the whole
  // group at once and a Ctrl-C in the supervisor's terminal does not reach it directly.
  spawnOptions: { detached: true, windowsHide: false },
} as const satisfies Partial<ProcessPlatform>;
