// Input to a service's stdin (`hearth attach`): every process gets a pipe that stays open, so `cat`
// (which quits at the end of its input) keeps running and echoes what it is sent. Real processes.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('input', () => {
  it("writes to the process's stdin, which stays open while nobody types", async () => {
    stack = await runStack('services:\n  echo: { cmd: cat }\n  pool: { cmd: cat, replicas: 2 }\n');
    const first = await stack.waitState('echo', 'RUNNING');
    expect(await stack.sup.invoke('input', { service: 'echo', data: 'hello\nwörld\n' })).toEqual({ service: 'echo', bytes: 13 });
    await waitFor(() => stack!.lines.some((l) => l.service === 'echo' && l.stream === 'stdout' && l.text === 'wörld'), { what: 'the echo' });
    expect(stack.lines.filter((l) => l.service === 'echo' && l.stream === 'stdout').map((l) => l.text)).toEqual(['hello', 'wörld']);
    expect(stack.status('echo')).toMatchObject({ state: 'RUNNING', pid: first.pid, restarts: 0 }); // never saw an end of input

    await stack.sup.invoke('input', { service: 'pool.1', data: 'one\n' });
    await waitFor(() => stack!.lines.some((l) => l.service === 'pool.1' && l.text === 'one'), { what: 'pool.1 echo' });
    await expect(stack.sup.invoke('input', { service: 'pool', data: 'x\n' })).rejects.toThrow('"pool" has 2 instances; name one of them: pool.0, pool.1');
  });

  it('refuses input for a service with no process', async () => {
    stack = await runStack('services:\n  echo: { cmd: cat }\n', { start: false });
    await expect(stack.sup.invoke('input', { service: 'echo', data: 'x\n' })).rejects.toThrow('echo has no running process to send input to');
  });
});
