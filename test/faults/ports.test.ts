// Fault 4: ports. A port that another process holds on only one loopback family (::1 but not
// 127.0.0.1, or the reverse) is never handed out to a service, not even as the port it had last time;
// a child that dies with a real EADDRINUSE (someone took its port between allocation and bind) is
// restarted on a fresh port. The allocator's own unit tests are in test/supervisor/ports.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Supervisor } from '../../electron/supervisor/api';
import { waitFor } from '../helpers/wait-for';
import { supervisorFor, writeStack, type StackDir } from './kit';

let stack: StackDir | null = null;
let sup: Supervisor | null = null;
const holders: ChildProcess[] = [];
let ipv6 = true;

beforeAll(async () => {
  ipv6 = await new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
});

afterEach(async () => {
  await sup?.close();
  sup = null;
  for (const h of holders.splice(0)) h.kill('SIGKILL');
  stack?.cleanup();
  stack = null;
});

/** Another process listening on host:port; resolves once it listens. */
async function holdPort(host: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '${host}', () => console.log('held'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`port holder exited with ${code}`)));
  });
  return child;
}

const STACK = `
port_range: [41000, 41999]
services:
  web:
    cmd: exec node health-server.mjs
    ports: { http: null }
    health_check: { http: { port: http }, initial_interval_secs: 5, interval_secs: 0.1 }
`;
// (A grace of 5 s, not 0.2: with n = 3 checks a node that takes 0.4 s to boot on a loaded machine failed its
// start and was restarted, which is the health deadline's doing, not the port allocator's.)

async function portOfFirstRun(): Promise<number> {
  sup = await supervisorFor(stack!.file);
  await sup.invoke('start', {});
  const port = sup.snapshot().services[0]!.ports.http!;
  await sup.close();
  sup = null;
  return port;
}

describe('a port taken on one loopback family only', () => {
  for (const family of ['::1', '127.0.0.1'] as const) {
    it(`is not handed out again when another process holds it on ${family}`, async (ctx) => {
      if (family === '::1' && !ipv6) ctx.skip(true, '::1 cannot be bound here (IPv6 loopback disabled)');
      stack = writeStack(STACK);
      // The port the service had last time is remembered (.hearth/ports.json) and is its first choice.
      const previous = await portOfFirstRun();
      await holdPort(family, previous);

      sup = await supervisorFor(stack.file);
      await sup.invoke('start', {});
      const s = await waitFor(() => {
        const x = sup!.snapshot().services[0]!;
        return x.state === 'RUNNING' ? x : undefined;
      }, { what: 'web healthy on its new port' });
      expect(s.ports.http).not.toBe(previous);
      expect(s.restarts).toBe(0);
    });
  }

  it('refuses to start when every port of the range is held on one family or the other', async (ctx) => {
    if (!ipv6) ctx.skip(true, '::1 cannot be bound here (IPv6 loopback disabled)');
    const port = await freePair();
    await holdPort('::1', port);
    await holdPort('127.0.0.1', port + 1);
    stack = writeStack(STACK.replace('[41000, 41999]', `[${port}, ${port + 1}]`));
    await expect(supervisorFor(stack.file)).rejects.toThrow(`no free port left for web.http in range ${port}-${port + 1}`);
    stack.cleanup();
    stack = writeStack(STACK.replace('{ http: null }', `{ http: ${port} }`));
    await expect(supervisorFor(stack.file)).rejects.toThrow(`port ${port} for web.http is in use`);
  });
});

describe('EADDRINUSE', () => {
  it('a child that loses its port to another process before binding is restarted on a fresh port', async () => {
    // The child waits before binding, so the test can take its port in between: a real race, a real
    // EADDRINUSE from Node's listen().
    stack = writeStack(`
port_range: [41000, 41999]
services:
  web:
    cmd: sleep 0.5; exec node health-server.mjs
    ports: { http: null }
    health_check: { http: { port: http }, initial_interval_secs: 5, interval_secs: 0.1 }
    min_duration: 0
`);
    sup = await supervisorFor(stack.file);
    await sup.invoke('start', {});
    const first = sup.snapshot().services[0]!;
    await holdPort('127.0.0.1', first.ports.http!);
    const s = await waitFor(() => {
      const x = sup!.snapshot().services[0]!;
      return x.state === 'RUNNING' && x.restarts >= 1 ? x : undefined;
    }, { what: 'web running again after EADDRINUSE' });
    expect(s.last_restart_reason).toBe('port-in-use');
    expect(s.ports.http).not.toBe(first.ports.http);
    const lines = (await sup.invoke('logs', { service: 'web', tail: 50 })).lines.map((l) => l.text);
    expect(lines.some((t) => /EADDRINUSE/.test(t))).toBe(true);
    expect(lines).toContain('port in use: restarting on a fresh port');
  });
});

/** P such that P and P + 1 are both free on 127.0.0.1 and ::1 right now. */
async function freePair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await canBind(port + 1, '127.0.0.1')) && (!ipv6 || (await canBind(port + 1, '::1')))) return port;
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
