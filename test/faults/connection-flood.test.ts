// Attack: another local user (a real second user, made for the test) opens 2,000 idle connections to
// `hearth serve`'s port and holds them. Every one used to cost the host a file descriptor for good: with
// 20,000 the host ran out of the descriptors its services' pipes and log files need. Now past 256 open
// connections new ones are closed as they arrive, and one that has not sent its request headers within
// 10 s is closed: the host's descriptors stay bounded, the stack keeps being driven, and once the idle
// sockets are dropped the UI logs in again.
import { afterEach, describe, expect, it } from 'vitest';
import { hearthBin } from '../helpers/hearth-bin';
import { secondUser } from '../helpers/second-user';
import { waitFor } from '../helpers/wait-for';
import { login } from '../web/clients';
import { fdCount, killMarked, startCli, uniqueMark, writeStack, type HostProcess, type StackDir } from './kit';

let stack: StackDir | null = null;
let cli: HostProcess | null = null;
let mark = '';
afterEach(async () => {
  await cli?.stop();
  cli = null;
  if (mark) killMarked(mark);
  stack?.cleanup();
  stack = null;
});

const FLOOD = 2000;

/** The attacker: opens `n` connections, says nothing, reports how many are open and how many the server closed. */
const HOLD = `
const net = require('net');
const [port, n] = process.argv.slice(1).map(Number);
let connected = 0, closed = 0;
const sockets = [];
// In batches of 100, each once the last is connected: a burst past the listen backlog would leave
// connections half-open in the kernel, where neither side can count them.
const batch = () => {
  let left = Math.min(100, n - sockets.length);
  for (let i = 0; i < left; i++) {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('connect', () => { connected++; if (--left === 0 && sockets.length < n) setTimeout(batch, 5); });
    s.on('error', () => {});
    s.on('close', () => closed++);
    sockets.push(s);
  }
};
batch();
setInterval(() => console.log(JSON.stringify({ connected, closed })), 200);
`;

describe('a flood of idle connections from another user', () => {
  it('keeps the host\'s descriptors bounded, the stack drivable, and the UI usable once they expire', async (ctx) => {
    const attacker = secondUser(ctx, 'flood');
    mark = uniqueMark('flood');
    stack = writeStack(`services:\n  api: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }\n`);
    const started = await startCli(['-f', stack.file, 'serve'], (out) => {
      const m = /Hearth UI: (http:\/\/127\.0\.0\.1:(\d+)\/#code=[\w-]+)\n/.exec(out);
      return m ? { url: m[1]!, port: Number(m[2]) } : undefined;
    });
    cli = started;
    const { port, url } = started.ready;
    const baseline = fdCount(started.pid);

    const flood = attacker.spawnNode(HOLD, [String(port), String(FLOOD)]);
    let last = { connected: 0, closed: 0 };
    let pending = '';
    flood.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      if (lines.length > 0) last = JSON.parse(lines.at(-1)!) as typeof last;
    });
    await waitFor(() => last.connected >= FLOOD, { what: 'every flood connection made', timeoutMs: 60_000 });

    // Bounded: the cap (256) and a margin, not the 2,000 the attacker holds.
    const during = fdCount(started.pid);
    expect(during - baseline, `fds ${baseline} -> ${during}`).toBeLessThan(256 + 50);
    // The stack is still driven through the control socket (its own cap, and 0600 anyway).
    const restart = await hearthBin(stack.file, ['restart', 'api']);
    expect(restart.code, restart.err).toBe(0);

    // The idle ones are closed by the server within its 10 s headers timeout; then a login works again.
    await waitFor(() => last.closed >= FLOOD, { what: 'the server to close every idle connection', timeoutMs: 25_000 }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(last)}`);
    });
    expect(fdCount(started.pid) - baseline).toBeLessThan(20);
    const line = started.output().split('\n').find((l) => l.startsWith('Hearth UI: '))!;
    expect(line).toBe(`Hearth UI: ${url}`);
    await expect(login(port, url)).resolves.toMatch(/^[\w-]{43}$/);
  });
});
