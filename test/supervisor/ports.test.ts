import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortAllocator, isPortFree } from '../../electron/supervisor/ports';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

const children: ChildProcess[] = [];
const servers: Server[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const c of cleanups.splice(0)) c();
});

/** Another process listening on `host` (port chosen by the OS); resolves once it reports listening. */
async function listenInChild(host: string, port = 0): Promise<{ port: number; child: ChildProcess }> {
  const script = `const s = require('node:net').createServer(); s.listen(${port}, ${JSON.stringify(host)}, () => console.log('listening ' + s.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const match = await waitFor(() => /listening (\d+)/.exec(out), { what: `child listening on ${host}` });
  return { port: Number(match[1]), child };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

function listenHere(port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      servers.push(server);
      resolve(server);
    });
  });
}

let ipv6 = true;
beforeAll(async () => {
  try {
    const s = await listenHere(0, '::1');
    await new Promise((r) => s.close(r));
    servers.splice(servers.indexOf(s), 1);
  } catch {
    ipv6 = false;
  }
});

describe('isPortFree', () => {
  it('is false while another process listens on 127.0.0.1 only, and true after it is gone', async () => {
    const { port, child } = await listenInChild('127.0.0.1');
    expect(await isPortFree(port)).toBe(false);
    child.kill('SIGKILL');
    await exited(child);
    expect(await isPortFree(port)).toBe(true);
  });

  it('is false while another process listens on ::1 only', async (ctx) => {
    if (!ipv6) ctx.skip(true, '::1 cannot be bound on this machine (IPv6 loopback disabled)');
    const { port } = await listenInChild('::1');
    // The IPv4 side of the port is free: only the ::1 check can refuse it.
    const v4 = await listenHere(port, '127.0.0.1');
    await new Promise((r) => v4.close(r));
    expect(await isPortFree(port)).toBe(false);
  });

  it('rejects nonsense port numbers', async () => {
    expect(await isPortFree(0)).toBe(false);
    expect(await isPortFree(70000)).toBe(false);
    expect(await isPortFree(1.5)).toBe(false);
  });
});

describe('PortAllocator', () => {
  it('never hands out a port another process holds on 127.0.0.1', async () => {
    const { port } = await listenInChild('127.0.0.1');
    const alloc = new PortAllocator({ range: [port, port] });
    await expect(alloc.allocate('api.http', null)).rejects.toThrow(`no free port left for api.http in range ${port}-${port}`);
    await expect(alloc.allocate('api.http', port)).rejects.toThrow(`port ${port} for api.http is in use`);
    expect(alloc.assigned()).toEqual({});
  });

  it('never hands out a port another process holds on ::1', async (ctx) => {
    if (!ipv6) ctx.skip(true, '::1 cannot be bound on this machine (IPv6 loopback disabled)');
    const { port } = await listenInChild('::1');
    const alloc = new PortAllocator({ range: [port, port] });
    await expect(alloc.allocate('web.http', null)).rejects.toThrow(/no free port left/);
  });

  it('skips a held port even when it is the key\'s first choice', async () => {
    const firstChoice = await new PortAllocator({ range: [37000, 37999] }).allocate('api.http', null);
    await listenInChild('127.0.0.1', firstChoice);
    const got = await new PortAllocator({ range: [37000, 37999] }).allocate('api.http', null);
    expect(got).not.toBe(firstChoice);
    expect(got >= 37000 && got <= 37999).toBe(true);
  });

  it('hands out 200 distinct ports to concurrent callers', async () => {
    const alloc = new PortAllocator({ range: [31000, 31999] });
    const ports = await Promise.all(Array.from({ length: 200 }, (_, i) => alloc.allocate(`svc${i}.http`, null)));
    expect(new Set(ports).size).toBe(200);
    for (const p of ports) expect(p >= 31000 && p <= 31999).toBe(true);
    expect(Object.keys(alloc.assigned())).toHaveLength(200);
    // Spread out, not a scan from the bottom of the range.
    expect(ports.filter((p) => p < 31200).length).toBeLessThan(150);
  });

  it('is deterministic: the same key gets the same first choice in a fresh allocator', async () => {
    const a = await new PortAllocator({ range: [32000, 32999] }).allocate('api.http', null);
    const b = await new PortAllocator({ range: [32000, 32999] }).allocate('api.http', null);
    expect(a).toBe(b);
    const other = await new PortAllocator({ range: [32000, 32999] }).allocate('worker.admin', null);
    expect(other).not.toBe(a);
  });

  it('starts the same key of two stacks (seeds) at different ports, each the same every time', async () => {
    const first = (seed: string): Promise<number> => new PortAllocator({ range: [32000, 32999], seed }).allocate('api.http', null);
    const shop = await first('/home/dev/shop');
    expect(await first('/home/dev/shop')).toBe(shop);
    // Several stacks, all with an api.http: without the seed every one began its search at one port.
    const others = await Promise.all(['/home/dev/blog', '/home/dev/crm', '/srv/x'].map(first));
    expect(new Set([shop, ...others]).size).toBe(4);
  });

  it('is sticky across release and across allocator instances via the state file', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const stateFile = join(dir, '.hearth', 'ports.json');
    const first = new PortAllocator({ range: [33000, 33999], stateFile });
    const api = await first.allocate('api.http', null);
    const web = await first.allocate('web.http', null);
    first.release('api.http');
    expect(first.assigned()).toEqual({ 'web.http': web });
    expect(await first.allocate('api.http', null)).toBe(api); // restart: same port
    await first.save();
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ version: 1, ports: { 'api.http': api, 'web.http': web } });

    // Next run: remembered ports come back, in the reverse order of asking even.
    const second = new PortAllocator({ range: [33000, 33999], stateFile });
    expect(await second.allocate('web.http', null)).toBe(web);
    expect(await second.allocate('api.http', null)).toBe(api);

    // Unless the port was taken meanwhile: then a fresh one.
    await listenHere(api, '127.0.0.1');
    const third = new PortAllocator({ range: [33000, 33999], stateFile });
    const moved = await third.allocate('api.http', null);
    expect(moved).not.toBe(api);
    expect(moved).not.toBe(web); // never a port another key remembers while others are free
  });

  it('keeps a key on the port it holds while that port is bound (by the service itself, being reloaded)', async () => {
    const alloc = new PortAllocator({ range: [33000, 33999] });
    const api = await alloc.allocate('api.http', null);
    const { child } = await listenInChild('127.0.0.1', api); // the service's running process
    expect(await alloc.allocate('api.http', null)).toBe(api);
    expect(alloc.assigned()).toEqual({ 'api.http': api });
    // Released (the service was removed) and asked again while still bound: then it must move.
    alloc.release('api.http');
    expect(await alloc.allocate('api.http', null)).not.toBe(api);
    child.kill('SIGKILL');
  });

  it('writes the state file in key order, whatever the order of asking', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const stateFile = join(dir, 'ports.json');
    const alloc = new PortAllocator({ range: [33000, 33999], stateFile });
    for (const key of ['web.http', 'db.pg', 'api.http', 'Worker.metrics']) await alloc.allocate(key, null);
    await alloc.save();
    const { ports } = JSON.parse(readFileSync(stateFile, 'utf8')) as { ports: Record<string, number> };
    // By code unit, so the same in every locale: upper case first.
    expect(Object.keys(ports)).toEqual(['Worker.metrics', 'api.http', 'db.pg', 'web.http']);
  });

  it('tolerates a corrupt state file', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const stateFile = join(dir, 'ports.json');
    writeFileSync(stateFile, '{not json');
    const alloc = new PortAllocator({ range: [34000, 34999], stateFile });
    expect(await alloc.allocate('api.http', null)).toBeGreaterThanOrEqual(34000);
  });

  it('reallocate yields a different port and frees the old one for others', async () => {
    const alloc = new PortAllocator({ range: [35000, 35009] });
    const before = await alloc.allocate('api.http', null);
    const after = await alloc.reallocate('api.http');
    expect(after).not.toBe(before);
    expect(alloc.assigned()).toEqual({ 'api.http': after });
  });

  it('pinned ports: used when free, a clear error when taken or assigned to another key', async () => {
    const alloc = new PortAllocator({ range: [36000, 36999] });
    const probe = await listenHere(0, '127.0.0.1');
    const free = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    servers.splice(servers.indexOf(probe), 1);
    expect(await alloc.allocate('api.http', free)).toBe(free);
    await expect(alloc.allocate('web.http', free)).rejects.toThrow(`port ${free} for web.http is already assigned to api.http`);
    const { port: held } = await listenInChild('127.0.0.1');
    await expect(alloc.allocate('db.pg', held)).rejects.toThrow(`port ${held} for db.pg is in use`);
    // A failed call does not jam the queue.
    expect(await alloc.allocate('db.pg', null)).toBeGreaterThanOrEqual(36000);
  });

  it('rejects an invalid range', () => {
    expect(() => new PortAllocator({ range: [5000, 4000] })).toThrow(/invalid port range/);
  });
});
