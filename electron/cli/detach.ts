// `hearth up --detach` (and `serve --detach`): the same command, run in the background (as `pm2 start`, `overmind start -D`,
// `process-compose up -D` and `docker compose up -d` do). The foreground process starts it in a session of
// its own, waits until the stack is open and its services were started (the child says so over an IPC
// channel), then leaves. Everything else (`status`, `logs`, `down`) reaches it over the control socket as
// usual. The background process writes its own lines (state changes, reloads, errors; not the services'
// output, which is in their log files) to `.hearth/hearth.log`; the previous run's is kept as `.1`.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { probeControlSocket } from '../control/probe';
import { controlSocketPath } from '../control/socket-path';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';
import { APP_ROOT } from '../host/app-root';
import { hearthDirOf } from '../supervisor/layout';
import { ensureStateDir, openAppend, UntrustedStateError } from '../supervisor/safe-fs';
import { ALREADY_RUNNING_HINT, loadStack } from './commands/open-host';
import { CliError } from './instance';
import type { CliContext } from './io';

/** The option the foreground `up` gives the background one; not in the help, not for people. */
export const BACKGROUND_FLAG = 'background-child';
/** How long the background process may take to open the stack before the foreground gives up on it. */
const OPEN_TIMEOUT_MS = 120_000;
/** Lines of the background log shown when it failed to start. */
const FAILURE_TAIL_LINES = 30;

interface ReadyMessage {
  hearth: 'ready';
  /** `serve`: the UI's address, with its token. */
  url?: string;
}

export function backgroundLogPath(stackFile: string): string {
  return join(hearthDirOf(dirname(stackFile)), 'hearth.log');
}

/**
 * Starts `hearth -f FILE COMMAND ARGS --background-child` (COMMAND: up or serve) in the background and
 * resolves with its pid once it reported the stack open. A failure to open (stack file errors, already
 * running, …) becomes a CliError with the background log's last lines, as the foreground command would
 * have printed them.
 */
export async function startInBackground(ctx: CliContext, commandArgs: readonly string[]): Promise<{ pid: number; log: string; url?: string }> {
  // A broken stack file is said here, as the foreground command says it, before anything is created.
  await loadStack(ctx);
  // Before the socket is probed or the log rotated: both live in `.hearth`, which must be this user's.
  try {
    ensureStateDir(hearthDirOf(dirname(ctx.file.path)), { create: true });
  } catch (error) {
    if (error instanceof UntrustedStateError) throw new CliError(error.message);
    throw error;
  }
  const socketPath = controlSocketPath(dirname(ctx.file.path));
  // Checked here, before the log is rotated: a second `up -d` must not move the running one's log away.
  const probe = await probeControlSocket(socketPath);
  if (probe.live) throw new CliError(`hearth is already running this stack (${probe.hello ? `pid ${probe.hello.pid}` : 'pid unknown'})\n${ALREADY_RUNNING_HINT}`);

  const log = backgroundLogPath(ctx.file.path);
  // rename moves a symlink itself, never what it points to; the new log is opened without following one.
  if (existsSync(log)) renameSync(log, `${log}.1`);
  const fd = openAppend(log);
  let child: ReturnType<typeof spawn>;
  try {
    // The host runs with the node flags the shebang gives a foreground one (bin/node-flags.js).
    child = spawn(process.execPath, [...HEARTH_NODE_FLAGS, join(APP_ROOT, 'bin', 'hearth.js'), '-f', ctx.file.path, ...commandArgs, `--${BACKGROUND_FLAG}`], {
      cwd: ctx.io.cwd,
      env: ctx.io.env,
      detached: true, // its own session: a closed terminal (SIGHUP) or Ctrl-C here does not reach it
      stdio: ['ignore', fd, fd, 'ipc'],
    });
  } finally {
    closeSync(fd); // the child has its own copy
  }

  const outcome = await new Promise<{ ready: true; url?: string } | { ready: false; code: number | null; why: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ready: false, code: null, why: `did not open the stack within ${OPEN_TIMEOUT_MS / 1000}s` }), OPEN_TIMEOUT_MS);
    child.on('message', (message: unknown) => {
      const ready = message as ReadyMessage | null;
      if (ready?.hearth !== 'ready') return;
      clearTimeout(timer);
      resolve({ ready: true, url: typeof ready.url === 'string' ? ready.url : undefined });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ready: false, code, why: signal ? `was killed by ${signal}` : `exited with code ${code}` });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ready: false, code: null, why: `could not be started: ${error.message}` });
    });
  });
  const shown = relative(ctx.io.cwd, log) || log;
  if (!outcome.ready) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const tail = readTail(log);
    const exitCode = outcome.code !== null && outcome.code > 0 ? outcome.code : 1;
    // Usually the end of its log is the whole story (the stack file's errors, as `up` prints them).
    const header = `hearth in the background ${outcome.why}${tail.length > 0 ? `; the end of ${shown}:` : ` (nothing in ${shown})`}`;
    throw new CliError([header, ...tail].join('\n'), exitCode);
  }
  child.disconnect();
  child.unref();
  return { pid: child.pid!, log: shown, url: outcome.url };
}

/** What the foreground says once the background instance runs. */
export function backgroundStartedLines(pid: number, log: string): string[] {
  return [`hearth is running in the background (pid ${pid}); its log: ${log}`, '  hearth status · hearth logs --follow · hearth down'];
}

function readTail(file: string): string[] {
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
    return lines.slice(-FAILURE_TAIL_LINES);
  } catch {
    return [];
  }
}

/**
 * In the background process: tells the foreground `up` that the stack is open, then drops the channel so
 * that it can exit. Null when this process is not a background child (no channel to tell).
 */
export function backgroundReady(): ((info?: { url?: string }) => void) | null {
  const send = process.send?.bind(process);
  if (!send) return null;
  return (info = {}) => {
    const message: ReadyMessage = { hearth: 'ready', ...info };
    send(message, undefined, undefined, () => process.disconnect?.());
  };
}
