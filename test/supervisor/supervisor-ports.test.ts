// Named ports with real sockets: substituted into commands, discovered by other services, sticky
// across restarts and runs, and moved when the child dies with EADDRINUSE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackFile } from '../../electron/supervisor/config/load';
import { createSupervisor } from '../../electron/supervisor/supervisor';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('ports', () => {
  it('substitutes ports, passes PORT and HEARTH_PORT_*, and lets other services discover them', async () => {
    stack = await runStack(`
port_range: [21000, 21999]
services:
  api:
    cmd: echo "api on {{thermos.ports[http]}} PORT=$PORT admin=$HEARTH_PORT_ADMIN"; sleep 30
    ports: { admin: ~ }
  web:
    cmd: echo "web sees $API_URL"; sleep 30
    env: { API_URL: "http://127.0.0.1:{{services.api.ports[http]}}" }
`);
    const api = await stack.waitState('api', (s) => s.state === 'RUNNING');
    const { http, admin } = api.ports;
    expect(http).toBeGreaterThanOrEqual(21000);
    expect(http).toBeLessThanOrEqual(21999);
    expect(admin).not.toBe(http);
    await stack.waitState('web', 'RUNNING');
    await import('../helpers/wait-for').then(({ waitFor }) =>
      waitFor(() => stack!.lines.some((l) => l.text === `web sees http://127.0.0.1:${http}`), { what: 'web line' }),
    );
    expect(stack.lines.some((l) => l.text === `api on ${http} PORT=${http} admin=${admin}`)).toBe(true);
    expect(api.cmd).toContain(String(http));
  });

  it('keeps a port across restarts and across runs of the stack', async () => {
    stack = await runStack(`
services:
  api:
    cmd: node health-server.mjs
    ports: { http: ~ }
`);
    const first = await stack.waitState('api', 'RUNNING');
    await stack.sup.invoke('restart', { services: ['api'] });
    const second = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.run === first.run + 1);
    expect(second.ports.http).toBe(first.ports.http);
    await stack.sup.close();
    const remembered = JSON.parse(readFileSync(join(stack.dir, '.hearth', 'ports.json'), 'utf8'));
    expect(JSON.stringify(remembered)).toContain(String(first.ports.http));
    const loaded = await loadStackFile(stack.file);
    if (!loaded.ok) throw new Error('reload failed');
    const again = await createSupervisor({ stack: loaded.stack });
    try {
      expect(again.snapshot().services[0]!.ports.http).toBe(first.ports.http);
    } finally {
      await again.close();
    }
  });

  it('restarts a child that died with EADDRINUSE on a fresh port, and what was given the old one', async () => {
    stack = await runStack(
      `
services:
  api:
    cmd: ./first-time-busy.sh {{thermos.ports[http]}}
    min_duration: 0
  web:
    cmd: echo "api at $API_URL"; sleep 1000
    env: { API_URL: "http://127.0.0.1:{{services.api.ports[http]}}" }
  other:
    cmd: sleep 1000
`,
      { files: { 'first-time-busy.sh': '#!/bin/sh\nif [ ! -f tried ]; then touch tried; sleep 0.5; echo "Error: listen EADDRINUSE: address already in use 127.0.0.1:$1" >&2; exit 1; fi\nexec node health-server.mjs\n' } },
    );
    const before = stack.history.find((s) => s.name === 'api')!;
    const web = await stack.waitState('web', 'RUNNING');
    const other = await stack.waitState('other', 'RUNNING');
    const after = await stack.waitState('api', (s) => s.restarts === 1 && s.state === 'RUNNING');
    expect(after.last_restart_reason).toBe('port-in-use');
    expect(after.ports.http).not.toBe(before.ports.http);
    // web was started with the old number: it restarts and is given the new one; other is left alone.
    const web2 = await stack.waitState('web', (s) => s.state === 'RUNNING' && s.pid !== web.pid);
    expect(web2.last_restart_detail).toBe(`api.http moved to ${after.ports.http}`);
    const said = (port: number | undefined) => stack!.lines.some((l) => l.service === 'web' && l.text === `api at http://127.0.0.1:${port}`);
    expect(said(before.ports.http)).toBe(true);
    await waitFor(() => said(after.ports.http), { what: 'web given the new port' });
    expect(stack.status('other').pid).toBe(other.pid);
  });
});
