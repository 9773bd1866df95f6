// Dependency order with real processes: a dependent starts only once its dependency is healthy or completed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('depends_on', () => {
  it('starts dependencies first and waits for their condition', async () => {
    stack = await runStack(`
services:
  web:
    cmd: echo web up; sleep 30
    depends_on: [db]
  db:
    cmd: node health-server.mjs
    ports: { http: ~ }
    depends_on: { migrate: { condition: completed } }
    health_check:
      http: { port: http }
      initial_interval_secs: 0.2
      interval_secs: 0.1
  migrate:
    cmd: sleep 0.3; echo migrated
    service: false
`);
    const web = await stack.waitState('web', 'RUNNING');
    const seqOf = (service: string, pred: (t: string) => boolean) => stack!.lines.find((l) => l.service === service && pred(l.text))!.seq;
    const migrated = seqOf('migrate', (t) => t === 'migrated');
    const dbStarted = seqOf('db', (t) => t.startsWith('started pid'));
    const dbHealthy = seqOf('db', (t) => t === 'healthy');
    const webStarted = seqOf('web', (t) => t.startsWith('started pid'));
    expect(migrated).toBeLessThan(dbStarted);
    expect(dbHealthy).toBeLessThan(webStarted);
    expect(web.depends_on).toEqual(['db']);
    const waiting = stack.history.find((s) => s.name === 'web' && s.state === 'PENDING' && s.error);
    expect(waiting?.error).toMatch(/waiting for db/);
  });

  it('a dependent of a job out of retries says what gets it going, and starts once the job is retried and completes', async () => {
    // The job fails until ready.txt exists: "the database is not up yet".
    stack = await runStack(
      `
services:
  migrate:
    cmd: test -f ready.txt && echo migrated
    service: false
    max_failures: 1
  api:
    cmd: sleep 30
    depends_on: { migrate: { condition: completed } }
`,
    );
    await stack.waitState('migrate', 'FAILED');
    const blocked = await stack.waitState('api', (s) => s.state === 'PENDING' && (s.error ?? '').includes('FAILED'));
    expect(blocked.error).toBe('waiting for migrate to be completed, but migrate FAILED: fix it, then `hearth restart migrate`');

    writeFileSync(join(stack.dir, 'ready.txt'), '');
    await stack.sup.invoke('restart', { services: ['migrate'] });
    await stack.waitState('migrate', 'FINISHED');
    expect((await stack.waitState('api', 'RUNNING')).error).toBeNull();
  });

  it('a dependent of a stopped service says how to start it', async () => {
    stack = await runStack('services:\n  db: { cmd: sleep 30 }\n  api: { cmd: sleep 30, depends_on: [db] }\n', { start: false });
    await stack.sup.invoke('start', { services: ['api'] });
    await stack.waitState('api', 'RUNNING');
    await stack.sup.invoke('stop', { services: ['db'] }); // its dependents run on
    await stack.sup.invoke('restart', { services: ['api'] }); // restart starts nothing it needs: db stays stopped
    const waiting = await stack.waitState('api', (s) => s.state === 'PENDING' && s.error !== null);
    expect(waiting.error).toBe('waiting for db to be healthy, but db is STOPPED: `hearth start db`');
  });

  it('starting one service pulls in its dependencies only', async () => {
    stack = await runStack(
      `
services:
  a: { cmd: sleep 30 }
  b: { cmd: sleep 30, depends_on: { a: { condition: started } } }
  c: { cmd: sleep 30 }
`,
      { start: false },
    );
    const res = await stack.sup.invoke('start', { services: ['b'] });
    expect(res.services).toEqual(['a', 'b']);
    await stack.waitState('b', 'RUNNING');
    expect(stack.status('c').state).toBe('STOPPED');
  });

  it('reports only what it set going: a dependency already up, or the service itself, is left out', async () => {
    stack = await runStack(
      `
services:
  a: { cmd: sleep 30 }
  b: { cmd: sleep 30, depends_on: { a: { condition: started } } }
`,
      { start: false },
    );
    expect((await stack.sup.invoke('start', { services: ['a'] })).services).toEqual(['a']);
    await stack.waitState('a', 'RUNNING');
    expect((await stack.sup.invoke('start', { services: ['b'] })).services).toEqual(['b']);
    await stack.waitState('b', 'RUNNING');
    expect((await stack.sup.invoke('start', { services: ['b'] })).services).toEqual([]);
    expect((await stack.sup.invoke('start', {})).services).toEqual([]);
    expect(stack.status('a').run).toBe(1);
    expect(stack.status('b').run).toBe(1);
  });
});

describe('starting a service whose job dependency already finished', () => {
  it('leaves the finished job alone', async () => {
    stack = await runStack(`
services:
  migrate: { cmd: echo migrated, service: false }
  worker: { cmd: sleep 30, depends_on: { migrate: { condition: completed } } }
`);
    await stack.waitState('worker', 'RUNNING');
    await stack.sup.invoke('stop', { services: ['worker'] });
    expect((await stack.sup.invoke('start', { services: ['worker'] })).services).toEqual(['worker']);
    await stack.waitState('worker', (s) => s.state === 'RUNNING' && s.run === 2);
    const migrate = stack.status('migrate');
    expect(migrate.state).toBe('FINISHED');
    expect(migrate.run).toBe(1);
  });
});
