// Output of a fast writer reaches the log file whole: when the disk falls behind, Hearth stops reading
// the pipe for a moment (the child waits on it) instead of dropping lines.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('log ingestion', () => {
  it('writes every line of a fast writer to the log files, none dropped', async () => {
    const total = 200_000;
    stack = await runStack(`
services:
  flood:
    cmd: node -e "const b=[];for(let i=0;i<${total};i++){b.push('line '+i+' '+'x'.repeat(80));if(b.length===1000){process.stdout.write(b.join('\\\\n')+'\\\\n');b.length=0}}"
    service: false
    logs: { max_bytes: 8000000, keep: 5 }
`);
    await stack.waitState('flood', 'FINISHED', 30_000);
    const dir = join(stack.status('flood').sandbox, '.logs');
    const count = (): number =>
      readdirSync(dir)
        .filter((f) => f.startsWith('flood.log'))
        .reduce((n, f) => n + (readFileSync(join(dir, f), 'utf8').match(/ stdout\| line \d+ /g)?.length ?? 0), 0);
    await waitFor(() => count() === total, { timeoutMs: 20_000, what: `${total} lines on disk` });
    const all = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(all).not.toMatch(/log lines were not written/);
    expect(all).toContain(`line ${total - 1} `);
  });
});
