// Fault 6: a child writes 200 MB of lines to stdout with no UI attached (the soak runs 1 GB). It is
// never blocked for good: it finishes at the rate Hearth splits lines; the supervisor process stays
// responsive and its memory bounded (far below what keeping the output would take); the log files
// rotate as configured. The log writer's unit tests (queue bound, rotation) are in
// test/supervisor/logs/log-file.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { runFlood, type FloodResult } from './flood';

const MB = 1_000_000;
let result: FloodResult | null = null;

afterEach(async () => {
  await result?.host.stop();
  result?.stack.cleanup();
  result = null;
});

describe('a child flooding stdout', () => {
  it('200 MB: the child finishes, the supervisor stays responsive, memory is bounded, logs rotate', async () => {
    const bytes = 200 * MB;
    result = await runFlood({ bytes, maxBytes: 10 * MB, keep: 2, timeoutMs: 60_000 });
    const r = result;
    const summary = `child ${r.childSecs.toFixed(1)}s (/dev/null ${r.devNullSecs.toFixed(2)}s), RSS ${mb(r.rssBefore)} -> peak ${mb(r.rssPeak)} MB, slowest status ${r.slowestStatusMs} ms`;

    // Throughput is Hearth's line processing (~50 MB/s on a busy 2-core machine), not a stall.
    expect(bytes / r.childSecs, summary).toBeGreaterThan(10 * MB);
    expect(r.slowestStatusMs, summary).toBeLessThan(1000);
    // Keeping 200 MB of output as strings and line objects would take well over 400 MB.
    expect(r.rssPeak - r.rssBefore, summary).toBeLessThan(180 * MB);

    expect(Object.keys(r.files).sort()).toEqual(['flood.log', 'flood.log.1', 'flood.log.2']);
    for (const [name, size] of Object.entries(r.files)) expect(size, name).toBeLessThanOrEqual(10 * MB);
    expect(r.files['flood.log.1']).toBeGreaterThan(9 * MB);
  });
});

function mb(bytes: number): string {
  return (bytes / MB).toFixed(0);
}
