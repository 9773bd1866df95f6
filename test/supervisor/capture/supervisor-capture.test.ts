// The capture proof on a real stack: a Node service is profiled while its checks would fail (its /health
// answers 500 while the inspector is open), is not killed, is unsnoozed after, and its .cpuprofile has
// samples from its own function. Plus every way a capture's snooze must go: cancel, stop, failure, a crashed Hearth.
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSnooze, writeSnooze } from '../../../electron/supervisor/snooze';
import { waitFor } from '../../helpers/wait-for';
import { runStack, type StackUnderTest } from '../harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const FIXTURE = new URL('./fixtures/profiled-server.mjs', import.meta.url);
const yaml = `
services:
  api:
    cmd: node profiled-server.mjs
    ports: { http: ~ }
    health_check:
      http: { port: http }
      initial_interval_secs: 0.2
      interval_secs: 0.1
      max_consecutive_failures: 1
      timeout_secs: 0.5
`;

async function apiStack(): Promise<StackUnderTest> {
  const s = await runStack(yaml, { start: false });
  copyFileSync(FIXTURE, join(s.dir, 'profiled-server.mjs'));
  await s.sup.invoke('start', {});
  await s.waitState('api', 'RUNNING');
  return s;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
}

describe('hearth capture on a real stack', () => {
  it('profiles a Node service under a capture snooze: not killed although its checks fail, unsnoozed after', async () => {
    stack = await apiStack();
    const before = stack.status('api');
    const sandbox = before.sandbox;
    const port = before.ports.http!;
    const capturing = stack.sup.invoke('capture', { service: 'api', kind: 'cpu', for_secs: 1.5 });
    // While it runs: the real snooze file, with its reason, and the service's own /health failing.
    const during = await stack.waitState('api', (s) => s.capture?.kind === 'cpu' && s.snoozed);
    expect(during.snooze_reason).toBe('capture');
    expect(readSnooze(sandbox)).toMatchObject({ snoozed: true, reason: 'capture', owner: { pid: process.pid } });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 500, { what: '/health failing while the inspector is open' });
    await stack.waitState('api', (s) => s.health.history.slice(-3).every((h) => h.result === 'snoozed') && s.health.history.length >= 3);

    const { capture } = await capturing;
    const after = await stack.waitState('api', (s) => !s.snoozed && s.capture === null);
    expect(existsSync(join(sandbox, '.healthchecksnooze'))).toBe(false);
    expect(after.pid).toBe(before.pid);
    expect(after.restarts).toBe(0);
    expect(after.state).toBe('RUNNING');
    // Checks resumed and pass again (the capture closed the inspector it opened).
    const checks = after.health.checks;
    await stack.waitState('api', (s) => s.health.checks >= checks + 3 && s.health.history.slice(-3).every((h) => h.result === 'success'));

    expect(capture.file).toBe(join(stack.dir, '.hearth', 'captures', 'api', capture.name));
    expect(capture.name).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-cpu\.cpuprofile$/);
    expect(capture).toMatchObject({ kind: 'cpu', engine: 'node-inspector', format: 'cpuprofile', flame: true, pid: before.pid, run: 1 });
    expect(capture.bytes).toBe(statSync(capture.file).size);
    expect(capture.duration_ms).toBeGreaterThanOrEqual(1500);
    expect(statSync(capture.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(stack.dir, '.hearth', 'captures')).mode & 0o777).toBe(0o700);
    const profile = JSON.parse(readFileSync(capture.file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
    const own = new Set(profile.nodes.filter((n) => n.callFrame.functionName === 'spinTheWheel').map((n) => n.id));
    expect(profile.samples.filter((id) => own.has(id)).length).toBeGreaterThan(10);

    // Listed in status (newest first) and by `captures`.
    expect(stack.status('api').captures?.[0]).toMatchObject({ name: capture.name, bytes: capture.bytes });
    expect((await stack.sup.invoke('captures', { service: 'api' })).captures.map((c) => c.name)).toEqual([capture.name]);
    const read = await stack.sup.invoke('capture_read', { service: 'api', name: capture.name });
    expect(JSON.parse(read.data)).toHaveProperty('nodes');

    // The health history shows the snooze (reason capture) and the capture window in run 1.
    const { runs } = await stack.sup.invoke('health_history', { service: 'api' });
    const run = runs.at(-1)!;
    expect(run.windows.map((w) => [w.kind, w.detail, w.to !== null])).toEqual([
      ['snooze', 'capture', true],
      ['capture', 'cpu (node-inspector)', true],
    ]);
    expect(run.probes.some((p) => p.result === 'snoozed' && p.latency_ms === null)).toBe(true);
    expect(run.probes.some((p) => p.result === 'success' && typeof p.latency_ms === 'number')).toBe(true);
    expect(run.events.map((e) => e.kind)).toEqual(['started', 'healthy']);
  });

  it('leaves a user\'s own snooze as it was', async () => {
    stack = await apiStack();
    await stack.sup.invoke('snooze', { service: 'api' });
    await stack.sup.invoke('capture', { service: 'api', kind: 'threads' });
    expect(readSnooze(stack.status('api').sandbox)).toMatchObject({ snoozed: true });
    expect(readSnooze(stack.status('api').sandbox).reason).toBeUndefined();
  });

  it('unsnoozes when the capture is cancelled (Ctrl-C), keeping what it sampled', async () => {
    stack = await apiStack();
    const capturing = stack.sup.invoke('capture', { service: 'api', kind: 'cpu', for_secs: 300 });
    await stack.waitState('api', (s) => s.capture !== null && s.snoozed);
    await waitFor(() => stack!.lines.some((l) => /inspector opened/.test(l.text)), { what: 'the inspector open' });
    expect(await stack.sup.invoke('capture_cancel', { service: 'api' })).toEqual({ service: 'api', cancelled: true });
    const { capture } = await capturing;
    expect(capture.duration_ms).toBeLessThan(60_000);
    expect(stack.status('api')).toMatchObject({ snoozed: false, capture: null });
  });

  it('unsnoozes when the service is stopped during a capture', async () => {
    stack = await apiStack();
    const capturing = stack.sup.invoke('capture', { service: 'api', kind: 'cpu', for_secs: 300 }).catch((e: Error) => e);
    await stack.waitState('api', (s) => s.capture !== null);
    await stack.sup.invoke('stop', { services: ['api'] });
    await capturing;
    expect(stack.status('api')).toMatchObject({ state: 'STOPPED', snoozed: false, capture: null });
  });

  it('unsnoozes when the capture fails, and says why', async () => {
    // Its inspector port is the port it serves on: SIGUSR1 cannot open the inspector there.
    stack = await runStack(`
services:
  taken:
    cmd: node --inspect-port={{thermos.ports[http]}} -e "require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT)"
    ports: { http: ~ }
    health_check: { http: { port: http }, initial_interval_secs: 0.2, interval_secs: 0.1 }
`);
    await stack.waitState('taken', 'RUNNING');
    await expect(stack.sup.invoke('capture', { service: 'taken', kind: 'heap' })).rejects.toThrow(/node could not open its inspector on 127\.0\.0\.1:\d+: address already in use/);
    expect(stack.status('taken')).toMatchObject({ snoozed: false, capture: null, restarts: 0 });
    expect(stack.lines.some((l) => /heap capture failed: node could not open its inspector/.test(l.text))).toBe(true);
  });

  it('refuses a kind the runtime does not offer before snoozing anything', async () => {
    stack = await runStack(`
services:
  sh:
    cmd: sh -c "echo up; sleep 600"
`);
    await stack.waitState('sh', 'RUNNING');
    await expect(stack.sup.invoke('capture', { service: 'sh', kind: 'heap' })).rejects.toThrow(/no heap capture for sh \(native\): no heap profile for a native process/);
    expect(stack.status('sh').snoozed).toBe(false);
    const tools = await stack.sup.invoke('capture_tools', { service: 'sh' });
    expect(tools.runtime).toBe('native');
    expect(tools.methods.map((m) => m.kind)).toEqual(['cpu', 'heap', 'core', 'threads']);
  });

  it('a Hearth that finds a capture snooze left by a crashed Hearth removes it; one of a live Hearth stays', async () => {
    // Above the kernel's pid_max (2^22 at most): a pid that cannot be running.
    const gone = { pid: 2 ** 22 + 7, start: 1 };
    stack = await runStack(yaml, {
      start: false,
      prepare: (dir) => writeSnooze(join(dir, '.hearth/sandbox/api'), Date.now() + 600_000, Date.now(), { reason: 'capture', owner: gone }),
    });
    // Said at start-up, before anyone subscribed: in the service's log.
    const { lines } = await stack.sup.invoke('logs', { service: 'api' });
    expect(lines.map((l) => l.text)).toContain(`removed the capture snooze left by hearth pid ${gone.pid}, which is gone; health checks resume`);
    expect(readSnooze(stack.status('api').sandbox).snoozed).toBe(false);
    expect(stack.status('api').snoozed).toBe(false);
    await stack.close();
    // The maker still runs (this very test process, another Hearth as far as a second supervisor knows).
    const live = { pid: process.ppid, start: null };
    stack = await runStack(yaml, {
      start: false,
      prepare: (dir) => writeSnooze(join(dir, '.hearth/sandbox/api'), null, Date.now(), { reason: 'capture', owner: live }),
    });
    expect(stack.status('api')).toMatchObject({ snoozed: true, snooze_reason: 'capture' });
  });
});
