// Health checks run exactly interval_secs apart, whatever each takes, and never two at once: against a
// real HTTP endpoint that hangs, through the supervisor. (The schedule itself: health/check-schedule.test.ts.)
// The endpoint logs when each check arrives and when its connection closes; the spacing is read there.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

// Answers nothing on /health: each check waits for its timeout (or is abandoned). Prints arrivals and closes.
const HANGER = `const http = require('node:http');
const t0 = Date.now();
const server = http.createServer((req) => {
  console.log('open ' + (Date.now() - t0));
  req.socket.on('close', () => console.log('close ' + (Date.now() - t0)));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

function times(s: StackUnderTest, what: 'open' | 'close'): number[] {
  return s.lines.filter((l) => l.service === 'slow' && l.text.startsWith(`${what} `)).map((l) => Number(l.text.slice(what.length + 1)));
}
const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);

const stackWith = (timeout: number) => `services:
  slow:
    cmd: exec node hanger.js
    ports: { http: ~ }
    health_check:
      http: { port: http }
      initial_interval_secs: 100
      interval_secs: 1
      timeout_secs: ${timeout}
      max_consecutive_failures: 100
`;

describe('health check timing', () => {
  it('checks every interval_secs, not interval + the time a failing check waits (1 s apart with a 0.5 s timeout, not 1.5 s)', async () => {
    stack = await runStack(stackWith(0.5), { files: { 'hanger.js': HANGER } });
    await waitFor(() => times(stack!, 'open').length >= 8, { what: 'eight checks', timeoutMs: 20_000 });
    const g = gaps(times(stack, 'open'));
    // A new service moves onto the shared grid first (gaps of up to 1.25 s); then exactly one interval. A
    // loaded machine fires a timer late now and then; drift by the timeout would make every gap 1.5 s.
    expect(g.every((x) => x > 700 && x < 1300), g.join(', ')).toBe(true);
    const settled = g.slice(-3);
    expect(settled.reduce((a, b) => a + b, 0) / settled.length, g.join(', ')).toBeLessThan(1100);
    // As scheduled: each check due on a whole second (the grid of a 1 s interval), counted from the last due time.
    const { runs } = await stack.sup.invoke('health_history', { service: 'slow' });
    expect(runs.at(-1)!.probes.slice(-4).map((p) => p.due % 1000)).toEqual([0, 0, 0, 0]);
  });

  it('a check still running when the next is due counts as a timeout, and the next starts on time, never two at once', async () => {
    stack = await runStack(stackWith(3), { files: { 'hanger.js': HANGER } });
    await waitFor(() => times(stack!, 'open').length >= 4, { what: 'four checks', timeoutMs: 15_000 });
    const opens = times(stack, 'open');
    const closes = times(stack, 'close');
    expect(gaps(opens).every((x) => x > 700 && x < 1300), gaps(opens).join(', ')).toBe(true);
    // Each check's connection is gone by the time the next one arrives (a few ms for the close to travel).
    for (let i = 1; i < opens.length; i++) expect(closes[i - 1], `close of check ${i - 1}`).toBeLessThanOrEqual(opens[i]! + 50);
    const { runs } = await stack.sup.invoke('health_history', { service: 'slow' });
    const failures = runs.at(-1)!.probes.filter((p) => p.result === 'failure' || p.result === 'ignored');
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures[0]!.detail).toBe('timeout: still running when the next check was due (interval 1s, timeout_secs 3s)');
  });
});
