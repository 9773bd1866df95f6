// Input to a service's stdin (`hearth attach`): every process gets a pipe that stays open, so `cat`
// (which quits at the end of its input) keeps running and echoes what it is sent. Real processes.
import { afterEach, describe, expect, it } from 'vitest';
import type { PartialLine } from '../../shared/types';
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

  it('tells a prompt left without a newline, once, and then the finished line whole', async () => {
    // A debugger's loop: a prompt with no newline, an answer read from stdin, the next prompt.
    const script = 'echo ready; while true; do printf "(Pdb) "; read cmd || exit 0; echo "did $cmd"; done';
    stack = await runStack('services:\n  dbg: { cmd: sh ./dbg.sh }\n', { files: { 'dbg.sh': script } });
    const partials: PartialLine[] = [];
    stack.sup.subscribe((event, payload) => {
      if (event === 'partial_line') partials.push(payload as PartialLine);
    });
    const { run } = await stack.waitState('dbg', 'RUNNING');
    await waitFor(() => partials.length > 0, { what: 'the prompt told' });
    expect(partials).toEqual([{ service: 'dbg', stream: 'stdout', run, offset: 0, text: '(Pdb) ' }]);
    // Whoever attaches now reads it from the logs command, after the lines.
    const logs = await stack.sup.invoke('logs', { service: 'dbg', tail: 5 });
    expect(logs.lines.at(-1)!.text).toBe('ready');
    expect(logs.partial).toEqual([{ service: 'dbg', stream: 'stdout', run, offset: 0, text: '(Pdb) ' }]);

    await stack.sup.invoke('input', { service: 'dbg', data: 'next\n' });
    await waitFor(() => partials.length > 1, { what: 'the second prompt told' });
    const out = stack.lines.filter((l) => l.service === 'dbg' && l.stream === 'stdout').map((l) => l.text);
    // The prompt was quiet past the prompt time before the answer's line came: it ends as a line of its own.
    expect(out).toEqual(['ready', '(Pdb) ', 'did next']);
    expect(partials[1]).toEqual({ service: 'dbg', stream: 'stdout', run, offset: 0, text: '(Pdb) ' });
    expect((await stack.sup.invoke('logs', {})).partial).toHaveLength(1);
  });

  it('refuses input for a service with no process', async () => {
    stack = await runStack('services:\n  echo: { cmd: cat }\n', { start: false });
    await expect(stack.sup.invoke('input', { service: 'echo', data: 'x\n' })).rejects.toThrow('echo has no running process to send input to');
  });
});
