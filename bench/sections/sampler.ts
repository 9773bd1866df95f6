// The resource sample (what runs every 2 s while a UI shows CPU/RSS): 50 services' process trees.
// Baseline: a full /proc scan each time (sampleTrees), whose cost grows with every process on the
// machine. Hearth: the TreeSampler the supervisor uses, which rescans every 5th sample or when a tree
// changed and otherwise re-reads only the processes it knows. Hearth-only; the peers sample no trees.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { sampleTrees, TreeSampler } from '../../electron/supervisor/resources/proc-usage';
import type { BenchContext } from '../lib/context';
import { median } from '../lib/stats';

const FIGURE = 'resource sample (50 trees)';
const TREES = 50;

/** CPU time of this process per call of `fn`, in ms. */
function cpuPerCall(fn: () => void, calls: number): number {
  fn(); // warm up (and, for the sampler, its first full scan)
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / calls;
}

export async function resourceSample(ctx: BenchContext): Promise<void> {
  if (process.platform !== 'linux') return ctx.report.skip(FIGURE, 'hearth', 'needs /proc (Linux)');
  const runs = ctx.opts.quick ? 1 : 3;
  const calls = ctx.opts.quick ? 100 : 300;
  const kids: ChildProcess[] = Array.from({ length: TREES }, () => spawn('sleep', ['86399'], { env: ctx.env, stdio: 'ignore', detached: true }));
  try {
    const roots = kids.map((k) => k.pid!);
    const processes = readdirSync('/proc').filter((f) => /^\d+$/.test(f)).length;
    ctx.log(`${FIGURE}: ${TREES} trees, ${processes} processes on the machine, ${calls} samples per run, ${runs} run(s)`);
    const full: number[] = [];
    const hearth: number[] = [];
    for (let r = 1; r <= runs; r++) {
      full.push(cpuPerCall(() => sampleTrees(roots), calls));
      const sampler = new TreeSampler();
      hearth.push(cpuPerCall(() => sampler.sample(roots), calls));
      ctx.log(`  run ${r}: full scan ${full.at(-1)!.toFixed(2)} ms, TreeSampler ${hearth.at(-1)!.toFixed(2)} ms of CPU per sample`);
    }
    ctx.report.add({ figure: FIGURE, metric: 'CPU per sample', unit: 'ms', system: 'baseline', value: median(full), runs: full, lowerIsBetter: true });
    ctx.report.add({ figure: FIGURE, metric: 'CPU per sample', unit: 'ms', system: 'hearth', value: median(hearth), runs: hearth, lowerIsBetter: true });
  } finally {
    for (const k of kids) k.kill('SIGKILL');
  }
}
