// Stopping leaves nothing behind: a child that ignores SIGTERM, its grandchild, and a grandchild that
// left the process group with setsid are all gone afterwards (checked in /proc).
import { afterEach, describe, expect, it } from 'vitest';
import { pidsWithEnv } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('stop', () => {
  it('stops the whole tree of a child that ignores SIGTERM', async () => {
    const marker = `HEARTH_TEST_MARK=${process.pid}-${Date.now()}`;
    stack = await runStack(`
services:
  stubborn:
    cmd: trap '' TERM; sleep 1000 & setsid sh -c 'trap "" TERM; sleep 1000' & echo spawned; wait
    env: { HEARTH_TEST_MARK: "${marker.split('=')[1]}" }
    lifecycle: { shutdown_wait_secs: 0.5 }
`);
    await stack.waitState('stubborn', 'RUNNING');
    await waitFor(() => pidsWithEnv(marker).length >= 3, { what: 'child, grandchild and setsid grandchild' });
    const t0 = Date.now();
    await stack.sup.invoke('stop', { services: ['stubborn'] });
    expect(stack.status('stubborn').state).toBe('STOPPED');
    expect(pidsWithEnv(marker)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // it did wait the grace before SIGKILL
  });

  it('close() stops every service and leaves no process', async () => {
    const marker = `HEARTH_TEST_MARK=close-${process.pid}-${Date.now()}`;
    const value = marker.split('=')[1];
    stack = await runStack(`
services:
  a: { cmd: sleep 1000, env: { HEARTH_TEST_MARK: "${value}" } }
  b: { cmd: sleep 1000, env: { HEARTH_TEST_MARK: "${value}" }, depends_on: { a: { condition: started } } }
`);
    await waitFor(() => pidsWithEnv(marker).length >= 2, { what: 'both running' });
    await stack.sup.close();
    expect(pidsWithEnv(marker)).toEqual([]);
  });
});
