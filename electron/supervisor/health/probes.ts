// The real health probes: HTTP (as Aurora's HttpSignaler), TCP connect, and shell commands.
// They run every interval_secs for every service, often every second, so each one must leave
// nothing behind: no socket, no file descriptor, no child process.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { errorDetail, secs } from './details';
import { closeIdleConnections, httpGet, type HttpGetOutcome } from './http-get';
import { hostPort, isAbsentError, onLoopback, type LoopbackAddress } from '../loopback';
import { portUrl } from '../../../shared/port-url';
import type { ShellConfig } from '../config/types';
import type { ProcessPlatform } from '../process/platform/types';

/** HTTP and TCP checks go to the service's port on localhost: 127.0.0.1 or ::1 (../loopback.ts). */
export type ResolvedProbe =
  | {
      kind: 'http';
      port: number;
      endpoint: string;
      expected_response: string | null;
      expected_response_code: number;
    }
  | { kind: 'tcp'; port: number }
  | { kind: 'shell'; command: string; cwd: string; env: NodeJS.ProcessEnv; platform: ProcessPlatform; shell: ShellConfig | null };

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/** Bodies longer than this are not read further: the check fails (a health endpoint answers briefly). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Shell output kept for the failure detail (the tail: the last lines usually say what went wrong). */
export const MAX_SHELL_OUTPUT = 2048;

/** Closes idle keep-alive connections of HTTP checks (supervisor shutdown). Checks stay possible. */
export function releaseProbeSockets(): void {
  closeIdleConnections();
}

export function runProbe(probe: ResolvedProbe, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  if (signal?.aborted) return Promise.resolve({ ok: false, detail: 'aborted' });
  switch (probe.kind) {
    case 'http':
      return httpProbe(probe, timeoutMs, signal);
    case 'tcp':
      return tcpProbe(probe.port, timeoutMs, signal);
    case 'shell':
      return shellProbe(probe, timeoutMs, signal);
  }
}

/** A human description of the probe, for HealthCheckSettings.target. */
export function probeTarget(probe: ResolvedProbe): string {
  if (probe.kind === 'http') return `GET ${portUrl(probe.port)}${probe.endpoint}`;
  if (probe.kind === 'tcp') return `tcp localhost:${probe.port}`;
  return `sh: ${probe.command}`;
}

function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type HttpProbe = Extract<ResolvedProbe, { kind: 'http' }>;

async function httpProbe(probe: HttpProbe, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const options = { timeoutMs, signal, maxBodyBytes: MAX_BODY_BYTES, userAgent: 'hearth-health-check' };
  const get = async (host: LoopbackAddress): Promise<HttpGetOutcome> => {
    const target = { host, port: probe.port, path: probe.endpoint };
    const outcome = await httpGet(target, options);
    // A kept-alive connection may be closed by the server just as we reuse it; that says nothing
    // about the service's health, so retry once on a fresh connection.
    return !outcome.ok && outcome.retry ? httpGet(target, options) : outcome;
  };
  const outcome = await onLoopback(probe.port, get, (o) => !o.ok && o.absent === true);
  if (!outcome.ok) return { ok: false, detail: outcome.detail };
  // As HttpSignaler: an HTTP error status reads as an empty body.
  return judgeHttp(probe, outcome.status, outcome.status >= 400 ? '' : outcome.body.toString('utf8'));
}

/** HttpSignaler's verdict, redirects not followed: body first, then status. */
export function judgeHttp(
  probe: Pick<HttpProbe, 'expected_response' | 'expected_response_code'>,
  status: number,
  body: string,
): ProbeResult {
  if (probe.expected_response !== null && probe.expected_response !== '') {
    const got = body.trim().toLowerCase();
    const expected = probe.expected_response.trim().toLowerCase();
    if (got !== expected) {
      if (status >= 400) return { ok: false, detail: `HTTP ${status}` };
      return { ok: false, detail: `HTTP ${status}: expected "${shorten(expected)}", got "${shorten(got)}"` };
    }
  }
  if (probe.expected_response_code !== 0) {
    if (status !== probe.expected_response_code) {
      return { ok: false, detail: `HTTP ${status}, expected ${probe.expected_response_code}` };
    }
    return { ok: true, detail: `HTTP ${status}` };
  }
  // 0 = any non-error status; a redirect is not followed, so it is not an answer either.
  if (status >= 300) return { ok: false, detail: status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` };
  return { ok: true, detail: `HTTP ${status}` };
}

type TcpResult = ProbeResult & { absent?: boolean };

async function tcpProbe(port: number, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const { ok, detail } = await onLoopback(port, (host) => tcpConnect(host, port, timeoutMs, signal), (r) => r.absent === true);
  return { ok, detail };
}

function tcpConnect(host: LoopbackAddress, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpResult> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (result: TcpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolvePromise(result);
    };
    const onAbort = (): void => finish({ ok: false, detail: 'aborted' });
    const timer = setTimeout(() => finish({ ok: false, detail: `timeout after ${secs(timeoutMs)}` }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ ok: true, detail: `connected to ${hostPort(host, port)}` }));
    socket.once('error', (error) => finish({ ok: false, detail: errorDetail(error), ...(isAbsentError(error) && { absent: true }) }));
  });
}

// How long to wait for the pipes to close after the shell exited; a daemonised grandchild
// could hold them open forever, and a check must not hang on that.
const PIPE_DRAIN_MS = 200;

function shellProbe(probe: Extract<ResolvedProbe, { kind: 'shell' }>, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const { command, cwd, env, platform } = probe;
  return new Promise((resolvePromise) => {
    let settled = false;
    let output = '';
    let drainTimer: NodeJS.Timeout | undefined;
    let outcome: ProbeResult | undefined;
    // The service's shell; its own process group (POSIX), so a timeout kills the whole pipeline, not just the shell.
    const sh = platform.shell(command, env, probe.shell);
    const child = spawn(sh.file, sh.args, { cwd, env, ...platform.spawnOptions, windowsVerbatimArguments: sh.windowsVerbatimArguments, stdio: ['ignore', 'pipe', 'pipe'] });

    const killGroup = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      if (platform.groups) platform.signalGroup(pid, 'SIGKILL');
      else void platform.signalTree(pid, [{ pid, ppid: process.pid, pgid: pid, state: '?', startTime: 0 }], 'SIGKILL'); // taskkill /T /F
    };
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > 2 * MAX_SHELL_OUTPUT) output = output.slice(-MAX_SHELL_OUTPUT);
    };
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolvePromise(result);
    };
    const withOutput = (detail: string): string => {
      const text = output.slice(-MAX_SHELL_OUTPUT).trim();
      return text ? `${detail}: ${text}` : detail;
    };
    const onAbort = (): void => {
      killGroup();
      finish({ ok: false, detail: 'aborted' });
    };
    const timer = setTimeout(() => {
      killGroup();
      finish({ ok: false, detail: withOutput(`timeout after ${secs(timeoutMs)}`) });
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => finish({ ok: false, detail: `cannot run health check: ${error.message}` }));
    child.once('exit', (code, sig) => {
      // Whatever the check left running in its group goes with it: a check leaves nothing behind.
      killGroup();
      outcome =
        code === 0
          ? { ok: true, detail: 'exit 0' }
          : { ok: false, detail: code === null ? `killed by ${sig ?? 'a signal'}` : `exit ${code}` };
      drainTimer = setTimeout(() => finishWithOutcome(), PIPE_DRAIN_MS);
    });
    // 'close' = both pipes drained: the output is complete.
    child.once('close', () => finishWithOutcome());

    function finishWithOutcome(): void {
      if (!outcome) return;
      finish(outcome.ok ? outcome : { ok: false, detail: withOutput(outcome.detail) });
    }
  });
}
