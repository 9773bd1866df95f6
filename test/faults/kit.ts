// Shared pieces of the fault tests: a stack folder on disk, a supervisor in this process or a stack
// host in its own process (so it can be SIGKILLed and measured), and /proc readings of a process.
// Linux only: everything about other processes is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Supervisor } from '../../electron/supervisor/api';
import { loadStackFile } from '../../electron/supervisor/config/load';
import { createSupervisor } from '../../electron/supervisor/supervisor';
import type { OrphanReport } from '../../electron/host/stack-host';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const HOST_SCRIPT = fileURLToPath(new URL('./fixtures/host.ts', import.meta.url));
const HEALTH_SERVER = fileURLToPath(new URL('../supervisor/fixtures/health-server.mjs', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat utime and stime (USER_HZ; 100 on every Linux build in use). */
export const CLK_TCK = 100;

export interface StackDir {
  dir: string;
  file: string;
  cleanup(): void;
}

/** A temp folder holding hearth.yaml, health-server.mjs and any extra (executable) files. */
export function writeStack(yaml: string, files: Record<string, string> = {}): StackDir {
  const { dir, cleanup } = makeTempDir('hf-');
  copyFileSync(HEALTH_SERVER, join(dir, 'health-server.mjs'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o755 });
  const file = join(dir, 'hearth.yaml');
  writeFileSync(file, yaml);
  return { dir, file, cleanup };
}

/** A value unique to this test run, for the HEARTH_TEST_MARK environment variable of services. */
export function uniqueMark(label: string): string {
  return `${label}-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** A supervisor in this process, with nobody subscribed (no UI attached). */
export async function supervisorFor(file: string): Promise<Supervisor> {
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new Error(`fixture stack invalid: ${JSON.stringify(loaded.errors)}`);
  return createSupervisor({ stack: loaded.stack });
}

export interface HostProcess {
  child: ChildProcess;
  pid: number;
  socket: string;
  orphans: OrphanReport[];
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
  /** SIGTERM (stop every service) and wait for the exit. */
  stop(): Promise<number | string>;
}

/**
 * Starts `fixtures/host.ts` on `file` in a child process and waits until it serves the stack. `launch`:
 * node arguments that run the host instead of the sources through tsx (the soak runs it bundled).
 */
export async function startHostProcess(file: string, timeoutMs = 20_000, launch: string[] = ['--import', 'tsx', HOST_SCRIPT]): Promise<HostProcess> {
  const child = spawn(process.execPath, [...launch, file], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  return attach(child, timeoutMs, (text) => {
    const line = text.split('\n').find((l) => l.startsWith('{"ready"'));
    return line ? (JSON.parse(line) as { socket: string; orphans: OrphanReport[] }) : undefined;
  });
}

/** `node bin/hearth.js ARGS` in a child process; `ready` picks what it waits for out of the output. */
export async function startCli<T>(
  args: string[],
  ready: (output: string) => T | undefined,
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<HostProcess & { ready: T }> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'hearth.js'), ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let got: T | undefined;
  const host = await attach(child, timeoutMs, (text) => {
    got = ready(text);
    return got === undefined ? undefined : { socket: '', orphans: [] };
  });
  return { ...host, ready: got as T };
}

async function attach(
  child: ChildProcess,
  timeoutMs: number,
  ready: (output: string) => { socket: string; orphans: OrphanReport[] } | undefined,
): Promise<HostProcess> {
  let text = '';
  // Always drained: a host whose stdout pipe fills up would block, which is not the fault under test.
  child.stdout?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let gone: number | string | null = null;
  void exited.then((v) => (gone = v));
  const info = await waitFor(
    () => {
      if (gone !== null) throw new Error(`host exited (${gone}) before it was ready:\n${text}`);
      return ready(text);
    },
    { timeoutMs, what: 'the host to be ready' },
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    pid: child.pid!,
    socket: info.socket,
    orphans: info.orphans,
    output: () => text,
    exited,
    stop: async () => {
      if (gone === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** utime + stime of a process, in clock ticks (see CLK_TCK). */
export function cpuTicks(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5); index = field - 3 after the comm.
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number | 'self'): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

export function fdCount(pid: number | 'self'): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export interface ProcInfo {
  pid: number;
  pgrp: number;
  ppid: number;
  env: Map<string, string>;
  /** argv joined with spaces. */
  cmdline: string;
}

/** Live (non-zombie) processes whose environment has HEARTH_TEST_MARK=mark. */
export function markedProcesses(mark: string): ProcInfo[] {
  const found: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (!raw.includes(`HEARTH_TEST_MARK=${mark}\0`) && !raw.endsWith(`HEARTH_TEST_MARK=${mark}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const env = new Map<string, string>();
      for (const kv of raw.split('\0')) {
        const eq = kv.indexOf('=');
        if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
      }
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), env, cmdline });
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return found;
}

/** SIGKILL every process group still carrying `mark` (test cleanup after a deliberate crash). */
export function killMarked(mark: string): void {
  const marked = markedProcesses(mark);
  const pids = new Set(marked.map((p) => p.pid));
  for (const p of marked) {
    // A whole group only when its leader is ours: never the group of the test runner itself.
    for (const target of pids.has(p.pgrp) && p.pgrp !== process.pid ? [-p.pgrp, p.pid] : [p.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}
