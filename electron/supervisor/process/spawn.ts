// Starting one service process. Linux semantics; see comments for macOS/Windows.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, type Stats } from 'node:fs';
import { directCommand } from './direct-exec';
import { readProcStat } from './proc-stat';
import type { OutputStream } from '../../../shared/types';

export interface ChildExit {
  code: number | null;
  signal: string | null;
}

export interface ChildHandle {
  /**
   * Pid of the command's process (the `/bin/sh -c` one, or the command itself when it is plain words and
   * ran without the shell), which is also its process group id. 0 when spawning failed.
   */
  pid: number;
  /** /proc/<pid>/stat field 22 (start time in clock ticks); null where /proc is missing (macOS, Windows). */
  startTime: number | null;
  /** Date.now() at spawn. */
  startedAt: number;
  /**
   * Resolves once the process exited AND its pipes closed, or 200 ms after the exit, whichever is first:
   * a grandchild may inherit stdout/stderr and keep them open for as long as it lives.
   */
  exited: Promise<ChildExit>;
  /** Set when the process could not be started at all (exited then resolves with code 127). */
  spawnError: Error | null;
  /** `pid` is `/bin/sh -c` running the command (shell syntax), not the command itself. */
  viaShell: boolean;
  /** Stop / restart reading its output (backpressure: the child then blocks on its full pipe). */
  pause(): void;
  resume(): void;
  /** Writes to the process's stdin (`hearth attach`); false when it has none open (exited, closed it). */
  write(data: string): boolean;
}

export interface SpawnOptions {
  cmd: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onOutput: (stream: OutputStream, chunk: Buffer) => void;
}

/** After the exit, how long to wait for pipes held open by grandchildren before reporting the exit. */
const PIPE_CLOSE_GRACE_MS = 200;

/** Never throws: a failure to start is reported through `spawnError` and an exit with code 127. */
export function spawnProcess(opts: SpawnOptions): ChildHandle {
  const startedAt = Date.now();
  const cwd = checkCwd(opts.cwd);
  if (cwd instanceof Error) return failed(startedAt, cwd);

  let child: ChildProcess;
  let viaShell: boolean;
  try {
    const direct = spawnDirect(opts, cwd);
    viaShell = direct === null;
    child = direct ?? spawnShell(opts);
  } catch (error) {
    // Synchronous failures: invalid arguments such as a NUL byte in the command or the environment.
    return failed(startedAt, new Error(`cannot start "${opts.cmd}": ${(error as Error).message}`));
  }

  const handle: ChildHandle = {
    pid: child.pid ?? 0,
    // Read right away: the pid exists from the fork on, and the start time is what later proves
    // (to pid-registry / kill-tree) that a pid still denotes this very process.
    startTime: child.pid ? (readProcStat(child.pid)?.startTime ?? null) : null,
    startedAt,
    spawnError: null,
    viaShell,
    exited: Promise.resolve({ code: null, signal: null }),
    pause: () => {
      child.stdout?.pause();
      child.stderr?.pause();
    },
    resume: () => {
      child.stdout?.resume();
      child.stderr?.resume();
    },
    write: (data) => {
      const stdin = child.stdin;
      if (!stdin || stdin.destroyed || !stdin.writable) return false;
      stdin.write(data);
      return true;
    },
  };
  // EPIPE once the process (and whatever inherited the pipe) is gone: input is then simply not delivered.
  child.stdin?.on('error', () => {});

  handle.exited = new Promise<ChildExit>((resolve) => {
    let exit: ChildExit | null = null;
    let done = false;
    const finish = (value: ChildExit): void => {
      if (done) return;
      done = true;
      resolve(value);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // 'error' without a pid means the spawn itself failed (ENOENT for /bin/sh, EACCES on cwd, …).
      if (child.pid === undefined || handle.pid === 0) {
        handle.spawnError = new Error(`cannot start "${opts.cmd}" in ${opts.cwd}: ${error.message}`);
        finish({ code: 127, signal: null });
      }
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      setTimeout(() => finish(exit as ChildExit), PIPE_CLOSE_GRACE_MS).unref();
    });
    child.once('close', (code, signal) => finish(exit ?? { code, signal }));
  });

  // Flowing mode, never paused: a chatty child must never block on a full pipe.
  for (const [name, stream] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    if (!stream) continue;
    stream.on('data', (chunk: Buffer) => opts.onOutput(name, chunk));
    stream.on('error', () => {
      // A read error on a pipe only means no more output; the exit is reported through 'exit'.
    });
  }
  return handle;
}

// detached: the child gets its own process group (pgid = pid), so stopping it can signal the whole
// group at once and a Ctrl-C in the supervisor's terminal does not hit it directly.
// (On Windows `detached` instead means a new console; there is no process group to signal.)
// stdin is a pipe that stays open (not /dev/null): `hearth attach` types into it (a debugger's prompt), and
// a program that quits at the end of its input (`esbuild --watch`) keeps running, as in a terminal.
const STDIO: Array<'ignore' | 'pipe'> = ['pipe', 'pipe', 'pipe'];

function spawnShell(opts: SpawnOptions): ChildProcess {
  return spawn('/bin/sh', ['-c', opts.cmd], { cwd: opts.cwd, env: opts.env, detached: true, stdio: STDIO });
}

/**
 * The command without the shell when it is plain words (see direct-exec), else null. If that start
 * fails after all (a script without `#!`, which the shell would run itself; a race with the file),
 * null too: the shell then runs it and reports any error exactly as it always did.
 */
function spawnDirect(opts: SpawnOptions, cwdStat: Stats): ChildProcess | null {
  const direct = directCommand(opts.cmd, opts.cwd, opts.env, cwdStat);
  if (!direct) return null;
  let child: ChildProcess;
  try {
    child = spawn(direct.file, direct.args, { argv0: direct.argv0, cwd: opts.cwd, env: direct.env, detached: true, stdio: STDIO });
  } catch {
    return null;
  }
  if (child.pid !== undefined) return child;
  // Node reports this failure as an 'error' event on the next tick; nobody else listens to this child.
  child.on('error', () => {});
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
  return null;
}

function checkCwd(cwd: string): Stats | Error {
  try {
    const stat = statSync(cwd);
    return stat.isDirectory() ? stat : new Error(`working directory ${cwd} is not a directory`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Error(`working directory ${cwd} does not exist`);
    return new Error(`working directory ${cwd} is not accessible: ${(error as Error).message}`);
  }
}

function failed(startedAt: number, spawnError: Error): ChildHandle {
  return { pid: 0, startTime: null, startedAt, spawnError, viaShell: false, exited: Promise.resolve({ code: 127, signal: null }), pause: () => {}, resume: () => {}, write: () => false };
}
