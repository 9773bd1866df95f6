// Figure 1, log ingestion: one service prints N lines of 100 bytes as fast as it can; time from the
// start command until every line is on disk in the service's log (and, for Hearth, through the
// supervisor: ring + subscribers). Baseline: the same writer redirected to a file by the shell.
// Reference row "node pipe": a bare Node process writing the writer's pipe into a file unchanged as
// it arrives, the ceiling for any supervisor that reads its children through Node pipes (Hearth and
// pm2 both do). Then the same in warmed supervisors (a first job's lines through the same process):
// a fresh process pays its JIT tier-up and young-generation growth inside the timed lines.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { freshDir, openSystem, type BenchContext } from '../lib/context';
import { sizeOf, tailText } from '../lib/files';
import { cpuSeconds, memory } from '../lib/proc';
import { median } from '../lib/stats';
import { sleep } from '../lib/wait';
import type { SystemName } from '../systems/types';
import { LINE_BYTES, writerLine } from '../workloads/writer';

const FIGURE = 'log ingestion';

interface Outcome {
  secs: number;
  cpu: number | null;
  hwm: number | null;
  lines: number;
  note?: string;
}

/**
 * Resolves with performance.now() when the last line reached `path`: once it holds `minBytes` and its
 * tail shows the last line. When lines are lost on the way the file never gets there: then it resolves
 * once the file stopped growing for STALL_MS, with the time of its last growth (the loss is reported
 * separately, from the line count).
 */
const STALL_MS = 1500;
async function fileComplete(path: string, minBytes: number, lastLine: string, timeoutMs: number): Promise<number> {
  const start = performance.now();
  let lastSize = -1;
  let lastChange = start;
  for (;;) {
    const size = sizeOf(path);
    const now = performance.now();
    if (size !== lastSize) {
      lastSize = size;
      lastChange = now;
      if (size >= minBytes && tailText(path, 4096).includes(lastLine)) return now;
    }
    if (size > 0 && now - lastChange > STALL_MS) return lastChange;
    if (now - start > timeoutMs) throw new Error(`log incomplete after ${timeoutMs} ms (${size} of >=${minBytes} bytes)`);
    await sleep(5);
  }
}

/** Lines of the writer found in a log file, and lines the supervisor reported as dropped. */
async function countLines(path: string): Promise<{ lines: number; dropped: number }> {
  let lines = 0;
  let dropped = 0;
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 8 << 20 })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop()!;
    for (const l of parts) {
      if (l.includes('quick brown fox')) lines++;
      else {
        const m = /(\d+) log lines were not written/.exec(l);
        if (m) dropped += Number(m[1]);
      }
    }
  }
  return { lines, dropped };
}

async function baselineRun(ctx: BenchContext, n: number): Promise<Outcome> {
  const file = join(freshDir(ctx, 'ingest-baseline'), 'writer.log');
  const writer = [process.execPath, ...ctx.launchers.writer, String(n)].map((a) => `'${a}'`).join(' ');
  const t0 = performance.now();
  const child = spawn('/bin/sh', ['-c', `exec ${writer} > '${file}'`], { env: ctx.env, stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  const secs = (performance.now() - t0) / 1000;
  const { lines } = await countLines(file);
  return { secs, cpu: null, hwm: null, lines };
}

async function nodePipeRun(ctx: BenchContext, n: number): Promise<Outcome> {
  const file = join(freshDir(ctx, 'ingest-node-pipe'), 'writer.log');
  const child = spawn(process.execPath, [...ctx.launchers.pipeCopy, file, process.execPath, ...ctx.launchers.writer, String(n)], { env: ctx.env, stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise((r) => child.stdout.once('data', r)); // "ready": timed from here, as the supervisors
  const t0 = performance.now();
  child.stdin.end('go\n');
  await exited;
  const secs = (performance.now() - t0) / 1000;
  const { lines } = await countLines(file);
  return { secs, cpu: null, hwm: null, lines };
}

/**
 * One system ingesting `n` lines. With `warm` > 0 the same supervisor first ingests `warm` lines from
 * another job (waited for on disk, and for Hearth through the ring), so the measured lines meet a
 * process whose JIT has tiered up and whose young generation has grown, as in a supervisor that has
 * run for a while; only the second job is timed.
 */
async function systemRun(ctx: BenchContext, system: SystemName, n: number, warm = 0): Promise<Outcome> {
  const argv = [process.execPath, ...ctx.launchers.writer, String(n)];
  const warmup = warm > 0 ? [{ name: 'warmup', argv: [process.execPath, ...ctx.launchers.writer, String(warm)], restart: false }] : [];
  const driver = await openSystem(ctx, system, [...warmup, { name: 'writer', argv, restart: false }], warm > 0 ? 'ingest-warm' : 'ingest');
  try {
    const timeoutMs = 180_000;
    if (warm > 0) {
      const w = await driver.logFile('warmup');
      const ring = driver.waitLines?.('warmup', warm, timeoutMs);
      await driver.start(['warmup']);
      await fileComplete(w.path, warm * (LINE_BYTES + w.perLineOverhead), writerLine(warm - 1).trimEnd(), timeoutMs);
      await ring;
    }
    const { path, perLineOverhead } = await driver.logFile('writer');
    const before = sizeOf(path);
    const cpu0 = cpuSeconds(driver.pid) ?? 0;
    const t0 = performance.now();
    const ring = driver.waitLines?.('writer', n, timeoutMs).then(() => performance.now());
    await driver.start(['writer']);
    const onDisk = await fileComplete(path, before + n * (LINE_BYTES + perLineOverhead), writerLine(n - 1).trimEnd(), timeoutMs);
    const done = Math.max(onDisk, (await ring) ?? 0);
    const secs = (done - t0) / 1000;
    const cpu = (cpuSeconds(driver.pid) ?? cpu0) - cpu0;
    const hwm = memory(driver.pid)?.hwm ?? null;
    const { lines, dropped } = await countLines(path);
    const note = lines !== n ? `${n - lines} lines missing${dropped ? ` (${dropped} reported dropped)` : ''}` : undefined;
    return { secs, cpu, hwm, lines, note };
  } finally {
    await driver.close();
  }
}

export async function logIngest(ctx: BenchContext): Promise<void> {
  const n = ctx.opts.quick ? 200_000 : 1_000_000;
  const runs = ctx.opts.quick ? 1 : 3;
  const mb = (n * LINE_BYTES) / 1e6;
  ctx.log(`${FIGURE}: ${n.toLocaleString('en')} lines x ${LINE_BYTES} B (${mb} MB), ${runs} run(s) per system, systems interleaved per run`);
  type Column = SystemName | 'node pipe';
  const said = (o: Outcome): string => `${o.secs.toFixed(2)} s, ${(mb / o.secs).toFixed(1)} MB/s${o.cpu !== null ? `, own CPU ${o.cpu.toFixed(2)} s` : ''}${o.note ? `, ${o.note}` : ''}`;
  /** `runs` rounds over `columns`, interleaved; a failed run is logged and left out. */
  const rounds = async (label: string, columns: Column[], run: (c: Column) => Promise<Outcome>): Promise<Map<Column, Outcome[]>> => {
    const out = new Map<Column, Outcome[]>(columns.map((c) => [c, []]));
    for (let r = 1; r <= runs; r++) {
      for (const column of columns) {
        try {
          const o = await run(column);
          out.get(column)!.push(o);
          ctx.log(`  ${label}${r} ${column}: ${said(o)}`);
        } catch (error) {
          ctx.log(`  ${label}${r} ${column}: FAILED ${(error as Error).message}`);
        }
      }
    }
    return out;
  };
  const systems: Column[] = ['baseline', 'node pipe', ...ctx.systems.filter((s) => s !== 'baseline')];
  const outcomes = await rounds('run ', systems, (s) => (s === 'baseline' ? baselineRun(ctx, n) : s === 'node pipe' ? nodePipeRun(ctx, n) : systemRun(ctx, s, n)));
  // The same again in supervisors that have run a while: each Hearth and pm2 first ingests another job's
  // n lines (JIT tiered up, young generation grown), then the timed n; a node pipe run between them, as
  // the reference of the same minutes. Information beside the target, which is judged on fresh processes.
  const warmSystems: Column[] = ['node pipe', ...ctx.systems.filter((s) => s === 'hearth' || s === 'pm2')];
  const warmed = await rounds('warmed run ', warmSystems, (s) => (s === 'node pipe' ? nodePipeRun(ctx, n) : systemRun(ctx, s, n, n)));
  for (const system of systems) {
    const list = outcomes.get(system)!;
    if (list.length === 0) {
      ctx.report.skip(FIGURE, system, 'every run failed (see the log above)');
      continue;
    }
    const notes = [...new Set(list.map((o) => o.note).filter(Boolean))].join('; ') || undefined;
    const rates = list.map((o) => mb / o.secs);
    ctx.report.add({ figure: FIGURE, metric: 'throughput', unit: 'MB/s', system, value: median(rates), runs: rates, lowerIsBetter: false, note: notes });
    const cpus = list.map((o) => o.cpu).filter((c): c is number => c !== null);
    if (cpus.length) ctx.report.add({ figure: FIGURE, metric: 'supervisor CPU', unit: 's', system, value: median(cpus), runs: cpus, lowerIsBetter: true });
    const hwms = list.map((o) => o.hwm).filter((c): c is number => c !== null).map((b) => b / 2 ** 20);
    if (hwms.length) ctx.report.add({ figure: FIGURE, metric: 'supervisor peak RSS', unit: 'MB', system, value: median(hwms), runs: hwms, lowerIsBetter: true });
    const lost = list.map((o) => n - o.lines);
    ctx.report.add({ figure: FIGURE, metric: 'lines lost', unit: `of ${n}`, system, value: median(lost), runs: lost, lowerIsBetter: true });
  }
  for (const [system, list] of warmed) {
    if (list.length === 0) continue;
    const rates = list.map((o) => mb / o.secs);
    const note = [...new Set(list.map((o) => o.note).filter(Boolean))].join('; ') || undefined;
    ctx.report.add({ figure: FIGURE, metric: 'throughput, warmed', unit: 'MB/s', system, value: median(rates), runs: rates, lowerIsBetter: false, note });
    const cpus = list.map((o) => o.cpu).filter((c): c is number => c !== null);
    if (cpus.length) ctx.report.add({ figure: FIGURE, metric: 'supervisor CPU, warmed', unit: 's', system, value: median(cpus), runs: cpus, lowerIsBetter: true });
  }
  const h = ctx.report.find(FIGURE, 'throughput', 'hearth');
  const b = ctx.report.find(FIGURE, 'throughput', 'baseline');
  const p = ctx.report.find(FIGURE, 'throughput', 'pm2');
  const np = ctx.report.find(FIGURE, 'throughput', 'node pipe');
  // The targets (issue 25): against the least a Node pipe reader does (Hearth and pm2 both read their
  // children through Node pipes), and against pm2. The shell's redirect (no reader) for scale.
  const shell = b && h ? `; the shell's redirect (no reader) ${b.value.toFixed(0)} MB/s, Hearth ${((100 * h.value) / b.value).toFixed(0)}% of it` : '';
  ctx.report.target(
    FIGURE,
    'Hearth >= 80% of a bare Node pipe reader',
    h && np ? h.value >= 0.8 * np.value : null,
    h && np ? `${((100 * h.value) / np.value).toFixed(0)}% (Hearth ${h.value.toFixed(1)} MB/s, node pipe ${np.value.toFixed(1)} MB/s)${shell}` : 'node pipe not measured',
  );
  ctx.report.target(FIGURE, 'Hearth above pm2', h && p ? h.value > p.value : null, h && p ? `${(h.value / p.value).toFixed(2)}x pm2 (${p.value.toFixed(1)} MB/s)` : 'pm2 not measured');
  if (h) ctx.report.target(FIGURE, 'every line on disk', !h.note, h.note ?? `all ${n} lines in every run`);
  const hw = ctx.report.find(FIGURE, 'throughput, warmed', 'hearth');
  const nw = ctx.report.find(FIGURE, 'throughput, warmed', 'node pipe');
  const pw = ctx.report.find(FIGURE, 'throughput, warmed', 'pm2');
  if (hw && nw) {
    const vsPm2 = pw ? `, ${(hw.value / pw.value).toFixed(2)}x pm2 warmed (${pw.value.toFixed(1)} MB/s)` : '';
    ctx.log(`  warmed (after a first ${n.toLocaleString('en')} lines in the same supervisor, not the target): Hearth ${((100 * hw.value) / nw.value).toFixed(0)}% of the node pipe reader (${hw.value.toFixed(1)} against ${nw.value.toFixed(1)} MB/s)${vsPm2}${hw.note ? `; ${hw.note}` : ''}`);
  }
}
