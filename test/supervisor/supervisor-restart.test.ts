// Restart policy with real processes: services always restart, jobs only after failure, loops back off.
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const started = (s: StackUnderTest, name: string) => s.lines.filter((l) => l.service === name && l.stream === 'system' && l.text.startsWith('started pid'));

describe('services and jobs', () => {
  it('restarts a service after it exits with code 0', async () => {
    stack = await runStack(`
services:
  ticker:
    cmd: echo tick; sleep 0.2; exit 0
    min_duration: 0.05
`);
    const first = await stack.waitState('ticker', (s) => s.state === 'RUNNING' && s.pid !== null);
    const later = await stack.waitState('ticker', (s) => s.restarts >= 2 && s.pid !== null);
    expect(later.pid).not.toBe(first.pid);
    expect(later.last_exit?.code).toBe(0);
    expect(later.last_restart_reason).toBe('exited');
  });

  it('restarts a service after a crash', async () => {
    stack = await runStack(`
services:
  crashy:
    cmd: sleep 0.2; exit 3
    min_duration: 0.05
`);
    const s = await stack.waitState('crashy', (x) => x.restarts >= 1);
    expect(s.last_exit?.code).toBe(3);
    expect(['RUNNING', 'RESTARTING']).toContain(s.state);
  });

  it('ends a job FINISHED after exit 0, without restarting it', async () => {
    stack = await runStack(`
services:
  migrate:
    cmd: echo migrated
    service: false
`);
    const s = await stack.waitState('migrate', 'FINISHED');
    expect(s.restarts).toBe(0);
    expect(stack.lines.some((l) => l.service === 'migrate' && l.text === 'migrated' && l.stream === 'stdout')).toBe(true);
  });

  it('ends a job FAILED after max_failures attempts in all', async () => {
    stack = await runStack(`
services:
  flaky:
    cmd: echo attempt; exit 1
    service: false
    max_failures: 3
    min_duration: 0
`);
    const s = await stack.waitState('flaky', 'FAILED');
    expect(started(stack, 'flaky')).toHaveLength(3);
    expect(s.failures).toBe(3);
    expect(s.last_exit?.code).toBe(1);
  });
});

describe('crash-loop backoff', () => {
  it('waits longer after each short run and shows the next attempt time', async () => {
    stack = await runStack(`
services:
  looper:
    cmd: exit 1
    min_duration: 5
`);
    const first = await stack.waitState('looper', (s) => s.state === 'RESTARTING' && s.backoff_ms === 1000);
    expect(first.next_attempt_at).toBeGreaterThan(first.last_exit!.at);
    const second = await stack.waitState('looper', (s) => s.state === 'RESTARTING' && s.backoff_ms === 2000, 8000);
    expect(second.next_attempt_at! - second.last_exit!.at).toBeGreaterThanOrEqual(1900);
    expect(second.flaps).toBeGreaterThanOrEqual(2);
    expect(stack.lines.some((l) => l.service === 'looper' && /crash loop/.test(l.text))).toBe(true);
  });
});
