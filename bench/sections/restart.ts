// Figure 3, restart latency: the service's process is killed with SIGKILL; time until its new process
// runs. Every system is watched the same way: the bench polls the supervisor's process tree in /proc
// every millisecond for a new `sleep` (Hearth starts a plain-words command such as this one directly, without /bin/sh).
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { openSystem, type BenchContext } from '../lib/context';
import { descendants } from '../lib/proc';
import { percentile } from '../lib/stats';
import { sleep, waitUntil } from '../lib/wait';
import type { SystemName } from '../systems/types';

const FIGURE = 'restart latency';
const MARK = '86399'; // `sleep 86399`: a workload no other process on the machine runs

function findSleeper(supervisorPid: number): number | null {
  for (const pid of descendants(supervisorPid, true)) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (basename(argv[0] ?? '') === 'sleep' && argv[1] === MARK) return pid;
    } catch {
      // exited meanwhile
    }
  }
  return null;
}

async function measure(ctx: BenchContext, system: SystemName, kills: number): Promise<number[]> {
  const driver = await openSystem(ctx, system, [{ name: 'sleeper', argv: ['/bin/sleep', MARK], restart: true }], 'restart');
  try {
    await driver.start();
    let pid = await waitUntil(() => findSleeper(driver.pid), 'the first sleeper', { timeoutMs: 15_000, everyMs: 5 });
    const out: number[] = [];
    for (let k = 0; k < kills; k++) {
      // Let the new process settle (pm2's min_uptime is 100 ms) before the next kill.
      await sleep(250);
      const t0 = performance.now();
      process.kill(pid, 'SIGKILL');
      let next: number | null = null;
      while ((next = findSleeper(driver.pid)) === null || next === pid) {
        if (performance.now() - t0 > 10_000) throw new Error(`no new process within 10 s after kill ${k + 1}`);
        await sleep(1);
      }
      out.push(performance.now() - t0);
      pid = next;
    }
    await driver.stop();
    return out;
  } finally {
    await driver.close();
  }
}

export async function restartLatency(ctx: BenchContext): Promise<void> {
  const kills = ctx.opts.quick ? 8 : 20;
  ctx.log(`${FIGURE}: ${kills} SIGKILLs per system, 250 ms apart, 1 ms /proc polling (resolution ~1 ms)`);
  for (const system of ['baseline', ...ctx.systems.filter((s) => s !== 'baseline')] as SystemName[]) {
    try {
      const ms = await measure(ctx, system, kills);
      ctx.log(`  ${system}: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
      ctx.report.add({ figure: FIGURE, metric: 'p50', unit: 'ms', system, value: percentile(ms, 50), runs: ms, lowerIsBetter: true });
      ctx.report.add({ figure: FIGURE, metric: 'p95', unit: 'ms', system, value: percentile(ms, 95), runs: ms, lowerIsBetter: true });
    } catch (error) {
      ctx.report.skip(FIGURE, system, `failed: ${(error as Error).message}`);
    }
  }
  const h = ctx.report.find(FIGURE, 'p50', 'hearth');
  if (h) {
    ctx.report.target(FIGURE, 'Hearth p50 < 50 ms', h.value < 50, `${h.value.toFixed(1)} ms`);
    const peers = (['pm2', 'supervisord'] as const).map((s) => ctx.report.find(FIGURE, 'p50', s)).filter((r) => r !== undefined);
    ctx.report.target(
      FIGURE,
      'Hearth p50 ahead of both peers',
      peers.length === 2 ? peers.every((p) => h.value < p.value) : null,
      peers.map((p) => `${p.system} ${p.value.toFixed(1)} ms`).join(', ') || 'no peer measured',
    );
  }
}
