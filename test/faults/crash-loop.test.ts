// Fault 3: a crash loop (`exit 1` at once). Restart waits grow and cap at max_backoff_secs, the status
// shows the loop and the next attempt time, the supervisor process stays under 5% CPU meanwhile, and
// the wait resets after a run that lasted min_duration. The host runs in its own process so its CPU
// time can be read from /proc without counting the test runner.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../shared/types';
import { connectControl, type ControlClient } from '../../electron/control/client';
import { waitFor } from '../helpers/wait-for';
import { CLK_TCK, cpuTicks, startHostProcess, writeStack, type HostProcess, type StackDir } from './kit';

let stack: StackDir | null = null;
let host: HostProcess | null = null;
let client: ControlClient | null = null;

afterEach(async () => {
  client?.close();
  client = null;
  await host?.stop();
  host = null;
  stack?.cleanup();
  stack = null;
});

/** Every status the host broadcasts, per service, in order. */
async function watchStatuses(c: ControlClient): Promise<Map<string, ServiceStatus[]>> {
  const seen = new Map<string, ServiceStatus[]>();
  const add = (s: ServiceStatus): void => {
    if (!seen.has(s.name)) seen.set(s.name, []);
    seen.get(s.name)!.push(s);
  };
  await c.subscribe((event, payload) => {
    if (event === 'snapshot') for (const s of (payload as { services: ServiceStatus[] }).services) add(s);
    if (event === 'service') add(payload as ServiceStatus);
  });
  return seen;
}

/** The distinct restart waits, in the order the service went through them. */
function waits(history: ServiceStatus[]): number[] {
  const out: Array<{ run: number; backoff: number }> = [];
  for (const s of history) {
    if (s.state !== 'RESTARTING') continue;
    if (out.at(-1)?.run === s.run) continue;
    out.push({ run: s.run, backoff: s.backoff_ms });
  }
  return out.map((w) => w.backoff);
}

describe('crash loop', () => {
  it('backs off 1 s, 2 s, then stays at the cap, shows the next attempt, and costs the supervisor < 5% CPU', async () => {
    stack = writeStack(`
services:
  looper:
    cmd: exit 1
    min_duration: 1
    max_backoff_secs: 2
`);
    host = await startHostProcess(stack.file);
    client = await connectControl(host.socket);
    const seen = await watchStatuses(client);
    const history = (): ServiceStatus[] => seen.get('looper') ?? [];

    // Into the capped part of the loop before measuring: the host's start-up is not the loop's cost.
    await waitFor(() => waits(history()).filter((w) => w === 2000).length >= 1, { what: 'the first capped wait', timeoutMs: 15_000 });
    const ticks0 = cpuTicks(host.pid);
    const t0 = Date.now();
    await waitFor(() => waits(history()).filter((w) => w === 2000).length >= 3, { what: 'two more capped waits', timeoutMs: 15_000 });
    const cpu = (cpuTicks(host.pid) - ticks0) / CLK_TCK;
    const wall = (Date.now() - t0) / 1000;

    expect(waits(history()).slice(0, 4)).toEqual([1000, 2000, 2000, 2000]);
    const restarting = history().filter((s) => s.state === 'RESTARTING');
    for (const s of restarting) {
      // The status says when the next attempt is, and that this is a loop.
      expect(s.next_attempt_at! - s.last_exit!.at).toBe(s.backoff_ms);
      expect(s.flaps).toBeGreaterThanOrEqual(1);
      expect(s.last_exit?.code).toBe(1);
    }
    expect(restarting.at(-1)!.flaps).toBeGreaterThanOrEqual(4);
    expect(cpu / wall, `supervisor CPU ${cpu}s over ${wall}s`).toBeLessThan(0.05);
  });

  it('restarts at once again after a run that lasted min_duration', async () => {
    // Crashes at once three times, then runs 1.2 s (> min_duration 1) per run.
    stack = writeStack(
      `
services:
  recover:
    cmd: ./recover.sh
    min_duration: 1
    max_backoff_secs: 2
`,
      { 'recover.sh': '#!/bin/sh\nn=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count\nif [ $n -le 3 ]; then exit 1; fi\nsleep 1.2; exit 1\n' },
    );
    host = await startHostProcess(stack.file);
    client = await connectControl(host.socket);
    const seen = await watchStatuses(client);
    const history = (): ServiceStatus[] => seen.get('recover') ?? [];

    await waitFor(() => history().some((s) => s.run >= 6), { what: 'run 6', timeoutMs: 20_000 });
    expect(waits(history())).toEqual([1000, 2000, 2000]);
    // Runs 4 and 5 were stable: their exits restarted at once, with no wait and no flap left.
    const afterStable = history().filter((s) => s.run >= 5);
    expect(afterStable.every((s) => s.state !== 'RESTARTING' && s.backoff_ms === 0 && s.flaps === 0)).toBe(true);
    const run5 = afterStable.find((s) => s.run === 5)!;
    expect(run5.last_restart_reason).toBe('exited');
    expect(run5.started_at! - run5.last_exit!.at).toBeLessThan(500);
  });
});
