// `replicas: 3` run for real: three processes on three distinct ports, each answering as its own
// instance, each with its own sandbox and snooze file; a group name restarts/snoozes every instance;
// a dependent on the group waits for all of them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SNOOZE_FILE } from '../../electron/supervisor/snooze';
import { isAlive } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

// Answers "instance I" on every path; instance 2 listens only once a file `go` exists in its cwd, so
// a test can hold one instance back from becoming healthy.
const SERVER = `import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
const [instance, port] = process.argv.slice(2);
const server = createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'instance ' + instance));
const listen = () => server.listen(Number(port), '127.0.0.1');
if (instance === '2' && process.env.HOLD) {
  const t = setInterval(() => { if (existsSync('go')) { clearInterval(t); listen(); } }, 20);
} else listen();
process.on('SIGTERM', () => process.exit(0));
`;

const INSTANCES = ['api.0', 'api.1', 'api.2'];
const stackYaml = (hold: boolean) => `
port_range: [23000, 23999]
services:
  api:
    replicas: 3
    cmd: exec node server.mjs {{thermos.instance}} {{thermos.ports[http]}}
    env: { HOLD: "${hold ? '1' : ''}" }
    health_check: { http: { port: http }, initial_interval_secs: 10, interval_secs: 0.1 }
  web:
    cmd: echo "web sees $API"; exec sleep 30
    depends_on: [api]
    env: { API: "{{services.api.ports[http]}}" }
`;

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function get(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return res.text();
}

describe('replicas', () => {
  it('runs three instances on distinct ports, each answering as itself, with their own sandboxes; dependents see instance 0', async () => {
    stack = await runStack(stackYaml(false), { files: { 'server.mjs': SERVER } });
    const statuses = [];
    for (const name of INSTANCES) statuses.push(await stack.waitState(name, (s) => s.health.status === 'healthy'));
    const ports = statuses.map((s) => s.ports.http!);
    expect(new Set(ports).size).toBe(3);
    expect(new Set(statuses.map((s) => s.pid)).size).toBe(3);
    for (const [i, s] of statuses.entries()) {
      expect(s).toMatchObject({ name: `api.${i}`, group: 'api', instance: i, sandbox: join(stack.dir, '.hearth', 'sandbox', `api.${i}`) });
      expect(await get(ports[i]!)).toBe(`instance ${i}`);
    }
    expect(stack.status('web')).toMatchObject({ group: 'web', instance: 0 });
    await stack.waitState('web', 'RUNNING');
    await waitFor(() => stack!.lines.some((l) => l.service === 'web' && l.text === `web sees ${ports[0]}`), { what: 'web line' });
  });

  it('snoozes one instance by name (only its file), every instance by the group name; restart of the group restarts all', async () => {
    stack = await runStack(stackYaml(false), { files: { 'server.mjs': SERVER } });
    for (const name of INSTANCES) await stack.waitState(name, (s) => s.health.status === 'healthy');
    const snoozeFile = (name: string) => join(stack!.dir, '.hearth', 'sandbox', name, SNOOZE_FILE);

    await stack.sup.invoke('snooze', { service: 'api.1' });
    expect(INSTANCES.map((n) => existsSync(snoozeFile(n)))).toEqual([false, true, false]);
    await stack.waitState('api.1', (s) => s.snoozed);
    expect(stack.status('api.0').snoozed).toBe(false);

    await stack.sup.invoke('snooze', { service: 'api', for_secs: 60 });
    expect(INSTANCES.map((n) => existsSync(snoozeFile(n)))).toEqual([true, true, true]);
    await stack.sup.invoke('unsnooze', { service: 'api' });
    expect(INSTANCES.map((n) => existsSync(snoozeFile(n)))).toEqual([false, false, false]);

    const before = INSTANCES.map((n) => stack!.status(n).pid!);
    const result = await stack.sup.invoke('restart', { services: ['api'] });
    expect(result.services).toEqual(INSTANCES);
    const after = [];
    for (const [i, name] of INSTANCES.entries()) {
      after.push((await stack.waitState(name, (s) => s.state === 'RUNNING' && s.pid !== null && s.pid !== before[i])).pid!);
    }
    for (const pid of before) await waitFor(() => !isAlive(pid), { what: `old pid ${pid} gone` });
    expect(new Set(after).size).toBe(3);

    // Commands that take exactly one service say which instances a group name stands for.
    await expect(stack.sup.invoke('log_file', { service: 'api' })).rejects.toThrow('"api" has 3 instances; name one of them: api.0, api.1, api.2');
  });

  it('a dependent on the group waits until every instance is healthy', async () => {
    stack = await runStack(stackYaml(true), { files: { 'server.mjs': SERVER } });
    await stack.waitState('api.0', (s) => s.health.status === 'healthy');
    await stack.waitState('api.1', (s) => s.health.status === 'healthy');
    const waiting = await stack.waitState('web', (s) => s.state === 'PENDING' && (s.error ?? '').includes('api.2'));
    expect(waiting.error).toMatch(/^waiting for api\.2 to be healthy/);
    writeFileSync(join(stack.dir, 'go'), '');
    await stack.waitState('api.2', (s) => s.health.status === 'healthy');
    await stack.waitState('web', 'RUNNING');
  });

  it('reloading with fewer or more replicas stops or starts only those instances', async () => {
    stack = await runStack(stackYaml(false), { files: { 'server.mjs': SERVER } });
    for (const name of INSTANCES) await stack.waitState(name, (s) => s.health.status === 'healthy');
    const web = (await stack.waitState('web', 'RUNNING')).pid!;
    const [p0, p1, p2] = INSTANCES.map((n) => stack!.status(n).pid!);

    writeFileSync(stack.file, readFileSync(stack.file, 'utf8').replace('replicas: 3', 'replicas: 2'));
    expect(await stack.sup.invoke('reload', {})).toMatchObject({ ok: true, removed: ['api.2'], added: [], changed: [] });
    await waitFor(() => !isAlive(p2!), { what: 'api.2 stopped' });
    expect(stack.sup.snapshot().services.map((s) => s.name)).toEqual(['api.0', 'api.1', 'web']);
    expect([stack.status('api.0').pid, stack.status('api.1').pid, stack.status('web').pid]).toEqual([p0, p1, web]);

    writeFileSync(stack.file, readFileSync(stack.file, 'utf8').replace('replicas: 2', 'replicas: 4'));
    expect(await stack.sup.invoke('reload', {})).toMatchObject({ ok: true, added: ['api.2', 'api.3'], removed: [], changed: [] });
    const added = await stack.waitState('api.3', (s) => s.health.status === 'healthy');
    expect(await get(added.ports.http!)).toBe('instance 3');
    expect(new Set(['api.0', 'api.1', 'api.2', 'api.3'].map((n) => stack!.status(n).ports.http)).size).toBe(4);
    expect(stack.status('web').pid).toBe(web);
  });

  it('gives the lines of every instance, in the order they were logged, for the group name', async () => {
    stack = await runStack('services:\n  pool:\n    replicas: 2\n    cmd: echo "one from {{thermos.instance}}"; echo "two from {{thermos.instance}}"; exec sleep 30\n  other:\n    cmd: echo other; exec sleep 30\n');
    await waitFor(() => ['pool.0', 'pool.1'].every((n) => stack!.lines.some((l) => l.service === n && l.text.startsWith('two from'))), { what: 'both instances printed' });
    const { lines } = await stack.sup.invoke('logs', { service: 'pool', tail: 100 });
    const output = lines.filter((l) => l.stream === 'stdout');
    expect(output.map((l) => l.text).sort()).toEqual(['one from 0', 'one from 1', 'two from 0', 'two from 1']);
    expect(new Set(lines.map((l) => l.service))).toEqual(new Set(['pool.0', 'pool.1']));
    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
    expect((await stack.sup.invoke('logs', { service: 'pool', tail: 2 })).lines).toEqual(lines.slice(-2));
    expect((await stack.sup.invoke('logs', { service: 'pool.1', tail: 100 })).lines.every((l) => l.service === 'pool.1')).toBe(true);
  });
});
