// Where real pipes cannot be made (here: no mkfifo on PATH), a service still runs, on Node's socketpairs,
// and its log says once, with the reason, that /dev/stdout cannot be opened by path. A file of its own:
// the FIFO maker is one per process, and once broken it stays so.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

const bin = makeTempDir('hbin-');
const savedPath = process.env.PATH;
beforeAll(() => {
  symlinkSync(process.execPath, join(bin.dir, 'node'));
  process.env.PATH = bin.dir; // node, and nothing else: no mkfifo
});
afterAll(() => {
  process.env.PATH = savedPath;
  bin.cleanup();
});

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe('stdio without mkfifo', () => {
  it('runs the service on sockets and says why once, not at every restart', async () => {
    stack = await runStack(`services:\n  s:\n    cmd: node -e "console.log('hello'); setTimeout(() => {}, 100)"\n    max_backoff_secs: 0.2\n`);
    const hellos = () => stack!.lines.filter((l) => l.service === 's' && l.text === 'hello').length;
    await waitFor(() => hellos() >= 2 || undefined, { what: 'two runs', timeoutMs: 15_000 });
    const notes = stack.lines.filter((l) => l.service === 's' && l.text.startsWith('stdin, stdout and stderr are sockets'));
    expect(notes.map((l) => l.text)).toEqual([
      expect.stringMatching(/^stdin, stdout and stderr are sockets, not pipes \(mkfifo failed: .+\): \/dev\/stdout cannot be opened by path$/),
    ]);
  });
});
