// Figures 2 and 4 on the same 50 services (a tiny HTTP server each):
//  - cold start to healthy: start command -> every service serving /health, then stop -> no process left;
//  - idle cost: all 50 up with HTTP health checks every 1 s, held 30 s; the supervisor's OWN CPU
//    time and peak RSS (from /proc), its children's measured apart. Hearth here is `hearth up` itself
//    (run with --trace-gc, so the collections inside a window can be named). The baseline here is the
//    bare mini-supervisor doing the same 50 keep-alive GET /health per second: the floor for a Node
//    process that health-checks like Hearth. pm2 and supervisord have no HTTP health checks (they do less);
//  - idle cost with no health checks: the same 50 services, no system checking anything (Hearth with
//    health_check: null), which is the like-for-like comparison with pm2 and supervisord. Measured over
//    60 s that start once V8's first memory-reducing collection is behind the Node supervisors (Hearth
//    and pm2 run with --trace-gc; that one-off compaction comes 10-50 s after start, when V8 judges the
//    process idle, and would otherwise decide a comparison of a few hundredths of a percent).
//  - Hearth only, idle with its UI open: as the first idle figure, plus the CPU/RSS sampling of every
//    service tree that the desktop app (or an open web UI page) turns on; the bench's host stands in
//    for the app here. The other idle figures are `hearth up`, headless with nobody looking.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { openSystem, freePorts, type BenchContext } from '../lib/context';
import type { Launchers } from '../lib/build';
import { cpuPercentOver, cpuSecondsOf, descendants, isAlive, memory, privateMemory, runSeconds } from '../lib/proc';
import { median } from '../lib/stats';
import { reducerDone } from '../lib/gc';
import { sleep, waitUntil } from '../lib/wait';
import type { Row } from '../lib/report';
import type { ServiceSpec, SystemDriver, SystemName } from '../systems/types';

const COLD = 'cold start (50 svc)';
const IDLE = 'idle (50 svc)';
const IDLE_BARE = 'idle, no health checks (50 svc)';
const IDLE_UI = 'idle, HTTP checks, UI open (50 svc)';
const N = 50;
/** No checks: settle this long before the window where a supervisor's collections cannot be seen (supervisord, the baseline). */
const SETTLE_NO_CHECKS_MS = 15_000;
/** …and at most this long for V8's first memory-reducing collection where they can (Hearth, pm2; pm2's came 98 s after its start in round 11). */
const REDUCE_WAIT_MS = 150_000;
/** The targets (issue 25): peak RSS within this much of a Node process that runs nothing. */
const RSS_OVER_EMPTY_NODE_MB = 40;
/** V8's memory reducer in --trace-gc output: "Mark-Compact (reduce)". */
const REDUCING_GC = /Mark-Compact \(reduce\)/;

/** The three idle windows: health-checked (headless), the same with a UI open (Hearth only), no checks. */
type IdleKind = 'checked' | 'ui' | 'bare';
const IDLE_KINDS: Record<IdleKind, { label: string; log: string; checked: boolean }> = {
  checked: { label: 'idle', log: 'idle', checked: true },
  ui: { label: 'idle-ui', log: 'idle, UI open,', checked: true },
  bare: { label: 'idle-bare', log: 'idle, no checks,', checked: false },
};

function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'ok'));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** The bench's own check that every port answers (for systems without HTTP health checks). */
async function allServing(ports: number[], timeoutMs: number): Promise<void> {
  await Promise.all(
    ports.map((port) => waitUntil(() => healthOk(port), `GET :${port}/health`, { timeoutMs, everyMs: 100 })),
  );
}

async function startAndWait(driver: SystemDriver, ports: number[], checked = true): Promise<number> {
  const t0 = performance.now();
  await driver.start();
  await driver.waitAllRunning(90_000);
  // Hearth's RUNNING already means "passed its HTTP check"; the others (and unchecked Hearth) only know "spawned".
  if (driver.name !== 'hearth' || !checked) await allServing(ports, 90_000);
  return performance.now() - t0;
}

async function stopAndWait(driver: SystemDriver): Promise<number> {
  const pids = descendants(driver.pid);
  const t0 = performance.now();
  const stopping = driver.stop();
  await waitUntil(() => pids.every((p) => !isAlive(p)), 'every service process gone', { timeoutMs: 60_000, everyMs: 5 });
  const ms = performance.now() - t0;
  await stopping;
  return ms;
}

export async function fleet(ctx: BenchContext): Promise<void> {
  const runs = ctx.opts.quick ? 1 : 3;
  const idleSecs = ctx.opts.quick ? 10 : 30;
  const bareSecs = ctx.opts.quick ? 15 : 60;
  // Below Linux's ephemeral range (32768-60999): a server port in it can be taken, between two runs, as
  // the local port of some client connection (the checks, the bench's own polls), and then the server
  // cannot bind it again until that connection is gone (60 s in TIME_WAIT). With ports from 33000 one
  // cold start of the baseline once took 62.8 s; this is the likely cause.
  const ports = await freePorts(N, 20000);
  const services = (interval: number | undefined): ServiceSpec[] => httpServices(ctx.launchers, ports, interval);
  // No health check anywhere: the port is written into the command (Hearth allocates no named port).
  const unchecked: ServiceSpec[] = ports.map((port, i) => ({
    name: `svc-${String(i + 1).padStart(2, '0')}`,
    argv: [process.execPath, ...ctx.launchers.httpServer, String(port)],
    restart: true,
  }));
  ctx.log(
    `${COLD}: ${runs} run(s) per system (health interval 0.5 s); ${IDLE}: 1 run of ${idleSecs} s per system (health interval 1 s); ${IDLE_BARE}: ${bareSecs} s after V8's first memory-reducing collection (Node supervisors) or ${SETTLE_NO_CHECKS_MS / 1000} s`,
  );
  const systems: SystemName[] = ['baseline', ...ctx.systems.filter((s) => s !== 'baseline')];
  for (const system of systems) {
    try {
      const cold: number[] = [];
      const stop: number[] = [];
      // The baseline's cold start is "spawned and answering", probed by the bench: no checks of its own.
      const driver = await openSystem(ctx, system, services(system === 'baseline' ? undefined : 0.5), 'cold');
      try {
        for (let r = 1; r <= runs; r++) {
          cold.push(await startAndWait(driver, ports));
          stop.push(await stopAndWait(driver));
          await driver.reset?.();
          ctx.log(`  ${system} run ${r}: all healthy after ${cold.at(-1)!.toFixed(0)} ms, all gone ${stop.at(-1)!.toFixed(0)} ms after stop`);
        }
      } finally {
        await driver.close();
      }
      ctx.report.add({ figure: COLD, metric: 'to all healthy', unit: 'ms', system, value: median(cold), runs: cold, lowerIsBetter: true });
      ctx.report.add({ figure: COLD, metric: 'stop, none left', unit: 'ms', system, value: median(stop), runs: stop, lowerIsBetter: true });
    } catch (error) {
      ctx.report.skip(COLD, system, `failed: ${(error as Error).message}`);
    }
    try {
      await idle(ctx, IDLE, system, services(1), ports, idleSecs, 'checked');
    } catch (error) {
      ctx.report.skip(IDLE, system, `failed: ${(error as Error).message}`);
    }
    try {
      await idle(ctx, IDLE_BARE, system, unchecked, ports, bareSecs, 'bare');
    } catch (error) {
      ctx.report.skip(IDLE_BARE, system, `failed: ${(error as Error).message}`);
    }
    if (system !== 'hearth') continue;
    try {
      await idle(ctx, IDLE_UI, system, services(1), ports, idleSecs, 'ui');
    } catch (error) {
      ctx.report.skip(IDLE_UI, system, `failed: ${(error as Error).message}`);
    }
  }
  const h = ctx.report.find(IDLE, 'supervisor CPU', 'hearth');
  const hm = ctx.report.find(IDLE, 'supervisor peak RSS', 'hearth');
  if (h) ctx.report.target(IDLE, 'Hearth CPU < 2% of one core', h.value < 2, `${h.value.toFixed(2)}%`);
  if (hm) ctx.report.target(IDLE, 'Hearth peak RSS < 150 MB', hm.value < 150, `${hm.value.toFixed(0)} MB`);
  const hu = ctx.report.find(IDLE_UI, 'supervisor CPU', 'hearth');
  if (hu) ctx.report.target(IDLE_UI, 'Hearth CPU < 2% of one core', hu.value < 2, `${hu.value.toFixed(2)}%`);
  if (ctx.systems.includes('hearth')) await emptyNode(ctx);
  bareTargets(ctx);
}

/** The no-checks targets: idle CPU below pm2, private memory below both peers, peak RSS near an empty Node process. */
function bareTargets(ctx: BenchContext): void {
  const row = (metric: string, system: Row['system']) => ctx.report.find(IDLE_BARE, metric, system);
  const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
  const cpu = row('supervisor CPU', 'hearth');
  const pm2Cpu = row('supervisor CPU', 'pm2');
  if (cpu) {
    const sv = row('supervisor CPU', 'supervisord');
    ctx.report.target(
      IDLE_BARE,
      'Hearth idle CPU below pm2 (no checks, 60 s after the first memory-reducing GC)',
      pm2Cpu ? cpu.value < pm2Cpu.value : null,
      pm2Cpu
        ? `Hearth ${cpu.value.toFixed(3)}%, pm2 ${pm2Cpu.value.toFixed(3)}% (${x(cpu.value, pm2Cpu.value)})${sv ? `; supervisord ${sv.value.toFixed(3)}%` : ''}${cpu.note ? `; Hearth ${cpu.note}` : ''}${pm2Cpu.note ? `; pm2 ${pm2Cpu.note} (then it fell in the window)` : ''}`
        : 'pm2 not measured',
    );
  }
  const uss = row('supervisor private memory', 'hearth');
  if (uss) {
    const peers = (['pm2', 'supervisord'] as const).map((s) => row('supervisor private memory', s)).filter((r) => r !== undefined);
    ctx.report.target(
      IDLE_BARE,
      "Hearth private memory (USS) below supervisord's and pm2's",
      peers.length === 2 ? peers.every((p) => uss.value < p.value) : null,
      [`Hearth ${uss.value.toFixed(1)} MB`, ...peers.map((p) => `${p.system} ${p.value.toFixed(1)} MB (${x(uss.value, p.value)})`)].join(', '),
    );
  }
  const rss = row('supervisor peak RSS', 'hearth');
  const empty = row('supervisor peak RSS', 'empty node');
  if (rss) {
    ctx.report.target(
      IDLE_BARE,
      `Hearth peak RSS within ${RSS_OVER_EMPTY_NODE_MB} MB of an empty Node process`,
      empty ? rss.value - empty.value <= RSS_OVER_EMPTY_NODE_MB : null,
      empty ? `Hearth ${rss.value.toFixed(1)} MB, a Node process running nothing ${empty.value.toFixed(1)} MB: +${(rss.value - empty.value).toFixed(1)} MB (${x(rss.value, empty.value)})` : 'empty node not measured',
    );
  }
}

/** The figure's services: one tiny HTTP server on each port, checked every `interval` s (none: unchecked). */
export function httpServices(launchers: Launchers, ports: readonly number[], interval: number | undefined): ServiceSpec[] {
  return ports.map((port, i) => ({
    name: `svc-${String(i + 1).padStart(2, '0')}`,
    argv: [process.execPath, ...launchers.httpServer, '{port}'],
    port,
    healthIntervalSecs: interval,
    restart: true,
  }));
}

/**
 * Reference row "empty node": the same `node` binary running an empty timer, measured as the supervisors
 * are (peak RSS and private memory from /proc, CPU over a window). It is the least any Node supervisor
 * (Hearth, pm2, the baseline) can hold, whatever it does.
 */
async function emptyNode(ctx: BenchContext): Promise<void> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 2 ** 30); process.stdout.write("ready\\n")'], { env: ctx.env, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await new Promise((r) => child.stdout.once('data', r));
    await sleep(3000); // past start-up: the module loader's work is done and collected
    const pid = child.pid!;
    const cpu = await cpuPercentOver(pid, ctx.opts.quick ? 2000 : 5000);
    const mem = memory(pid)!;
    const own = privateMemory(pid) ?? 0;
    const mb = (b: number): number => b / 2 ** 20;
    ctx.log(`  empty node (reference): CPU ${cpu.toFixed(3)}% of a core, peak RSS ${mb(mem.hwm).toFixed(1)} MB, ${mb(own).toFixed(1)} MB private`);
    ctx.report.add({ figure: IDLE_BARE, metric: 'supervisor CPU', unit: '% core', system: 'empty node', value: cpu, runs: [cpu], lowerIsBetter: true });
    ctx.report.add({ figure: IDLE_BARE, metric: 'supervisor peak RSS', unit: 'MB', system: 'empty node', value: mb(mem.hwm), runs: [mb(mem.hwm)], lowerIsBetter: true });
    ctx.report.add({ figure: IDLE_BARE, metric: 'supervisor private memory', unit: 'MB', system: 'empty node', value: mb(own), runs: [mb(own)], lowerIsBetter: true });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * --trace-gc lines summed up by kind: "7 Scavenge (16.0 ms); 2 Mark-Compact (reduce) at 48.7, 49.3 s (9.7 ms)".
 * Times count from the process start; the pause is the main thread's (marking helpers are not in it).
 */
function gcSummary(lines: string[]): string {
  const kinds = new Map<string, { n: number; ms: number; at: string[] }>();
  for (const line of lines) {
    const m = /\s(\d+) ms: (.+?) [\d.]+ \([\d.]+\) -> .*?MB, ([\d.]+) \//.exec(line);
    const kind = m?.[2] ?? 'unparsed';
    const k = kinds.get(kind) ?? { n: 0, ms: 0, at: [] };
    k.n++;
    k.ms += Number(m?.[3] ?? 0);
    k.at.push((Number(m?.[1] ?? 0) / 1000).toFixed(1));
    kinds.set(kind, k);
  }
  return [...kinds]
    .map(([kind, k]) => `${k.n} ${kind}${kind === 'Scavenge' ? '' : ` at ${k.at.join(', ')} s`} (${k.ms.toFixed(1)} ms)`)
    .join('; ');
}

/** Waits for V8's first memory-reducing collection (where the driver can see collections), else a fixed settle; says which. */
async function settleNoChecks(driver: SystemDriver): Promise<string> {
  const gcs = driver.gcs;
  if (!gcs) {
    await sleep(SETTLE_NO_CHECKS_MS);
    return `after a ${SETTLE_NO_CHECKS_MS / 1000} s settle (its collections cannot be seen)`;
  }
  const t0 = performance.now();
  while (!gcs().some((line) => REDUCING_GC.test(line))) {
    if (performance.now() - t0 > REDUCE_WAIT_MS) return `with no memory-reducing collection within ${REDUCE_WAIT_MS / 1000} s`;
    await sleep(250);
  }
  await reducerDone(gcs);
  return `${((performance.now() - t0) / 1000).toFixed(1)} s after all were up, once the memory reducer's collections were behind`;
}

async function idle(
  ctx: BenchContext,
  figure: string,
  system: SystemName,
  services: ServiceSpec[],
  ports: number[],
  secs: number,
  kind: IdleKind,
): Promise<void> {
  const { label, log, checked } = IDLE_KINDS[kind];
  // Hearth headless is measured as people run it, `hearth up`; with a UI open, the host stands in for
  // the desktop app or `hearth serve` (it is driven to turn on what an open UI turns on).
  const driver = await openSystem(ctx, system, services, label, kind === 'ui' ? 'host' : 'up');
  try {
    await startAndWait(driver, ports, checked);
    if (kind === 'ui') await driver.watchResources?.();
    // Let start-up work settle: JIT and every service's first checks. With no checks the figure compares
    // the peers at a few hundredths of a percent, so also V8's one memory-reducing collection after
    // start, where it can be seen: the window starts once it is behind.
    const reduced = checked ? null : await settleNoChecks(driver);
    if (checked) await sleep(2000);
    const kids = descendants(driver.pid);
    const gc0 = driver.gcs?.().length ?? 0;
    const c0 = runSeconds(driver.pid)!;
    const k0 = cpuSecondsOf(kids);
    const t0 = performance.now();
    await sleep(secs * 1000); // the measurement window itself
    const wall = (performance.now() - t0) / 1000;
    // Read before profiling: the profiler's own cost stays out of the figure.
    const cpu = ((runSeconds(driver.pid)! - c0) / wall) * 100;
    const gcs = driver.gcs?.().slice(gc0) ?? [];
    const kidsCpu = ((cpuSecondsOf(kids) - k0) / wall) * 100;
    const prof = process.env.HEARTH_BENCH_PROF;
    if (prof && driver.profile) {
      await driver.profile('start');
      await sleep(10_000);
      await driver.profile('stop', join(prof, `${label}-${system}-${Date.now()}.cpuprofile`));
    }
    const mem = memory(driver.pid)!;
    const own = privateMemory(driver.pid) ?? 0;
    const kidsRss = kids.reduce((sum, p) => sum + (memory(p)?.rss ?? 0), 0);
    const mb = (b: number): number => b / 2 ** 20;
    ctx.log(
      `  ${system} ${log} ${wall.toFixed(1)} s: own CPU ${cpu.toFixed(2)}% of a core, peak RSS ${mb(mem.hwm).toFixed(0)} MB (now ${mb(mem.rss).toFixed(0)} MB, ${mb(own).toFixed(0)} MB of it private); ${kids.length} children: CPU ${kidsCpu.toFixed(2)}%, RSS ${mb(kidsRss).toFixed(0)} MB`,
    );
    // A quiet window has no exits; when one has them, the log says so (they cost the supervisor CPU).
    const exits = driver.exits?.() ?? [];
    if (exits.length > 0) ctx.log(`  ${system} ${log} printed ${exits.length} exit/restart line(s), first: ${exits.slice(0, 3).join(' / ')}`);
    // Where a window's CPU came from when it was not the checks: V8 collecting (its memory reducer
    // compacts the heap once, some 8-50 s after start, whenever it judges the process idle).
    if (gcs.length > 0) ctx.log(`  ${system} ${log} V8 collected in the window: ${gcSummary(gcs)}`);
    if (reduced) ctx.log(`  ${system} ${log} window started ${reduced}`);
    const note = reduced?.startsWith('with no') ? reduced : undefined;
    ctx.report.add({ figure, metric: 'supervisor CPU', unit: '% core', system, value: cpu, runs: [cpu], lowerIsBetter: true, note });
    ctx.report.add({ figure, metric: 'supervisor peak RSS', unit: 'MB', system, value: mb(mem.hwm), runs: [mb(mem.hwm)], lowerIsBetter: true });
    ctx.report.add({ figure, metric: 'supervisor private memory', unit: 'MB', system, value: mb(own), runs: [mb(own)], lowerIsBetter: true });
    ctx.report.add({ figure, metric: 'children CPU', unit: '% core', system, value: kidsCpu, runs: [kidsCpu], lowerIsBetter: true });
    await stopAndWait(driver);
  } finally {
    await driver.close();
  }
}
