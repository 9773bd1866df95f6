// Reload: a broken file keeps the running stack as it was; a good one restarts only what changed.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const base = `services:
  a:
    cmd: sleep 1000
  b:
    cmd: sleep 1000
`;

describe('reload', () => {
  it('keeps the running stack on a broken file and reports file:line:col', async () => {
    stack = await runStack(base);
    const a = await stack.waitState('a', 'RUNNING');
    writeFileSync(stack.file, base.replace('cmd: sleep 1000\n  b', 'cmd: sleep 1000\n    min_duration: fast\n  b'));
    const res = await stack.sup.invoke('reload', {});
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toMatchObject({ line: 4, path: 'services.a.min_duration' });
    expect(stack.sup.snapshot().stack?.config_errors).toHaveLength(1);
    expect(stack.status('a').pid).toBe(a.pid);
    expect(stack.status('a').state).toBe('RUNNING');
  });

  it('restarts only the service whose definition changed, adds and removes services', async () => {
    stack = await runStack(base);
    const a = await stack.waitState('a', 'RUNNING');
    const b = await stack.waitState('b', 'RUNNING');
    writeFileSync(stack.file, `services:
  a:
    cmd: sleep 1000
  b:
    cmd: sleep 999
  c:
    cmd: sleep 1000
`);
    const res = await stack.sup.invoke('reload', {});
    expect(res).toMatchObject({ ok: true, changed: ['b'], added: ['c'], removed: [] });
    const b2 = await stack.waitState('b', (s) => s.state === 'RUNNING' && s.pid !== b.pid);
    expect(b2.last_restart_reason).toBe('config-changed');
    await stack.waitState('c', 'RUNNING');
    expect(stack.status('a').pid).toBe(a.pid);
    writeFileSync(stack.file, base);
    const res2 = await stack.sup.invoke('reload', {});
    expect(res2.removed).toEqual(['c']);
    expect(stack.sup.snapshot().services.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('keeps a changed service on its ports while its old process still holds them, so what was given them stays right', async () => {
    const listening = (port: string): string => `services:
  api:
    cmd: node health-server.mjs
    ports: { http: ~ }
    env: { VERSION: "${port}" }
  worker:
    cmd: sleep 1000
    env: { API_URL: "http://127.0.0.1:{{services.api.ports[http]}}" }
`;
    stack = await runStack(listening('1'));
    const api = await stack.waitState('api', 'RUNNING');
    const worker = await stack.waitState('worker', 'RUNNING');
    await waitFor(() => stack!.lines.some((l) => l.service === 'api' && l.text.startsWith('listening')), { what: 'api bound to its port' });
    writeFileSync(stack.file, listening('2'));
    expect(await stack.sup.invoke('reload', {})).toMatchObject({ ok: true, changed: ['api'] });
    const api2 = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== api.pid);
    expect(api2.ports.http).toBe(api.ports.http);
    expect(stack.status('worker').pid).toBe(worker.pid);
  });
});
