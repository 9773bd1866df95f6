// A process that exits on its own while something it started runs on in its process group (`server &`
// in a script, a shell that backgrounds a helper): the leftovers are stopped before the next run starts, and
// a job that finished leaves nothing behind. Without this each restart added one unsupervised process,
// which kept holding the service's port and outlived `hearth down`. Real processes, checked in /proc.
// A service that exits 0 at once (a server that daemonized itself) gets a hint, once.
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';
import { TABLE_BACKENDS } from '../helpers/backends';

let stack: StackUnderTest | null = null;
const MARK = `leftovers-${process.pid}-${Date.now()}`;
afterEach(async () => {
  await stack?.close();
  stack = null;
  // Should a test fail, what it leaked must not outlive it (nothing else finds a process init adopted).
  for (const pid of pidsWithEnv(`HEARTH_TEST_MARK=${MARK}`)) process.kill(pid, 'SIGKILL');
});

/** Pids the service printed as "left N", one per run, in order. */
function leftPids(s: StackUnderTest, service: string): number[] {
  return s.lines.filter((l) => l.service === service && l.text.startsWith('left ')).map((l) => Number(l.text.slice(5)));
}

describe.each(TABLE_BACKENDS)('%s backend', (_backend, platform) => {
describe('processes left in the group of a process that exited', () => {
  it('are stopped before a service restarts, and the log says so', async () => {
    stack = await runStack(`
services:
  forks:
    cmd: sleep 1000 & echo "left $!"; sleep 0.2
    min_duration: 0
    env: { HEARTH_TEST_MARK: "${MARK}" }
`, { supervisor: { platform } });
    await waitFor(() => leftPids(stack!, 'forks').length >= 2, { what: 'a second run', timeoutMs: 15_000 });
    const [first] = leftPids(stack, 'forks');
    expect(isAlive(first!)).toBe(false);
    const said = stack.lines.filter((l) => l.service === 'forks' && l.stream === 'system').map((l) => l.text);
    expect(said).toContainEqual(expect.stringMatching(new RegExp(`^exited with code 0 and left 1 process running in its group \\(${first}\\): stopping it$`)));
    // Stopped before the next run started: the notice comes before the second "started".
    const started = said.map((t, i) => (t.startsWith('started pid') ? i : -1)).filter((i) => i >= 0);
    expect(said.findIndex((t) => t.includes(`(${first}): stopping it`))).toBeLessThan(started[1]!);
  });

  it('are stopped when a job finishes, SIGKILLed after shutdown_wait_secs if they ignore SIGTERM', async () => {
    stack = await runStack(`
services:
  job:
    cmd: sh -c 'trap "" TERM; exec sleep 1000' & echo "left $!"
    service: false
    lifecycle: { shutdown_wait_secs: 0.3 }
    env: { HEARTH_TEST_MARK: "${MARK}" }
`, { supervisor: { platform } });
    await stack.waitState('job', 'FINISHED');
    const [left] = leftPids(stack, 'job');
    expect(left).toBeGreaterThan(0);
    expect(isAlive(left!)).toBe(false);
    const said = stack.lines.filter((l) => l.service === 'job' && l.stream === 'system').map((l) => l.text);
    expect(said).toContainEqual(expect.stringMatching(/^still running after 0\.3s: SIGKILL to process \d+$/));
  });
});

/** Waits until `service` was started three times. */
async function threeRuns(s: StackUnderTest, service: string): Promise<void> {
  await waitFor(() => s.lines.filter((l) => l.service === service && l.text.startsWith('started pid')).length >= 3, { what: `three runs of ${service}`, timeoutMs: 15_000 });
}

describe('a service that exits with code 0 at once', () => {
  it('gets one hint that it may be daemonizing itself, not one per restart', async () => {
    stack = await runStack(`
services:
  quick:
    cmd: echo "run $HEARTH_SERVICE"
    max_backoff_secs: 0.2
`, { supervisor: { platform } });
    await threeRuns(stack, 'quick');
    const hints = stack.lines.filter((l) => l.service === 'quick' && l.text.includes('may be daemonizing itself'));
    expect(hints).toHaveLength(1);
    expect(hints[0]!.stream).toBe('system');
  });

  it('gets no such hint when it failed', async () => {
    stack = await runStack(`
services:
  crash:
    cmd: exit 1
    max_backoff_secs: 0.2
`, { supervisor: { platform } });
    await threeRuns(stack, 'crash');
    expect(stack.lines.some((l) => l.text.includes('daemonizing'))).toBe(false);
  });
});
});
