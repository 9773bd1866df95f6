// Starting one service process, through the process platform (platform/): its own process group on
// POSIX, no console window on Windows; the command directly when it is plain words (direct-exec.ts),
// else through the shell (/bin/sh -c, cmd.exe /d /s /c, or the stack's `shell:`). Its fds 0-2 are real
// pipes where the system has them (fifo-pipes.ts), so it can open /dev/stdout as in a terminal.
import { spawn, type ChildProcess, type SpawnOptions as NodeSpawnOptions, type StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { openStdioPipes, pipesUnavailable, type StdioPipes } from './fifo-pipes';
import { statSync, type Stats } from 'node:fs';
import { planCommand, type DirectCommand } from './direct-exec';
import type { ShellConfig } from '../config/types';
import type { ProcessPlatform } from './platform/types';
import type { OutputStream } from '../../../shared/types';

export interface ChildExit {
  code: number | null;
  signal: string | null;
}

export interface ChildHandle {
  /**
   * Pid of the command's process (the shell's, or the command itself when it is plain words and ran
   * without the shell), which is also its process group id on POSIX. 0 when spawning failed.
   */
  pid: number;
  /** Start time (the backend's unit) that proves a pid still denotes this process; null until known. */
  startTime: number | null;
  /** Resolves once `startTime` was read (at once on linux; one ps / PowerShell call elsewhere). */
  identified: Promise<void>;
  /** Date.now() at spawn. */
  startedAt: number;
  /**
   * Resolves once the process exited AND its pipes closed, or 200 ms after the exit, whichever is first:
   * a grandchild may inherit stdout/stderr and keep them open for as long as it lives.
   */
  exited: Promise<ChildExit>;
  /** Resolves at the exit itself, before the pipes are drained (what the process started may write on). */
  exitSeen: Promise<void>;
  /** Set when the process could not be started at all (exited then resolves with code 127). */
  spawnError: Error | null;
  /** `pid` is the shell running the command (shell syntax), not the command itself. */
  viaShell: boolean;
  /** Why its stdout and stderr are Node's socketpairs where real pipes were meant (/dev/stdout then cannot be opened). */
  stdioNote: string | null;
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
  platform: ProcessPlatform;
  /** The stack's `shell:` (null: the platform's own). */
  shell?: ShellConfig | null;
  /**
   * Each chunk of its output as it is read. The chunk is valid only during the call (the real pipes read
   * into one shared buffer, fifo-pipes.ts): copy whatever of it you keep.
   */
  onOutput: (stream: OutputStream, chunk: Buffer) => void;
}

/** After the exit, how long to wait for pipes held open by grandchildren before reporting the exit. */
const PIPE_CLOSE_GRACE_MS = 200;

/**
 * Never rejects: a failure to start is reported through `spawnError` and an exit with code 127, and is
 * known when the promise resolves (Node reports it a tick after spawn(), so the caller must not look
 * earlier: it would log "started pid 0" for a command that never ran).
 */
export async function spawnProcess(opts: SpawnOptions): Promise<ChildHandle> {
  const startedAt = Date.now();
  const cwd = checkCwd(opts.cwd);
  if (cwd instanceof Error) return failed(startedAt, cwd);

  // Only the platform's own shell is known to do nothing but exec plain words; a configured one runs all.
  let plan: ReturnType<typeof planCommand>;
  try {
    plan = opts.shell ? null : planCommand(opts.cmd, opts.cwd, opts.env, cwd);
  } catch (error) {
    return failed(startedAt, new Error(`cannot start "${opts.cmd}": ${(error as Error).message}`));
  }
  if (plan && 'missing' in plan) return failed(startedAt, new Error(`cannot start "${plan.missing}": ${plan.reason}`));
  const pipes = opts.platform.realPipes ? await openStdioPipes(opts.onOutput) : null; // null: Node's socketpairs
  const stdio: StdioOptions = pipes ? pipes.childFds : ['pipe', 'pipe', 'pipe'];
  const stdioNote =
    opts.platform.realPipes && !pipes
      ? `stdin, stdout and stderr are sockets, not pipes (${pipesUnavailable() ?? 'the pipes could not be opened'}): /dev/stdout cannot be opened by path`
      : null;
  let child: ChildProcess;
  let viaShell: boolean;
  try {
    const direct = plan ? spawnDirect(plan, opts, stdio) : null;
    viaShell = direct === null;
    child = direct ?? spawnShell(opts, stdio);
  } catch (error) {
    // Synchronous failures: invalid arguments such as a NUL byte in the command or the environment.
    pipes?.destroy();
    return failed(startedAt, new Error(`cannot start "${opts.cmd}": ${(error as Error).message}`));
  }
  if (child.pid === undefined) {
    // Node emits the reason ('error') on the next tick; nothing else listens to this child.
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    destroyPipes(child);
    pipes?.destroy();
    return failed(startedAt, new Error(`cannot start "${opts.cmd}" in ${opts.cwd}: ${describeSpawnError(error)}`));
  }
  pipes?.closeChildEnds(); // the child has its own copies now; ours would keep its output from ever ending
  const pid = child.pid;
  const io = streamsOf(child, pipes);

  const handle: ChildHandle = {
    pid,
    startTime: null,
    identified: Promise.resolve(),
    startedAt,
    spawnError: null,
    viaShell,
    stdioNote,
    exited: Promise.resolve({ code: null, signal: null }),
    exitSeen: new Promise<void>((resolve) => child.once('exit', () => resolve())),
    pause: () => {
      io.stdout?.pause();
      io.stderr?.pause();
    },
    resume: () => {
      io.stdout?.resume();
      io.stderr?.resume();
    },
    write: (data) => {
      const stdin = io.stdin;
      if (!stdin || stdin.destroyed || !stdin.writable) return false;
      stdin.write(data);
      return true;
    },
  };
  // Read right away: the pid exists from the fork on, and the start time is what later proves (to
  // pid-registry / kill-tree) that a pid still denotes this very process. Until the child is reaped
  // its pid cannot be reused, so a read that finishes a little later still reads this process.
  const now = opts.platform.readNow?.(pid);
  if (now !== undefined) handle.startTime = now?.startTime ?? null;
  else {
    handle.identified = opts.platform.read(pid).then((entry) => {
      handle.startTime = entry?.startTime ?? null;
    });
  }
  // EPIPE once the process (and whatever inherited the pipe) is gone: input is then simply not delivered.
  io.stdin?.on('error', () => {});

  handle.exited = new Promise<ChildExit>((resolve) => {
    let exit: ChildExit | null = null;
    let done = false;
    const finish = (value: ChildExit): void => {
      if (done) return;
      done = true;
      resolve(value);
    };
    child.on('error', () => {
      // After a successful spawn only a failed kill() or send() can land here; the exit is still reported by 'exit'.
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      if (pipes) {
        pipes.stdin.destroy(); // as Node does with its own stdin pipe at the exit
        if (openReaders === 0) finish(exit);
      }
      setTimeout(() => finish(exit as ChildExit), PIPE_CLOSE_GRACE_MS).unref();
    });
    // Both output pipes drained (every writer closed them): with Node's pipes, its 'close' says so.
    let openReaders = 2;
    if (pipes) {
      for (const s of [pipes.stdout, pipes.stderr]) {
        s.once('close', () => {
          openReaders--;
          if (openReaders === 0 && exit) finish(exit);
        });
      }
    } else child.once('close', (code, signal) => finish(exit ?? { code, signal }));
  });

  // Flowing mode, never paused: a chatty child must never block on a full pipe. The real pipes hand
  // their output to onOutput themselves (no 'data' events): the listener only starts them reading.
  for (const [name, stream] of [
    ['stdout', io.stdout],
    ['stderr', io.stderr],
  ] as const) {
    if (!stream) continue;
    stream.on('data', (chunk: Buffer) => opts.onOutput(name, chunk));
    stream.on('error', () => {
      // A read error on a pipe only means no more output; the exit is reported through 'exit'.
    });
  }
  return handle;
}

/** Our ends of the child's stdio: the real pipes, or Node's own. */
function streamsOf(child: ChildProcess, pipes: StdioPipes | null): { stdin: Writable | null; stdout: Readable | null; stderr: Readable | null } {
  return pipes ? { stdin: pipes.stdin, stdout: pipes.stdout, stderr: pipes.stderr } : { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr };
}

// stdin is a pipe that stays open (not /dev/null): `hearth attach` types into it (a debugger's prompt), and
// a program that quits at the end of its input (`esbuild --watch`) keeps running, as in a terminal.
function baseOptions(opts: SpawnOptions, stdio: StdioOptions): NodeSpawnOptions {
  return { cwd: opts.cwd, stdio, ...opts.platform.spawnOptions };
}

function spawnShell(opts: SpawnOptions, stdio: StdioOptions): ChildProcess {
  const sh = opts.platform.shell(opts.cmd, opts.env, opts.shell);
  return spawn(sh.file, sh.args, { ...baseOptions(opts, stdio), env: opts.env, windowsVerbatimArguments: sh.windowsVerbatimArguments });
}

/**
 * The command without the shell. If that start fails after all (a script without `#!`, which the shell
 * would run itself; a race with the file), null: the shell then runs it and reports any error exactly as
 * it always did.
 */
function spawnDirect(direct: DirectCommand, opts: SpawnOptions, stdio: StdioOptions): ChildProcess | null {
  let child: ChildProcess;
  try {
    child = spawn(direct.file, direct.args, { ...baseOptions(opts, stdio), argv0: direct.argv0, env: direct.env });
  } catch {
    return null;
  }
  if (child.pid !== undefined) return child;
  child.on('error', () => {}); // reported on the next tick; the shell's attempt speaks for it
  destroyPipes(child);
  return null;
}

function destroyPipes(child: ChildProcess): void {
  child.stdin?.destroy();
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** ENOENT for the shell itself reads "spawn /bin/sh ENOENT"; say it plainly. */
function describeSpawnError(error: NodeJS.ErrnoException): string {
  const what = error.path ?? 'the program';
  if (error.code === 'ENOENT') return `${what} not found`;
  if (error.code === 'EACCES') return `${what}: permission denied`;
  return error.message;
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
  return {
    pid: 0,
    startTime: null,
    identified: Promise.resolve(),
    startedAt,
    spawnError,
    viaShell: false,
    stdioNote: null,
    exited: Promise.resolve({ code: 127, signal: null }),
    exitSeen: Promise.resolve(),
    pause: () => {},
    resume: () => {},
    write: () => false,
  };
}
