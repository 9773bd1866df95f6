// autostart: false — left stopped by "start all" (what `hearth up` sends) until started by name or as a
// dependency of a service that starts; real processes throughout.
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const STACK = `services:
  app: { cmd: sleep 1000 }
  storybook: { cmd: sleep 1000, autostart: false }
  cache: { cmd: sleep 1000, autostart: false }
  worker: { cmd: sleep 1000, depends_on: { cache: { condition: started } } }
`;

describe('autostart: false', () => {
  it('is left stopped by start-all; a service that needs it pulls it in; naming it starts it', async () => {
    stack = await runStack(STACK);
    await stack.waitState('app', 'RUNNING');
    await stack.waitState('worker', 'RUNNING');
    expect(stack.status('cache').state).toBe('RUNNING'); // worker depends on it
    expect(stack.status('storybook')).toMatchObject({ state: 'STOPPED', pid: null, autostart: false });
    expect(stack.status('app').autostart).toBe(true);

    expect(await stack.sup.invoke('start', {})).toEqual({ services: [] }); // "Start all" again: nothing new
    expect(stack.status('storybook').state).toBe('STOPPED');

    expect(await stack.sup.invoke('start', { services: ['storybook'] })).toEqual({ services: ['storybook'] });
    await stack.waitState('storybook', 'RUNNING');
  });

  it('restart-all restarts it while it was started, and leaves it stopped once stopped again', async () => {
    stack = await runStack(STACK);
    await stack.sup.invoke('start', { services: ['storybook'] });
    const first = await stack.waitState('storybook', 'RUNNING');
    expect((await stack.sup.invoke('restart', {})).services).toContain('storybook');
    await stack.waitState('storybook', (s) => s.state === 'RUNNING' && s.pid !== first.pid);

    await stack.sup.invoke('stop', { services: ['storybook'] });
    expect((await stack.sup.invoke('restart', {})).services).not.toContain('storybook');
    await stack.waitState('app', (s) => s.state === 'RUNNING' && s.restarts >= 2);
    expect(stack.status('storybook').state).toBe('STOPPED');
  });

  it('reload: an added service with autostart: false stays stopped; flipping autostart restarts nothing', async () => {
    stack = await runStack(STACK);
    const app = await stack.waitState('app', 'RUNNING');
    writeFileSync(stack.file, STACK.replace('app: { cmd: sleep 1000 }', 'app: { cmd: sleep 1000, autostart: false }') + '  docs: { cmd: sleep 1000, autostart: false }\n  extra: { cmd: sleep 1000 }\n');
    const res = await stack.sup.invoke('reload', {});
    expect(res).toMatchObject({ ok: true, added: ['docs', 'extra'], changed: [] });
    await stack.waitState('extra', 'RUNNING');
    expect(stack.status('docs').state).toBe('STOPPED');
    expect(stack.status('app')).toMatchObject({ state: 'RUNNING', pid: app.pid, autostart: false });
  });
});
