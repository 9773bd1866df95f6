// Stopping leaves nothing behind: a child that ignores SIGTERM, its grandchild, and a grandchild that
// left the process group with setsid are all gone afterwards (checked in /proc).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidsWithEnv } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';
import { TABLE_BACKENDS } from '../helpers/backends';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe.each(TABLE_BACKENDS)('%s backend', (_backend, platform) => {
describe('stop', () => {
  it('stops the whole tree of a child that ignores SIGTERM', async () => {
    const marker = `HEARTH_TEST_MARK=${process.pid}-${Date.now()}`;
    stack = await runStack(`
services:
  stubborn:
    cmd: trap '' TERM; sleep 1000 & setsid sh -c 'trap "" TERM; sleep 1000' & echo spawned; wait
    env: { HEARTH_TEST_MARK: "${marker.split('=')[1]}" }
    lifecycle: { shutdown_wait_secs: 0.5 }
`, { supervisor: { platform } });
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
`, { supervisor: { platform } });
    await waitFor(() => pidsWithEnv(marker).length >= 2, { what: 'both running' });
    await stack.sup.close();
    expect(pidsWithEnv(marker)).toEqual([]);
  });

  it('ends each stopped run\'s log with how the process ended, in the file too', async () => {
    stack = await runStack(`
services:
  sleeper: { cmd: sleep 1000 }
  polite: { cmd: "trap 'exit 0' TERM; sleep 1000 & wait" }
`, { supervisor: { platform } });
    await stack.waitState('sleeper', 'RUNNING');
    await waitFor(() => stack!.status('polite').pid !== null, { what: 'polite started' });
    await stack.sup.invoke('stop', {});
    const last = (name: string) => stack!.lines.filter((l) => l.service === name).at(-1);
    expect(last('sleeper')).toMatchObject({ stream: 'system', text: 'killed by SIGTERM (stopped)' });
    expect(last('polite')).toMatchObject({ stream: 'system', text: 'exited with code 0 (stopped)' });
    expect(stack.status('sleeper').last_exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(stack.status('polite').last_exit).toMatchObject({ code: 0, signal: null });
    await stack.sup.close(); // flushes the log files
    const file = readFileSync(join(stack.dir, '.hearth', 'sandbox', 'sleeper', '.logs', 'sleeper.log'), 'utf8');
    expect(file.trimEnd().split('\n').at(-1)).toMatch(/Z system\| killed by SIGTERM \(stopped\)$/);
  });

  it('begins the stop with lifecycle.stop_signal: a program that quits only on Ctrl-C stops cleanly', async () => {
    // Ignores SIGTERM (it would need SIGKILL after the 10 s grace) and exits 0 on SIGINT.
    const program = "process.on('SIGTERM', () => {}); process.on('SIGINT', () => process.exit(0)); setInterval(() => {}, 1e6); console.log('up')";
    stack = await runStack(`
services:
  repl:
    cmd: exec "${process.execPath}" -e "${program}"
    lifecycle: { stop_signal: SIGINT, shutdown_wait_secs: 10 }
`, { supervisor: { platform } });
    await waitFor(() => stack!.lines.some((l) => l.service === 'repl' && l.text === 'up'), { what: 'repl up' });
    await stack.sup.invoke('stop', { services: ['repl'] });
    const system = stack.lines.filter((l) => l.service === 'repl' && l.stream === 'system').map((l) => l.text);
    expect(system.at(-2)).toMatch(/^SIGINT to process \d+, waiting up to 10s$/);
    expect(system.at(-1)).toBe('exited with code 0 (stopped)');
    expect(stack.status('repl').last_exit).toMatchObject({ code: 0, signal: null });
  });
});
});
