// `hearth debug SERVICE` for Python: debugpy attached to the running process (`python -m debugpy --listen
// 127.0.0.1:PORT --pid PID`, which injects it through gdb on Linux, lldb on macOS), with the interpreter the
// service itself runs (a venv's python finds the venv's debugpy). A service started under debugpy
// (`python -m debugpy --listen …`) is used as it is. debugpy can be attached once per process: its listen()
// cannot be undone or repeated, so the session's end stops the adapter that listens (nobody else on this
// machine can connect after it) and a second `hearth debug` of that process says to restart it.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, isAbsolute, join } from 'node:path';
import { runTool, type ToolRun } from './run-tool';
import { socketsOn } from './tcp-table';
import type { ProcessFacts } from './runtime';
import { findOnPath } from './tools';

const PYTHON_NAME = /^(python|pypy)(\d+(\.\d+)*)?$/i;

/** The service's own Python variables: where its interpreter looks for debugpy beyond its prefix. */
const PYTHON_ENV = /^(PYTHONPATH|PYTHONHOME|PYTHONUSERBASE|PYTHONNOUSERSITE|VIRTUAL_ENV)$/;

function processEnv(pid: number): Record<string, string> {
  try {
    const env: Record<string, string> = {};
    for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  } catch {
    return {};
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The interpreter to run debugpy with: the process's argv[0] as it found it (a venv's bin/python, which
 * /proc/PID/exe would resolve to the base interpreter and so lose the venv), else its executable.
 */
export function pythonInterpreter(pid: number, facts: ProcessFacts): string {
  const argv0 = facts.argv[0] ?? '';
  if (PYTHON_NAME.test(basename(argv0))) {
    let file: string | null;
    if (argv0.includes('/')) {
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not Linux, or gone: only an absolute argv[0] is usable then
      }
      file = isAbsolute(argv0) ? argv0 : cwd ? join(cwd, argv0) : null;
    } else {
      file = findOnPath(argv0, processEnv(pid).PATH ?? process.env.PATH ?? '');
    }
    if (file && executable(file)) return file;
  }
  return facts.exe;
}

/** `python -m debugpy --listen [HOST:]PORT …` in the process's own command line: its port, or null. */
export function debugpyListenPort(argv: readonly string[]): number | null {
  const at = argv.findIndex((a, i) => a === 'debugpy' && argv[i - 1] === '-m');
  if (at < 0) return null;
  for (let i = at + 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg === '--listen' ? argv[i + 1] : arg.startsWith('--listen=') ? arg.slice('--listen='.length) : null;
    if (value === null) continue;
    const port = Number(/(?:^|:)(\d+)$/.exec(value ?? '')?.[1]);
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : null;
  }
  return null;
}

export interface DebugpyPlan {
  /** The interpreter that has debugpy (and runs the service). */
  python: string;
  env: NodeJS.ProcessEnv;
}

/** The environment debugpy runs in: Hearth's, with the service's own Python variables. */
function debugpyEnv(pid: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(processEnv(pid))) if (PYTHON_ENV.test(k)) env[k] = v;
  return env;
}

/**
 * Whether debugpy can attach to this Python process, or the sentence that says why not — checked before
 * anything is snoozed.
 */
export function planDebugpy(pid: number, facts: ProcessFacts, service: string, platform = process.platform, attachedByUs = false): DebugpyPlan | { error: string } {
  const python = pythonInterpreter(pid, facts);
  const env = debugpyEnv(pid);
  try {
    execFileSync(python, ['-c', 'import debugpy'], { env, stdio: 'ignore', timeout: 20_000 });
  } catch {
    return { error: `debugpy not found for ${python}: pip install debugpy (or ${python} -m pip install debugpy)` };
  }
  if (platform === 'linux' && !findOnPath('gdb')) return { error: 'gdb not found: apt-get install gdb (debugpy attaches to a running process through gdb)' };
  // Known to this Hearth only (the process keeps no mark of it that can be read from outside): after a
  // Hearth restart a second attach fails on its own, and attachFailure says why that may be.
  if (attachedByUs) {
    return { error: `debugpy was attached to ${service}'s process (pid ${pid}) before, and attaches once per process: restart ${service} to debug it again` };
  }
  return { python, env };
}

function attachFailure(run: ToolRun, pid: number, service: string): string {
  const text = `${run.stdout}\n${run.stderr}`;
  if (/ptrace: Operation not permitted|Could not attach to process/i.test(text)) {
    return (
      `debugpy cannot attach to pid ${pid}: this system refuses ptrace (Linux: sudo sysctl kernel.yama.ptrace_scope=0; ` +
      `macOS: SIP blocks the system Python). Or start ${service} under debugpy: python -m debugpy --listen 127.0.0.1:{{thermos.ports[debug]}} app.py`
    );
  }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('[') && !l.startsWith('$'));
  return `debugpy did not attach to pid ${pid}: ${lines.slice(-2).join(' ') || `exit code ${run.code}`} (debugpy attaches once per process: if it was attached before, restart ${service})`;
}

/** Attaches debugpy to `pid`, listening on 127.0.0.1:port; resolves once it listens there. */
export async function attachDebugpy(plan: DebugpyPlan, pid: number, port: number, service: string, signal: AbortSignal): Promise<void> {
  const run = await runTool(plan.python, ['-m', 'debugpy', '--listen', `127.0.0.1:${port}`, '--pid', String(pid)], { signal, deadlineMs: 90_000, env: plan.env });
  if (signal.aborted) throw new Error('the debug session was ended while debugpy was attaching');
  // The injected code starts debugpy's adapter, which listens a moment after the injector returns.
  const deadline = Date.now() + 20_000;
  while (!(await listening(port))) {
    if (Date.now() > deadline || signal.aborted) throw new Error(attachFailure(run, pid, service));
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Something listens on 127.0.0.1:port (Linux: /proc/net/tcp, state 0A; elsewhere a connect). */
async function listening(port: number): Promise<boolean> {
  const listeners = socketsOn(port, '0A', ['/proc/net/tcp']);
  if (listeners !== null) return listeners > 0;
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The pids of debugpy adapters of this user listening on `port` (`debugpy/adapter … --port PORT`). */
export function adapterPids(port: number): number[] {
  const isAdapter = (argv: string[]) => argv.some((a) => /debugpy[/\\]adapter$|^debugpy\.adapter$/.test(a)) && argv.some((a, i) => a === '--port' && argv[i + 1] === String(port));
  const found: number[] = [];
  let entries: string[] | null;
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    entries = null;
  }
  if (entries) {
    for (const e of entries) {
      try {
        if (isAdapter(readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0'))) found.push(Number(e));
      } catch {
        // gone, or another user's
      }
    }
    return found;
  }
  try {
    for (const line of execFileSync('ps', ['-U', String(process.getuid?.() ?? ''), '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n')) {
      const [pid, ...argv] = line.trim().split(/\s+/);
      if (pid && isAdapter(argv)) found.push(Number(pid));
    }
  } catch {
    // no ps: the adapter stays until the service's process exits
  }
  return found;
}

/** Stops the adapter listening on `port` (it exits with the service's process otherwise). */
export function stopDebugpyAdapter(port: number): number[] {
  const pids = adapterPids(port);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  return pids;
}
