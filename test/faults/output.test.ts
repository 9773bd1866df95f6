// Fault 7: awkward output through a real child and the real supervisor: multibyte characters split
// across chunks, invalid UTF-8, a 10 MB line, ANSI colours, `\r` progress bars, CRLF and a last line
// without a newline. Nothing is garbled or lost except the marked tail of the overlong line, in the
// UI's lines and in the log file alike. Byte-level cases of the splitter are in
// test/supervisor/logs/line-splitter.test.ts.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';

const EMIT = readFileSync(new URL('./fixtures/emit.mjs', import.meta.url), 'utf8');
const CAP = 65536;

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const EXPECTED_STDOUT = [
  'naïve café — 日本語 😀 done',
  'bad: \uFFFD\uFFFD\uFFFD( end',
  'x'.repeat(CAP),
  'after the long line',
  '\x1b[31mred\x1b[0m and \x1b[1;32mbold green\x1b[0m',
  'progress 10%\rprogress 55%\rprogress 100%',
  'windows line',
  'no newline at the end',
];

describe('awkward output', () => {
  it('reaches the UI and the log file intact, the overlong line cut at the cap and marked', async () => {
    stack = await runStack(
      `
services:
  emitter:
    cmd: exec node emit.mjs
    service: false
    logs: { max_line_bytes: ${CAP} }
`,
      { files: { 'emit.mjs': EMIT } },
    );
    const done = await stack.waitState('emitter', 'FINISHED', 20_000);
    expect(done.last_exit?.code).toBe(0);

    const out = stack.lines.filter((l) => l.service === 'emitter' && l.stream === 'stdout');
    expect(out.map((l) => l.text)).toEqual(EXPECTED_STDOUT);
    expect(out.map((l) => l.truncated === true)).toEqual(EXPECTED_STDOUT.map((_, i) => i === 2));
    expect(stack.lines.filter((l) => l.service === 'emitter' && l.stream === 'stderr').map((l) => l.text)).toEqual(['to stderr ✓']);

    // The log file has the same text after its "<ISO time> <stream>| " prefix.
    const { path } = await stack.sup.invoke('log_file', { service: 'emitter' });
    const fileText = await waitFor(() => {
      const text = readFileSync(path, 'utf8');
      return text.includes('no newline at the end') ? text : undefined;
    }, { what: 'the log file to catch up' });
    const fileLines = fileText
      .split('\n')
      .filter((l) => / stdout\| /.test(l))
      .map((l) => l.slice(l.indexOf('stdout| ') + 'stdout| '.length));
    expect(fileLines).toEqual(EXPECTED_STDOUT);
    expect(fileText).toMatch(/ stderr\| to stderr ✓\n/);
  });
});
