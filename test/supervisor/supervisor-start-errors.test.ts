// A command that cannot start (its program is found nowhere, the shell itself is missing) says so and
// backs off; it never logs "started pid 0" and loops on exit 127. Node reports a failed spawn a tick after
// spawn() returns, so this is also the test of reading that error only once it is known.
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const systemLines = (s: StackUnderTest, service: string) => s.lines.filter((l) => l.service === service && l.stream === 'system').map((l) => l.text);

describe('a service that cannot start', () => {
  it('shows why in status and the log, backs off 1 s, 2 s…, and never claims a pid', async () => {
    stack = await runStack('services:\n  api: { cmd: hearth-no-such-server-xyz --port 1 }\n');
    const first = await stack.waitState('api', (s) => s.state === 'RESTARTING');
    expect(first).toMatchObject({ error: 'cannot start "hearth-no-such-server-xyz": not found on PATH', pid: null, started_at: null, flaps: 1, backoff_ms: 1000 });
    expect(first.next_attempt_at).toBeGreaterThan(Date.now());
    const second = await stack.waitState('api', (s) => s.state === 'RESTARTING' && s.flaps === 2, 10_000);
    expect(second.backoff_ms).toBe(2000);
    const said = systemLines(stack, 'api');
    expect(said.filter((t) => t === 'cannot start "hearth-no-such-server-xyz": not found on PATH')).toHaveLength(2);
    expect(said.some((t) => t.startsWith('started pid'))).toBe(false);
    expect(said).toContain('exited with code 127; restarting in 1s (crash loop, backoff)');
    // Never RUNNING, not even for an instant.
    expect(stack.history.filter((s) => s.name === 'api').some((s) => s.state === 'RUNNING' || s.state === 'STARTING')).toBe(false);
  });

  it('a job that cannot start fails after max_failures attempts, the reason kept', async () => {
    stack = await runStack('services:\n  migrate: { cmd: ./no-such-migrate.sh, service: false, max_failures: 2, max_backoff_secs: 0.1 }\n');
    const failed = await stack.waitState('migrate', 'FAILED', 10_000);
    expect(failed.error).toBe('cannot start "./no-such-migrate.sh": no such file');
    expect(failed.failures).toBe(2);
  });

  it('a shell that does not exist (the stack\'s shell:) is reported the same way', async () => {
    stack = await runStack('shell: { shell_command: /nonexistent/hearth-sh }\nservices:\n  web: { cmd: "echo hi; sleep 100" }\n');
    const s = await stack.waitState('web', (x) => x.state === 'RESTARTING');
    expect(s.error).toBe(`cannot start "echo hi; sleep 100" in ${stack.dir}: /nonexistent/hearth-sh not found`);
    expect(systemLines(stack, 'web').some((t) => t.startsWith('started pid'))).toBe(false);
  });
});
