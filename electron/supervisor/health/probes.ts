// The real health probes: HTTP (as Aurora's HttpSignaler), TCP connect, and shell commands.
// They run every interval_secs for every service, often every second, so each one must leave
// nothing behind: no socket, no file descriptor, no child process.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

export type ResolvedProbe =
  | {
      kind: 'http';
      host: '127.0.0.1';
      port: number;
      endpoint: string;
      expected_response: string | null;
      expected_response_code: number;
    }
  | { kind: 'tcp'; host: '127.0.0.1'; port: number }
  | { kind: 'shell'; command: string; cwd: string; env: NodeJS.ProcessEnv };

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/** Bodies longer than this are not read further: the check fails (a health endpoint answers briefly). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Shell output kept for the failure detail (the tail: the last lines usually say what went wrong). */
export const MAX_SHELL_OUTPUT = 2048;

// One keep-alive agent for every HTTP check: connections to a service are reused between checks
// instead of one new socket (and TIME_WAIT entry) per check. Free sockets are unref'd by Node and
// closed after FREE_SOCKET_TIMEOUT_MS idle, so nothing accumulates when checks stop.
const FREE_SOCKET_TIMEOUT_MS = 15_000;
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 4, timeout: FREE_SOCKET_TIMEOUT_MS });

/** Closes idle keep-alive sockets (supervisor shutdown). The agent stays usable. */
export function releaseProbeSockets(): void {
  agent.destroy();
}

export function runProbe(probe: ResolvedProbe, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  if (signal?.aborted) return Promise.resolve({ ok: false, detail: 'aborted' });
  switch (probe.kind) {
    case 'http':
      return httpProbe(probe, timeoutMs, signal);
    case 'tcp':
      return tcpProbe(probe.host, probe.port, timeoutMs, signal);
    case 'shell':
      return shellProbe(probe.command, probe.cwd, probe.env, timeoutMs, signal);
  }
}

/** A human description of the probe, for HealthCheckSettings.target. */
export function probeTarget(probe: ResolvedProbe): string {
  if (probe.kind === 'http') return `GET http://${probe.host}:${probe.port}${probe.endpoint}`;
  if (probe.kind === 'tcp') return `tcp ${probe.host}:${probe.port}`;
  return `sh: ${probe.command}`;
}

function secs(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function errorDetail(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  return error instanceof Error ? error.message : String(error);
}

function shorten(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type HttpProbe = Extract<ResolvedProbe, { kind: 'http' }>;

async function httpProbe(probe: HttpProbe, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const first = await httpAttempt(probe, timeoutMs, signal);
  // A kept-alive socket may be closed by the server just as we reuse it; that says nothing about the
  // service's health, so retry once on a fresh connection (Node's documented pattern).
  if (first.retry) return (await httpAttempt(probe, timeoutMs, signal)).result;
  return first.result;
}

function httpAttempt(
  probe: HttpProbe,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ result: ProbeResult; retry: boolean }> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const finish = (result: ProbeResult, retry = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolvePromise({ result, retry });
    };
    const fail = (detail: string): void => {
      // destroy() closes the socket instead of returning it to the pool: it may be mid-response.
      req.destroy();
      finish({ ok: false, detail });
    };
    const onAbort = (): void => fail('aborted');

    // Every callback below runs asynchronously, after `timer` exists.
    const req = http.get(
      {
        host: probe.host,
        port: probe.port,
        path: probe.endpoint,
        agent,
        headers: { 'user-agent': 'hearth-health-check', accept: '*/*' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) return fail(`response body over ${MAX_BODY_BYTES} bytes`);
          chunks.push(chunk);
        });
        // 'close' before a complete body = the server hung up mid-response.
        res.on('close', () => {
          if (!res.complete) fail('response aborted');
        });
        res.on('error', (error) => fail(errorDetail(error)));
        // The body is always read to the end, so the socket goes back to the pool for the next check.
        res.on('end', () => {
          if (settled) return;
          // As HttpSignaler: an HTTP error status reads as an empty body.
          const body = status >= 400 ? '' : Buffer.concat(chunks).toString('utf8');
          finish(judgeHttp(probe, status, body));
        });
      },
    );
    req.on('error', (error) => {
      if (settled) return;
      const retry = req.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET';
      req.destroy();
      finish({ ok: false, detail: errorDetail(error) }, retry);
    });
    const timer = setTimeout(() => fail(`timeout after ${secs(timeoutMs)}`), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
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

function tcpProbe(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolvePromise) => {
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (result: ProbeResult): void => {
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
    socket.once('connect', () => finish({ ok: true, detail: `connected to ${host}:${port}` }));
    socket.once('error', (error) => finish({ ok: false, detail: errorDetail(error) }));
  });
}

// How long to wait for the pipes to close after the shell exited; a daemonised grandchild
// could hold them open forever, and a check must not hang on that.
const PIPE_DRAIN_MS = 200;

function shellProbe(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  return new Promise((resolvePromise) => {
    let settled = false;
    let output = '';
    let drainTimer: NodeJS.Timeout | undefined;
    let outcome: ProbeResult | undefined;
    // detached: its own process group, so a timeout kills the whole pipeline, not just the shell.
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already gone
      }
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
