// `hearth debug` on a real Python service: debugpy attached to its running process (through gdb), a real DAP
// client that pauses it as at a breakpoint (its checks fail, snoozed it is not killed), and the snooze lifted
// and debugpy's listener stopped once the client detaches. An interpreter without debugpy is named.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { establishedOn } from '../../../electron/supervisor/capture/debug-session';
import { adapterPids, debugpyListenPort } from '../../../electron/supervisor/capture/python-debug';
import { findOnPath } from '../../../electron/supervisor/capture/tools';
import { readSnooze } from '../../../electron/supervisor/snooze';
import { connectDap } from '../../helpers/dap-client';
import { makeTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';
import { runStack, type StackUnderTest } from '../harness';

/** Debian's python3-debugpy goes with Debian's python3 (`.ci/run` installs it). */
const PYTHON = '/usr/bin/python3';

function ptraceRefusal(): string | null {
  const gdb = findOnPath('gdb');
  if (!gdb) return 'gdb is not installed (apt-get install gdb)';
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const r = spawnSync(gdb, ['--batch', '--nx', '-p', String(sleeper.pid), '-ex', 'detach'], { encoding: 'utf8', timeout: 30_000 });
    const said = `${r.stdout}${r.stderr}`;
    return /ptrace: Operation not permitted|Could not attach/.test(said) ? `ptrace is refused here (${said.split('\n').find((l) => /ptrace|attach/i.test(l))?.trim()})` : null;
  } finally {
    sleeper.kill('SIGKILL');
  }
}

const why =
  process.platform !== 'linux'
    ? 'debugpy --pid is tested on Linux only'
    : !existsSync(PYTHON)
      ? `${PYTHON} is not installed`
      : spawnSync(PYTHON, ['-c', 'import debugpy']).status !== 0
        ? `debugpy is not importable by ${PYTHON} (apt-get install python3-debugpy)`
        : establishedOn(1) === null
          ? 'no /proc/net/tcp to see a debugger attach'
          : ptraceRefusal();
if (why) process.stdout.write(`SKIPPED: hearth debug for Python (debugpy): ${why}\n`);

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function pythonStack(python: string, args = '-u debuggee.py'): Promise<StackUnderTest> {
  const s = await runStack(
    `
services:
  py:
    cmd: ${python} ${args}
    ports: { http: ~, debug: ~ }
    health_check: { http: { port: http }, initial_interval_secs: 1, interval_secs: 0.2, timeout_secs: 0.5, max_consecutive_failures: 1 }
`,
    { start: false },
  );
  copyFileSync(new URL('./fixtures/debuggee.py', import.meta.url), join(s.dir, 'debuggee.py'));
  await s.sup.invoke('start', {});
  await s.waitState('py', (st) => st.state === 'RUNNING' && st.health.status === 'healthy');
  return s;
}

async function healthAnswers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) })).status === 200;
  } catch {
    return false;
  }
}

describe('debugpyListenPort', () => {
  it('reads the port of `python -m debugpy --listen` from a command line', () => {
    expect(debugpyListenPort(['python3', '-m', 'debugpy', '--listen', '127.0.0.1:5678', 'app.py'])).toBe(5678);
    expect(debugpyListenPort(['python3', '-m', 'debugpy', '--wait-for-client', '--listen=5679', 'app.py'])).toBe(5679);
    expect(debugpyListenPort(['python3', 'app.py', '--listen', '5678'])).toBeNull();
    expect(debugpyListenPort(['python3', '-m', 'debugpy', '--connect', '5678', 'app.py'])).toBeNull();
  });
});

describe.runIf(!why)('hearth debug (Python, debugpy)', () => {
  it('attaches debugpy; paused by a real DAP client the service is snoozed, not killed; detached, the snooze and the listener go', async () => {
    stack = await pythonStack(PYTHON);
    const before = stack.status('py');
    const { url, port, engine } = await stack.sup.invoke('debug', { service: 'py' });
    expect(engine).toBe('debugpy');
    expect(url).toBe(`tcp://127.0.0.1:${port}`);
    expect(readSnooze(before.sandbox)).toMatchObject({ snoozed: true, reason: 'debug', until: null });
    expect(adapterPids(port).length).toBe(1);
    await stack.waitState('py', (s) => s.capture?.kind === 'debug' && s.capture.engine === 'debugpy' && s.capture.debug?.attached === false);

    // The DAP handshake an editor makes, then a pause: every thread stops, /health with them.
    const dap = await connectDap(port);
    const init = await dap.request('initialize', { clientID: 'hearth-test', adapterID: 'debugpy', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    expect(init).toMatchObject({ type: 'response', command: 'initialize', success: true });
    expect(init.body).toMatchObject({ supportsConfigurationDoneRequest: true });
    await stack.waitState('py', (s) => s.capture?.debug?.attached === true);
    const attached = dap.request('attach', { justMyCode: false });
    await dap.event('initialized');
    expect(await dap.request('configurationDone')).toMatchObject({ success: true });
    expect(await attached).toMatchObject({ success: true });
    const threads = (await dap.request('threads')).body!.threads as Array<{ id: number; name: string }>;
    const main = threads.find((t) => t.name === 'MainThread') ?? threads[0]!;
    expect(await dap.request('pause', { threadId: main.id })).toMatchObject({ success: true });
    expect((await dap.event('stopped')).body).toMatchObject({ reason: 'pause' });
    await waitFor(async () => !(await healthAnswers(before.ports.http!)), { what: '/health stalled by the pause' });
    const checks = stack.status('py').health.checks;
    await stack.waitState('py', (s) => s.health.checks >= checks + 3 && s.health.history.slice(-3).every((h) => h.result === 'snoozed'));
    expect(stack.status('py')).toMatchObject({ pid: before.pid, restarts: 0, snoozed: true });

    expect(await dap.request('continue', { threadId: main.id })).toMatchObject({ success: true });
    await dap.request('disconnect', { terminateDebuggee: false }).catch(() => undefined);
    dap.close();
    const after = await stack.waitState('py', (s) => s.capture === null && !s.snoozed);
    expect(after).toMatchObject({ pid: before.pid, restarts: 0 });
    expect(readSnooze(before.sandbox).snoozed).toBe(false);
    // Nobody can attach there any more: debugpy's adapter is stopped.
    await waitFor(() => adapterPids(port).length === 0, { what: "debugpy's adapter gone" });
    const resumed = after.health.checks;
    await stack.waitState('py', (s) => s.health.checks >= resumed + 3 && s.health.history.slice(-3).every((h) => h.result === 'success'));
    const texts = (await stack.sup.invoke('logs', { service: 'py' })).lines.map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(['debugger attached', 'debugger detached: health checks resume']));
    expect(texts.some((t) => t.startsWith(`stopped debugpy's adapter on port ${port}`))).toBe(true);

    // debugpy attaches once per process: a second session says to restart, before snoozing.
    await expect(stack.sup.invoke('debug', { service: 'py' })).rejects.toThrow(`debugpy was attached to py's process (pid ${before.pid}) before, and attaches once per process: restart py to debug it again`);
    expect(stack.status('py').snoozed).toBe(false);
  });

  it('ends the session when the debugged process exits', async () => {
    stack = await pythonStack(PYTHON);
    const before = stack.status('py');
    await stack.sup.invoke('debug', { service: 'py' });
    process.kill(before.pid!, 'SIGKILL');
    await stack.waitState('py', (s) => s.capture === null && !s.snoozed && s.pid !== null && s.pid !== before.pid);
    const texts = (await stack.sup.invoke('logs', { service: 'py' })).lines.map((l) => l.text);
    expect(texts).toContain(`the debugged process (pid ${before.pid}) exited: ending the debug session`);
  });

  it('uses the port of a service started under debugpy, and leaves that listener to it', async () => {
    stack = await pythonStack(PYTHON, '-m debugpy --listen 127.0.0.1:{{thermos.ports[debug]}} debuggee.py');
    const own = stack.status('py').ports.debug!;
    const { url, port, engine } = await stack.sup.invoke('debug', { service: 'py' });
    expect({ url, port, engine }).toEqual({ url: `tcp://127.0.0.1:${own}`, port: own, engine: 'debugpy' });
    const dap = await connectDap(port);
    expect(await dap.request('initialize', { clientID: 'hearth-test', adapterID: 'debugpy' })).toMatchObject({ success: true, command: 'initialize' });
    await stack.waitState('py', (s) => s.capture?.debug?.attached === true && s.snoozed);
    dap.close();
    await stack.waitState('py', (s) => s.capture === null && !s.snoozed);
    // Its own debugpy still listens: a second session works the same.
    expect(adapterPids(port).length).toBe(1);
    expect((await stack.sup.invoke('debug', { service: 'py' })).port).toBe(own);
    expect(await stack.sup.invoke('debug_end', { service: 'py' })).toEqual({ service: 'py', ended: true });
  });

  it('names an interpreter without debugpy (a venv\'s), and does not snooze', async () => {
    const { dir: venvDir, cleanup } = makeTempDir('hs-venv-');
    onTestFinished(cleanup);
    const venv = join(venvDir, 'venv');
    const made = spawnSync(PYTHON, ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`python3 -m venv failed: ${made.stderr}`);
    stack = await pythonStack(join(venv, 'bin', 'python'));
    // Its process's executable is Debian's python3, which has debugpy: the venv's python is what runs it.
    expect(readlinkSync(`/proc/${stack.status('py').pid}/exe`)).toMatch(/^\/usr\/bin\/python3/);
    await expect(stack.sup.invoke('debug', { service: 'py' })).rejects.toThrow(`debugpy not found for ${join(venv, 'bin', 'python')}: pip install debugpy`);
    expect(stack.status('py').snoozed).toBe(false);
  });
});
