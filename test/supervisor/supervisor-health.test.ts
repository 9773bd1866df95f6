// Health checks against a real HTTP endpoint: RUNNING after successes, killed when unhealthy,
// paused by the snooze file whether the app or a terminal made it.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSnooze } from '../../electron/supervisor/snooze';
import { hasIpv6Loopback } from '../helpers/loopback';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';

const ipv6Loopback = await hasIpv6Loopback();
let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const yaml = `
services:
  api:
    cmd: node health-server.mjs
    ports: { http: ~ }
    health_check:
      http: { port: http }
      initial_interval_secs: 0.3
      interval_secs: 0.1
      max_consecutive_failures: 2
      timeout_secs: 0.5
    min_duration: 0.1
`;

describe('health checks', () => {
  it('becomes RUNNING and healthy after min_consecutive_successes', async () => {
    stack = await runStack(yaml);
    expect(['PENDING', 'STARTING']).toContain(stack.history.find((s) => s.pid !== null)?.state ?? 'STARTING');
    const s = await stack.waitState('api', 'RUNNING');
    expect(s.health.status).toBe('healthy');
    expect(s.health.settings?.target).toMatch(/^GET http:\/\/localhost:\d+\/health$/);
    expect(s.health.grace_checks).toBe(3);
    expect(s.health.start_deadline_checks).toBe(3 + 2 + 1);
  });

  it.skipIf(!ipv6Loopback)('a service listening on ::1 only (localhost on macOS) becomes healthy too', async () => {
    stack = await runStack(yaml.replace('    min_duration: 0.1', '    min_duration: 0.1\n    env: { LISTEN_HOST: "::1" }'));
    await waitFor(() => stack!.lines.some((l) => l.service === 'api' && l.text.startsWith('listening')), { what: 'api listening' });
    const s = await stack.waitState('api', 'RUNNING');
    expect(s.health.status).toBe('healthy');
    expect(s.restarts).toBe(0);
  });

  it('forgets the last run\'s health when the service is stopped or restarted by hand', async () => {
    stack = await runStack(yaml);
    expect((await stack.waitState('api', 'RUNNING')).health.status).toBe('healthy');
    await stack.sup.invoke('stop', { services: ['api'] });
    const stopped = stack.status('api');
    expect(stopped.state).toBe('STOPPED');
    expect(stopped.health).toMatchObject({ status: 'unknown', consecutive_successes: 0, checks: 0, history: [] });
    await stack.sup.invoke('start', { services: ['api'] });
    const again = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.run === 2);
    expect(again.health.status).toBe('healthy');
    // Pending again once the restart returns (the new process launches on the supervisor's next pass).
    await stack.sup.invoke('restart', { services: ['api'] });
    expect(stack.status('api')).toMatchObject({ state: 'PENDING', pid: null, health: { status: 'unknown', consecutive_successes: 0 } });
  });

  it('kills and restarts an instance after more than max_consecutive_failures failures', async () => {
    stack = await runStack(yaml);
    const healthy = await stack.waitState('api', 'RUNNING');
    writeFileSync(join(stack.dir, 'sick'), '');
    const restarted = await stack.waitState('api', (s) => s.restarts === 1 && s.pid !== null);
    expect(restarted.last_restart_reason).toBe('unhealthy');
    expect(restarted.pid).not.toBe(healthy.pid);
    // Killed on the third failure in a row (max_consecutive_failures 2 + 1), never later. Status events are
    // coalesced, so the kill is read from the supervisor's own log line rather than from every status.
    const failuresBeforeKill = stack.history.filter((s) => s.run === healthy.run).map((s) => s.health.consecutive_failures);
    expect(Math.max(...failuresBeforeKill)).toBeLessThanOrEqual(3);
    const kills = stack.lines.filter((l) => l.service === 'api' && l.run === healthy.run && /^unhealthy after 3 consecutive failures \(.*\): killing$/.test(l.text));
    expect(kills).toHaveLength(1);
    expect(kills[0]!.text).toContain('HTTP 500');
  });

  it('a service killed for its checks that exits 0 on the stop signal is not taken for one that daemonizes', async () => {
    // Healthy first (so its SIGTERM handler is surely in place), then sick: killed well within min_duration,
    // which makes its clean exit 0 on SIGTERM look like one "right away".
    stack = await runStack(yaml.replace('    min_duration: 0.1', '    min_duration: 60'));
    await stack.waitState('api', 'RUNNING');
    writeFileSync(join(stack.dir, 'sick'), '');
    await waitFor(() => stack!.lines.some((l) => l.service === 'api' && /^exited with code 0; restarting in .* \(crash loop, backoff\)$/.test(l.text)), { what: 'the restart after the kill' });
    expect(stack.lines.filter((l) => l.service === 'api' && l.text.includes('daemonizing')).map((l) => l.text)).toEqual([]);
  });

  it('is STOPPING (killing: unhealthy) for the whole kill, not RUNNING, until the exit; then it restarts', async () => {
    // Ignores SIGTERM: the kill lasts the whole shutdown_wait_secs before the SIGKILL.
    const server = "process.on('SIGTERM', () => console.log('got TERM')); require('http').createServer((q, r) => { r.statusCode = require('fs').existsSync('sick') ? 500 : 200; r.end('ok'); }).listen(process.env.PORT, '127.0.0.1');";
    stack = await runStack(yaml.replace('cmd: node health-server.mjs', 'cmd: exec node stubborn.js').replace('    min_duration: 0.1', '    min_duration: 0.1\n    lifecycle: { shutdown_wait_secs: 1 }'), {
      files: { 'stubborn.js': server },
    });
    const healthy = await stack.waitState('api', 'RUNNING');
    writeFileSync(join(stack.dir, 'sick'), '');
    const killing = await stack.waitState('api', (s) => s.state === 'STOPPING');
    expect(killing).toMatchObject({ run: healthy.run, stop_reason: 'unhealthy', pid: healthy.pid });
    await waitFor(() => stack!.lines.some((l) => l.service === 'api' && l.text === 'got TERM'), { what: 'the stop signal reached it' });
    expect(stack.status('api')).toMatchObject({ state: 'STOPPING', stop_reason: 'unhealthy' }); // still, during the grace
    rmSync(join(stack.dir, 'sick'));
    const again = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.run === healthy.run + 1);
    expect(again.stop_reason).toBeNull();
    // From the kill on, the old run never showed RUNNING again.
    const after = stack.history.slice(stack.history.findIndex((s) => s.state === 'STOPPING'));
    expect(after.some((s) => s.run === healthy.run && s.state === 'RUNNING')).toBe(false);
  });

  it('pauses checks while the app snoozes, and resumes them on unsnooze', async () => {
    stack = await runStack(yaml);
    await stack.waitState('api', 'RUNNING');
    await stack.sup.invoke('snooze', { service: 'api' });
    const sandbox = stack.status('api').sandbox;
    expect(existsSync(join(sandbox, '.healthchecksnooze'))).toBe(true);
    writeFileSync(join(stack.dir, 'sick'), '');
    // Many checks pass while snoozed: recorded as snoozed, the failure run stays at zero, no kill.
    const snoozed = await stack.waitState('api', (s) => s.health.history.filter((h) => h.result === 'snoozed').length >= 8);
    expect(snoozed.health.status).toBe('snoozed');
    expect(snoozed.snoozed).toBe(true);
    expect(snoozed.restarts).toBe(0);
    expect(snoozed.health.consecutive_failures).toBe(0);
    await stack.sup.invoke('unsnooze', { service: 'api' });
    expect(existsSync(join(sandbox, '.healthchecksnooze'))).toBe(false);
    const killed = await stack.waitState('api', (s) => s.restarts === 1);
    expect(killed.last_restart_reason).toBe('unhealthy');
  });

  it('honours a snooze file touched by hand, and its removal by hand', async () => {
    stack = await runStack(yaml);
    const running = await stack.waitState('api', 'RUNNING');
    writeFileSync(join(running.sandbox, '.healthchecksnooze'), '');
    const s = await stack.waitState('api', (x) => x.snoozed && x.health.history.at(-1)?.result === 'snoozed');
    expect(s.snoozed_since).not.toBeNull();
    expect(s.snooze_until).toBeNull();
    rmSync(join(running.sandbox, '.healthchecksnooze'));
    const resumed = await stack.waitState('api', (x) => !x.snoozed && x.health.history.at(-1)?.result === 'success');
    expect(resumed.health.status).toBe('healthy');
  });

  it('removes a timed snooze when its time is up', async () => {
    stack = await runStack(yaml);
    await stack.waitState('api', 'RUNNING');
    const { until } = await stack.sup.invoke('snooze', { service: 'api', for_secs: 0.5 });
    expect(until).not.toBeNull();
    expect(stack.sup.snapshot().services[0]!.snooze_until).toBe(until);
    const s = await stack.waitState('api', (x) => !x.snoozed, 5000);
    expect(existsSync(join(s.sandbox, '.healthchecksnooze'))).toBe(false);
    expect(Date.now()).toBeGreaterThanOrEqual(until!);
  });

  it('puts the checks of services started at different moments on one shared grid of the interval', async () => {
    const svc = '{ cmd: node health-server.mjs, ports: { http: ~ }, health_check: { http: { port: http }, interval_secs: 0.2, initial_interval_secs: 0.2 } }';
    stack = await runStack(`services:\n  a: ${svc}\n  b: ${svc}\n`, { start: false });
    await stack.sup.invoke('start', { services: ['a'] });
    await stack.waitState('a', (s) => s.health.history.length >= 1);
    // Start b half an interval off the grid: without phase-locking its checks would stay ~100 ms off a's.
    await waitFor(() => Math.abs((Date.now() % 200) - 100) <= 10 || undefined, { timeoutMs: 2000, intervalMs: 1, what: 'mid-interval' });
    await stack.sup.invoke('start', { services: ['b'] });
    await stack.waitState('b', (s) => s.health.history.length >= 6, 10_000);
    // Judged by when each check was due on its schedule, not by when its answer came in: a loaded machine
    // delays answers (and timers) by tens of ms, which says nothing about the grid.
    const dues = async (svc: string): Promise<number[]> =>
      (await stack!.sup.invoke('health_history', { service: svc })).runs.at(-1)!.probes.map((p) => p.due);
    const [a, b] = [await dues('a'), await dues('b')];
    expect(b.length).toBeGreaterThanOrEqual(6);
    // Both on the grid points themselves, the same instants.
    expect(b.slice(-3).map((t) => t % 200)).toEqual([0, 0, 0]);
    expect(a.at(-1)! % 200).toBe(0);
    // Never sooner than the interval allows (5% early at most to land on the grid).
    for (let i = 1; i < b.length; i++) expect(b[i]! - b[i - 1]!, b.join(', ')).toBeGreaterThanOrEqual(190);
  });

  it('shows a snooze file made by hand and its removal, for a service without checks (nothing polls: the folder watch)', async () => {
    stack = await runStack(`services:\n  quiet:\n    cmd: node -e "setInterval(() => {}, 1000)"\n`);
    const running = await stack.waitState('quiet', 'RUNNING');
    writeFileSync(join(running.sandbox, '.healthchecksnooze'), '');
    await stack.waitState('quiet', (x) => x.snoozed);
    rmSync(join(running.sandbox, '.healthchecksnooze'));
    await stack.waitState('quiet', (x) => !x.snoozed);
  });

  it('ends a timed snooze of a service without checks on its own timer, and follows an extension made by hand', async () => {
    stack = await runStack(`services:\n  quiet:\n    cmd: node -e "setInterval(() => {}, 1000)"\n`);
    const running = await stack.waitState('quiet', 'RUNNING');
    await stack.sup.invoke('snooze', { service: 'quiet', for_secs: 0.2 });
    // Extended from a terminal before it ends: the end timer must follow the file, not the first end.
    const extended = Date.now() + 700;
    writeSnooze(running.sandbox, extended);
    await stack.waitState('quiet', (x) => x.snooze_until === extended);
    const ended = await stack.waitState('quiet', (x) => !x.snoozed, 5000);
    expect(Date.now()).toBeGreaterThanOrEqual(extended);
    expect(existsSync(join(ended.sandbox, '.healthchecksnooze'))).toBe(false);
    expect(stack.lines.filter((l) => l.service === 'quiet' && l.text === 'timed snooze ended; health checks resumed')).toHaveLength(1);
  });
});
