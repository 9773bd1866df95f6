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

  it('hands a flood to subscribers whole, in order, with consecutive seqs, in bounded batches', async () => {
    const total = 100_000;
    const batches: number[] = [];
    stack = await runStack(
      `
services:
  flood:
    cmd: node -e "const b=[];for(let i=0;i<${total};i++){b.push('line '+i);if(b.length===1000){process.stdout.write(b.join('\\n')+'\\n');b.length=0}}"
    service: false
`,
      { start: false },
    );
    stack.sup.subscribe((event, payload) => {
      if (event === 'logs') batches.push((payload as { lines: unknown[] }).lines.length);
    });
    await stack.sup.invoke('start', {});
    await stack.waitState('flood', 'FINISHED', 30_000);
    const out = () => stack!.lines.filter((l) => l.service === 'flood' && l.stream === 'stdout');
    await waitFor(() => out().length === total, { timeoutMs: 20_000, what: `${total} lines to the subscriber` });
    const lines = out();
    expect(lines.map((l) => l.text)).toEqual(Array.from({ length: total }, (_, i) => `line ${i}`));
    for (let i = 1; i < lines.length; i++) if (lines[i]!.seq !== lines[i - 1]!.seq + 1) throw new Error(`seq gap at line ${i}`);
    // Lines are handed on once a few thousand wait, not only every 15 ms: a fast writer fills 15 ms
    // with far more, and holding them would make every young-generation GC copy them. One output
    // chunk (64 kB, here ~6,000 short lines) may come on top of the threshold.
    expect(Math.max(...batches)).toBeLessThan(4096 + 7000);
  });
});


describe('log memory is bounded by bytes', () => {
  const KB = 1024;
  /** A job printing `count` lines of `size` bytes, numbered, then exiting. */
  const printer = (count: number, size: number) =>
    `node -e "for(let i=0;i<${count};i++)process.stdout.write(String(i).padEnd(${size},'x')+'\\\\n')"`;

  it('a service with long lines keeps only ring_bytes of them in memory (the file keeps all)', async () => {
    stack = await runStack(`
services:
  long:
    cmd: ${printer(500, 16 * KB)}
    service: false
    logs: { ring_bytes: 256KiB }
`);
    await stack.waitState('long', 'FINISHED', 30_000);
    const kept = async () => (await stack!.sup.invoke('logs', { service: 'long', tail: 5000 })).lines.filter((l) => l.stream === 'stdout');
    // 16 kB + 120 B a line: 15 fit in 256 KiB, the newest ones (the default 4 MiB would hold 250 of them).
    await waitFor(async () => (await kept()).at(-1)?.text.startsWith('499x') === true, { what: 'the last line in the ring' });
    const lines = await kept();
    expect(lines.length).toBe(15);
    expect(lines[0]!.text.startsWith('485x')).toBe(true);
    const file = readFileSync(join(stack.status('long').sandbox, '.logs', 'long.log'), 'utf8');
    expect(file.match(/ stdout\| \d+x/g)).toHaveLength(500);
  });

  it('all services together keep at most logs.total_ring_bytes, and a quiet service keeps its lines beside a flood', async () => {
    stack = await runStack(`
logs: { total_ring_bytes: 1MiB }
services:
  quiet:
    cmd: ${printer(20, 1000)}
    service: false
  flood:
    cmd: ${printer(3000, 4 * KB)}
    service: false
    depends_on: { quiet: completed }
`);
    await stack.waitState('flood', 'FINISHED', 30_000);
    const kept = async (service: string) => (await stack!.sup.invoke('logs', { service, tail: 5000 })).lines;
    await waitFor(async () => (await kept('flood')).some((l) => l.text.startsWith('2999x')), { what: 'the flood in the ring' });
    const bytes = (lines: Array<{ text: string }>) => lines.reduce((n, l) => n + l.text.length + 120, 0);
    const quiet = (await kept('quiet')).filter((l) => l.stream === 'stdout');
    const flood = await kept('flood');
    expect(quiet).toHaveLength(20);
    expect(bytes(quiet) + bytes(flood)).toBeLessThanOrEqual(1024 * KB + 2 * 4 * KB); // system lines count 2 bytes a character
    expect(flood.length).toBeGreaterThan(100);
  });
});
