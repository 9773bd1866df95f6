// The cost of one more service: each system supervising N `sleep` services (no health checks, nothing
// printed), N = 1, 10, 50, 200. The supervisor's own RSS and private memory (USS) once all N run, the
// median of samples a second apart; then the slope (least squares over N): memory per extra service.
// Hearth is `hearth up` itself. A Node supervisor holds the young generation it grew while starting
// until V8's first memory-reducing collection (USS 30 MB before it, 18 MB after, for `hearth up` of 50):
// for Hearth and pm2 the samples come once it is behind. The N of one system run side by side, each
// supervisor its own process (pm2 a daemon per PM2_HOME), so those waits overlap. Target (issue 25):
// Hearth's slope, RSS and USS, no higher than pm2's per extra app. supervisord is shown beside them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, openSystem, type BenchContext } from '../lib/context';
import { memory, privateMemory } from '../lib/proc';
import { median } from '../lib/stats';
import { reducerDone } from '../lib/gc';
import { sleep } from '../lib/wait';
import { openPm2 } from '../systems/pm2';
import type { ServiceSpec, SystemDriver, SystemName } from '../systems/types';

const FIGURE = 'marginal memory';
const SLEEP = ['/usr/bin/sleep', '86398'];
/** V8's memory reducer in --trace-gc output, and how long to wait for it at most. */
const REDUCING_GC = /Mark-Compact \(reduce\)/;
const REDUCE_WAIT_MS = 120_000;

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Once V8's first memory-reducing collection is behind (where collections can be seen), else after `settleMs`; says which. */
async function afterReducingGc(driver: SystemDriver, settleMs: number): Promise<string> {
  const gcs = driver.gcs;
  if (!gcs) {
    await sleep(settleMs);
    return `after ${settleMs / 1000} s`;
  }
  const t0 = performance.now();
  while (!gcs().some((line) => REDUCING_GC.test(line))) {
    if (performance.now() - t0 > REDUCE_WAIT_MS) return `no memory-reducing GC within ${REDUCE_WAIT_MS / 1000} s`;
    await sleep(500);
  }
  await reducerDone(gcs);
  return `${((performance.now() - t0) / 1000).toFixed(0)} s after all ran, past the first memory-reducing GC`;
}

export async function marginalMemory(ctx: BenchContext): Promise<void> {
  const counts = ctx.opts.quick ? [1, 10, 50] : [1, 10, 50, 200];
  const settleMs = ctx.opts.quick ? 2000 : 5000;
  const samples = ctx.opts.quick ? 3 : 5;
  const systems = ctx.systems.filter((s): s is Exclude<SystemName, 'baseline'> => s !== 'baseline');
  ctx.log(`${FIGURE}: ${counts.join(', ')} sleep services per system (the ${counts.length} side by side), no checks; RSS and USS of the supervisor, median of ${samples} samples past V8's first memory-reducing GC (supervisord: after ${settleMs / 1000} s)`);
  const mb = (b: number): number => b / 2 ** 20;
  const slopes = new Map<SystemName, { rss: number; uss: number }>();
  // Every system and N at once: each supervisor is its own process, and the waits for their
  // memory-reducing collections (up to a minute and a half each) overlap.
  const runs: Array<{ system: (typeof systems)[number]; n: number; driver: SystemDriver }> = [];
  try {
    for (const system of systems) {
      for (const n of counts) {
        const services: ServiceSpec[] = Array.from({ length: n }, (_, i) => ({ name: `s${String(i + 1).padStart(3, '0')}`, argv: SLEEP, restart: true }));
        try {
          if (system === 'pm2') {
            const dir = freshDir(ctx, `marginal-${n}-pm2`);
            const home = join(dir, 'pm2-home');
            mkdirSync(home, { recursive: true });
            runs.push({ system, n, driver: await openPm2(services, { dir, env: ctx.env, launchers: ctx.launchers, root: ctx.root }, home) });
          } else runs.push({ system, n, driver: await openSystem(ctx, system, services, `marginal-${n}`, 'up') });
        } catch (error) {
          ctx.report.skip(FIGURE, system, `${n} services failed to open: ${(error as Error).message}`);
        }
      }
    }
    for (const { driver } of runs) await driver.start();
    await Promise.all(runs.map(({ driver }) => driver.waitAllRunning(180_000)));
    const waited = await Promise.all(runs.map(({ driver }) => afterReducingGc(driver, settleMs)));
    const points = new Map<SystemName, { n: number[]; rss: number[]; uss: number[] }>();
    for (const [k, { system, n, driver }] of runs.entries()) {
      const r: number[] = [];
      const u: number[] = [];
      for (let i = 0; i < samples; i++) {
        if (i > 0) await sleep(1000);
        r.push(mb(memory(driver.pid)?.rss ?? Number.NaN));
        u.push(mb(privateMemory(driver.pid) ?? Number.NaN));
      }
      const p = points.get(system) ?? { n: [], rss: [], uss: [] };
      p.n.push(n);
      p.rss.push(median(r));
      p.uss.push(median(u));
      points.set(system, p);
      ctx.log(`  ${system} with ${n}: RSS ${p.rss.at(-1)!.toFixed(1)} MB, USS ${p.uss.at(-1)!.toFixed(1)} MB (${waited[k]})`);
      ctx.report.add({ figure: FIGURE, metric: `RSS, ${n} svc`, unit: 'MB', system, value: p.rss.at(-1)!, runs: r, lowerIsBetter: true });
      ctx.report.add({ figure: FIGURE, metric: `USS, ${n} svc`, unit: 'MB', system, value: p.uss.at(-1)!, runs: u, lowerIsBetter: true });
    }
    for (const [system, p] of points) {
      if (p.n.length < 2) continue;
      const s = { rss: slope(p.n, p.rss) * 1024, uss: slope(p.n, p.uss) * 1024 };
      slopes.set(system, s);
      ctx.log(`  ${system}: ${s.rss.toFixed(0)} kB RSS and ${s.uss.toFixed(0)} kB USS per extra service`);
      ctx.report.add({ figure: FIGURE, metric: 'RSS per extra service', unit: 'kB', system, value: s.rss, runs: [s.rss], lowerIsBetter: true, note: 'least-squares slope' });
      ctx.report.add({ figure: FIGURE, metric: 'USS per extra service', unit: 'kB', system, value: s.uss, runs: [s.uss], lowerIsBetter: true, note: 'least-squares slope' });
    }
  } finally {
    await Promise.all(
      runs.map(async ({ driver }) => {
        await driver.stop().catch(() => undefined);
        await driver.close();
      }),
    );
  }
  const h = slopes.get('hearth');
  const p = slopes.get('pm2');
  const sv = slopes.get('supervisord');
  for (const k of ['rss', 'uss'] as const) {
    const name = k.toUpperCase();
    ctx.report.target(
      FIGURE,
      `Hearth ${name} per extra service <= pm2's per extra app (${counts.join('/')} services)`,
      h && p ? h[k] <= p[k] : null,
      h && p ? `Hearth ${h[k].toFixed(0)} kB, pm2 ${p[k].toFixed(0)} kB (${(h[k] / p[k]).toFixed(2)}x)${sv ? `; supervisord ${sv[k].toFixed(0)} kB` : ''}` : 'not measured',
    );
  }
}
