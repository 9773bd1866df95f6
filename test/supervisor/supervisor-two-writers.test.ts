// Two writers on one pipe: a line one process leaves without a newline is not glued to the next line
// another one writes. Real processes sharing the service's stdout, through the supervisor.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const out = (s: StackUnderTest, service: string) => s.lines.filter((l) => l.service === service && l.stream === 'stdout').map((l) => l.text);

describe('two writers on one line', () => {
  it('a partial line quiet for the prompt time ends when another process writes a line', async () => {
    stack = await runStack(`services:
  pair:
    cmd: (printf 'partial from A'; exec sleep 1000) & sleep 0.3; echo 'line from B'; wait
`);
    await waitFor(() => out(stack!, 'pair').includes('line from B'), { what: "B's line" });
    expect(out(stack, 'pair')).toEqual(['partial from A', 'line from B']);
  });

  it('the main process exiting ends its unfinished line, so what it started writes lines of its own', async () => {
    // The grandchild writes only once the shell has exited (and been reaped): no quiet time involved.
    stack = await runStack(`services:
  bye:
    cmd: "(while kill -0 $$ 2>/dev/null; do sleep 0.01; done; echo 'from the grandchild') & printf 'main says bye'"
    service: false
`);
    await waitFor(() => out(stack!, 'bye').includes('from the grandchild'), { what: "the grandchild's line" });
    expect(out(stack, 'bye')).toEqual(['main says bye', 'from the grandchild']);
  });

  it("keeps one writer's line whole: chunks of a line, and a progress bar redrawn with \\r after a pause", async () => {
    stack = await runStack(`services:
  bar:
    cmd: "printf 'working'; sleep 0.05; printf ' still'; echo ' done'; printf '[==  ]'; sleep 0.3; printf '\\\\r[====]\\\\n'; sleep 1000"
`);
    await waitFor(() => out(stack!, 'bar').length >= 2, { what: 'two lines' });
    expect(out(stack, 'bar')).toEqual(['working still done', '[==  ]\r[====]']);
  });
});
