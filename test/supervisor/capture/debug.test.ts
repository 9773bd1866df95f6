// `hearth debug` on a real Node service whose checks fail while its inspector is open: not killed while a
// real DevTools-protocol client is attached, unsnoozed (and the inspector closed) once it detaches.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectCdp } from '../../../electron/supervisor/capture/cdp-client';
import { establishedOn } from '../../../electron/supervisor/capture/debug-session';
import { readSnooze } from '../../../electron/supervisor/snooze';
import { waitFor } from '../../helpers/wait-for';
import { runStack, type StackUnderTest } from '../harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function apiStack(): Promise<StackUnderTest> {
  const s = await runStack(
    `
services:
  api:
    cmd: node profiled-server.mjs
    ports: { http: ~ }
    health_check: { http: { port: http }, initial_interval_secs: 0.2, interval_secs: 0.1, max_consecutive_failures: 1 }
`,
    { start: false },
  );
  copyFileSync(new URL('./fixtures/profiled-server.mjs', import.meta.url), join(s.dir, 'profiled-server.mjs'));
  await s.sup.invoke('start', {});
  await s.waitState('api', 'RUNNING');
  return s;
}

describe.runIf(establishedOn(1) !== null)('hearth debug (Node)', () => {
  it('stays snoozed while a debugger is attached on its own free port, and unsnoozes when it detaches', async () => {
    stack = await apiStack();
    const before = stack.status('api');
    const { url, port } = await stack.sup.invoke('debug', { service: 'api' });
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${port}/[\\w-]+$`));
    expect(port).not.toBe(9229);
    expect(readSnooze(before.sandbox)).toMatchObject({ snoozed: true, reason: 'debug', until: null });
    await stack.waitState('api', (s) => s.capture?.kind === 'debug' && s.capture.debug?.attached === false && s.snooze_reason === 'debug');

    const debuggerClient = await connectCdp(url);
    await debuggerClient.send('Debugger.enable');
    await stack.waitState('api', (s) => s.capture?.debug?.attached === true);
    // Its checks fail while the inspector is open; snoozed, it is not killed.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${before.ports.http}/health`)).status === 500, { what: '/health failing' });
    await stack.waitState('api', (s) => s.health.history.slice(-3).every((h) => h.result === 'snoozed'));

    debuggerClient.close();
    const after = await stack.waitState('api', (s) => s.capture === null && !s.snoozed);
    expect(after).toMatchObject({ pid: before.pid, restarts: 0 });
    // The inspector is closed again: /health passes and the checks with it.
    await waitFor(async () => (await fetch(`http://127.0.0.1:${before.ports.http}/health`)).status === 200, { what: '/health passing' });
    const checks = after.health.checks;
    await stack.waitState('api', (s) => s.health.checks >= checks + 3 && s.health.history.slice(-3).every((h) => h.result === 'success'));
    const { lines } = await stack.sup.invoke('logs', { service: 'api' });
    expect(lines.map((l) => l.text)).toEqual(expect.arrayContaining(['debugger attached', 'debugger detached: health checks resume']));
  });

  it('debug_end ends a session nobody attached to', async () => {
    stack = await apiStack();
    await stack.sup.invoke('debug', { service: 'api' });
    expect(await stack.sup.invoke('debug_end', { service: 'api' })).toEqual({ service: 'api', ended: true });
    await stack.waitState('api', (s) => s.capture === null && !s.snoozed);
    expect(await stack.sup.invoke('debug_end', { service: 'api' })).toEqual({ service: 'api', ended: false });
  });

  it('refuses a service that is not Node, before snoozing it', async () => {
    stack = await runStack('services:\n  sh:\n    cmd: sh -c "echo up; exec sleep 600"\n');
    await stack.waitState('sh', 'RUNNING');
    await expect(stack.sup.invoke('debug', { service: 'sh' })).rejects.toThrow(/attaches to Node and Python services only \(sh runs native\)/);
    expect(stack.status('sh').snoozed).toBe(false);
  });
});
