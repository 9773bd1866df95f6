// Fault 5: health endpoints that hang, answer 500, redirect, or refuse connections before the service
// binds, checked by the real supervisor against real servers. Timeouts and 500s are failures, a
// redirect is not followed (so it is a failure even though its target says "ok"), refusals during the
// grace period are ignored; and 10,000 checks of every kind leave the supervisor's fd count where it
// was. Probe-level cases are in test/supervisor/health/probes.test.ts.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Supervisor } from '../../electron/supervisor/api';
import type { ServiceStatus } from '../../shared/types';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';
import { fdCount, supervisorFor, writeStack, type StackDir } from './kit';

const BAD_HEALTH = readFileSync(new URL('./fixtures/bad-health.mjs', import.meta.url), 'utf8');

let stack: StackUnderTest | null = null;
let dir: StackDir | null = null;
let sup: Supervisor | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  await sup?.close();
  sup = null;
  dir?.cleanup();
  dir = null;
});

const service = (name: string, mode: string, health: string, extra = '') => `
  ${name}:
    cmd: exec node bad-health.mjs
    env: { MODE: ${mode}${extra} }
    ports: { health: null }
    health_check: { ${health} }`;

/** Every check result a service's statuses have shown, oldest first, without repeats. */
function results(history: ServiceStatus[], name: string): Array<{ run: number; result: string; detail?: string }> {
  const out = new Map<string, { run: number; result: string; detail?: string }>();
  for (const s of history) {
    if (s.name !== name) continue;
    for (const r of s.health.history) out.set(`${s.run}:${r.at}:${r.result}`, { run: s.run, result: r.result, detail: r.detail });
  }
  return [...out.values()];
}

describe('misbehaving health endpoints', () => {
  it('timeout and 500 fail, a redirect is not followed, refusals in the grace period are ignored', async () => {
    // A short grace (5 checks) so a slow node start (refused connections) cannot be what kills them.
    const failFast = 'initial_interval_secs: 1, interval_secs: 0.2, timeout_secs: 0.3, max_consecutive_failures: 0';
    stack = await runStack(
      `services:${service('hang', 'hang', failFast)}${service('error', 'error', failFast)}${service('redirect', 'redirect', failFast)}${service(
        'late',
        'late',
        'initial_interval_secs: 3, interval_secs: 0.15',
        ', LATE_MS: 700',
      )}
`,
      { files: { 'bad-health.mjs': BAD_HEALTH } },
    );
    const killed = (name: string) => stack!.waitState(name, (s) => s.restarts >= 1 && s.last_restart_reason === 'unhealthy');
    await Promise.all([killed('hang'), killed('error'), killed('redirect')]);
    const late = await stack.waitState('late', 'RUNNING');

    const firstFailure = (name: string) => results(stack!.history, name).find((r) => r.run === 1 && r.result === 'failure');
    // Its 0.3 s timeout is longer than the 0.2 s interval: still running when the next check is due.
    expect(firstFailure('hang')?.detail).toBe('timeout: still running when the next check was due (interval 0.2s, timeout_secs 0.3s)');
    expect(firstFailure('error')?.detail).toBe('HTTP 500');
    // The default check expects the body "ok": the redirect's own (empty) body is judged, not its target's.
    expect(firstFailure('redirect')?.detail).toMatch(/^HTTP 302\b/);
    for (const name of ['hang', 'error', 'redirect']) {
      expect(stack.lines.some((l) => l.service === name && /^failed to become healthy within 6 checks \((timeout|HTTP)/.test(l.text))).toBe(true);
    }

    const lateResults = results(stack.history, 'late');
    expect(lateResults.filter((r) => r.result === 'ignored').length).toBeGreaterThanOrEqual(2);
    expect(lateResults.filter((r) => r.result === 'ignored').every((r) => r.detail === 'connection refused')).toBe(true);
    expect(lateResults.some((r) => r.result === 'failure')).toBe(false);
    expect(lateResults.at(-1)?.result).toBe('success');
    expect(late.restarts).toBe(0);
    expect(late.health.status).toBe('healthy');
  });

  it('10,000 checks of every outcome do not grow the supervisor’s open file descriptors', async () => {
    // Failures never kill here (max_consecutive_failures huge), so each service keeps checking. Checks are
    // due every 10 ms (one still running then is abandoned as a timeout: `stuck`); `hang` runs into its own
    // 20 ms timeout, so it is checked every 50 ms.
    const t = 'initial_interval_secs: 0, interval_secs: 0.01, max_consecutive_failures: 1000000';
    const slow = 'initial_interval_secs: 0, interval_secs: 0.05, max_consecutive_failures: 1000000';
    dir = writeStack(
      `services:${service('ok', 'ok', `${t}, timeout_secs: 1`)}${service('error', 'error', `${t}, timeout_secs: 1`)}${service(
        'redirect',
        'redirect',
        `${t}, timeout_secs: 1`,
      )}${service('hang', 'hang', `${slow}, timeout_secs: 0.02`)}${service('stuck', 'hang', `${t}, timeout_secs: 1`)}
  refused:
    cmd: exec sleep 1000
    ports: { health: null }
    health_check: { ${t}, timeout_secs: 1 }
`,
      { 'bad-health.mjs': BAD_HEALTH },
    );
    sup = await supervisorFor(dir.file);
    await sup.invoke('start', {});
    const checks = (): number[] => sup!.snapshot().services.map((s) => s.health.checks);
    // Warm up: every service checked a few times, keep-alive connections exist, before the baseline.
    await waitFor(() => checks().every((n) => n >= 20), { what: 'every service checked 20 times', timeoutMs: 15_000 });
    const baseline = fdCount('self');
    await waitFor(() => checks().reduce((a, b) => a + b, 0) >= 10_000, { what: '10,000 checks', timeoutMs: 60_000, intervalMs: 100 });
    const byService = Object.fromEntries(sup.snapshot().services.map((s) => [s.name, s.health]));
    expect(byService.ok!.status).toBe('healthy');
    expect(byService.error!.last_detail).toBe('HTTP 500');
    expect(byService.redirect!.last_detail).toMatch(/^HTTP 302\b/);
    expect(byService.refused!.last_detail).toBe('connection refused');
    expect(byService.hang!.last_detail).toBe('timeout after 0.02s');
    expect(byService.stuck!.last_detail).toBe('timeout: still running when the next check was due (interval 0.01s, timeout_secs 1s)');
    // Sockets closed on either side are released asynchronously: allow the count to settle.
    await waitFor(() => fdCount('self') <= baseline + 8, { what: `fd count near the baseline ${baseline} (now ${fdCount('self')})`, timeoutMs: 10_000 });
  });
});
