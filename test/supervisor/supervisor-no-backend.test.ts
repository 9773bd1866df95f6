// No process backend at all (no /proc, no ps): the supervisor still stops what it started. The process
// group is signalled blind, SIGKILL follows the grace, and /proc (read by the test, not by the code)
// shows nothing left. What it cannot do here: find processes that left the group (setsid), which the
// other backends' suites cover.
import { afterEach, describe, expect, it } from 'vitest';
import { nonePlatform } from '../../electron/supervisor/process/platform/none';
import { pidsWithEnv } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

const platform = nonePlatform();
const MARK = `nobackend-${process.pid}-${Date.now()}`;
let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  for (const pid of pidsWithEnv(`HEARTH_TEST_MARK=${MARK}`)) process.kill(pid, 'SIGKILL');
});

describe('no process backend', () => {
  it('stop ends a tree that ignores SIGTERM (SIGKILL after the grace) and leaves nothing', async () => {
    stack = await runStack(
      `services:
  stubborn:
    cmd: trap '' TERM; sleep 1000 & sleep 1000 & echo spawned; wait
    env: { HEARTH_TEST_MARK: "${MARK}" }
    lifecycle: { shutdown_wait_secs: 0.3 }
  plain:
    cmd: sleep 1000
    env: { HEARTH_TEST_MARK: "${MARK}" }
`,
      { supervisor: { platform } },
    );
    await waitFor(() => pidsWithEnv(`HEARTH_TEST_MARK=${MARK}`).length === 4, { what: 'sh, two sleeps, and plain' });
    await stack.sup.invoke('stop', {});
    expect(stack.status('stubborn').state).toBe('STOPPED');
    expect(pidsWithEnv(`HEARTH_TEST_MARK=${MARK}`)).toEqual([]);
    const said = stack.lines.filter((l) => l.service === 'stubborn' && l.stream === 'system').map((l) => l.text);
    expect(said).toContainEqual(expect.stringMatching(/^still running after 0\.3s: SIGKILL to process group \d+ \(no process table here/));
  });

  it('close() leaves nothing, and what a run left in its group is stopped before the next run', async () => {
    stack = await runStack(
      `services:
  forks:
    cmd: sleep 1000 & echo "left $!"; sleep 0.2
    min_duration: 0
    env: { HEARTH_TEST_MARK: "${MARK}" }
`,
      { supervisor: { platform } },
    );
    await waitFor(() => stack!.lines.filter((l) => l.text.startsWith('started pid')).length >= 2, { what: 'a second run' });
    const said = stack.lines.filter((l) => l.service === 'forks' && l.stream === 'system').map((l) => l.text);
    // Without a table the members are unknown: the group stands for them.
    expect(said).toContainEqual(expect.stringMatching(/^exited with code 0 and left 1 process running in its group \(\d+\): stopping it$/));
    await stack.sup.close();
    expect(pidsWithEnv(`HEARTH_TEST_MARK=${MARK}`)).toEqual([]);
  });

  it('hearth signal reaches the command (plain words run without a shell)', async () => {
    stack = await runStack(`services:\n  app: { cmd: sleep 1000, min_duration: 0, env: { HEARTH_TEST_MARK: "${MARK}" } }\n`, { supervisor: { platform } });
    const first = await stack.waitState('app', 'RUNNING');
    expect(await stack.sup.invoke('signal', { services: ['app'], signal: 'SIGKILL' })).toEqual({ sent: [{ service: 'app', pid: first.pid }] });
    await stack.waitState('app', (s) => s.state === 'RUNNING' && s.pid !== first.pid);
  });
});
