// The `hearth` command as people run it: bin/hearth.js, which runs the CLI bundled into out/cli/.
// Baseline: the same CLI run from the TypeScript sources through tsx's loader, as bin/hearth.js did
// before and still does when no bundle can be built. Start-up: the wall time of `hearth --version`.
// Memory: `hearth up` of 50 services without health checks; the hearth process's peak RSS once all
// 50 started, and its RSS after a settle. Hearth-only: the peers have no such choice to make.
// The terminal path: `hearth up` of a job printing a million lines with every line printed (stdout
// /dev/null) against `hearth up -d` (none printed), both until the last line is in the log file.
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshDir, type BenchContext } from '../lib/context';
import { tailText } from '../lib/files';
import { interrupt, memory } from '../lib/proc';
import { median } from '../lib/stats';
import { sleep, waitUntil } from '../lib/wait';
import { writerLine } from '../workloads/writer';

const FIGURE = 'hearth CLI';
const SERVICES = 50;

interface Way {
  system: 'baseline' | 'hearth';
  label: string;
  /** node arguments that run `hearth ARGS`. */
  argv: (args: string[]) => string[];
}

function ways(root: string): Way[] {
  const main = pathToFileURL(join(root, 'electron', 'cli', 'main.ts')).href;
  const fromSources = `import { register } from 'tsx/esm/api'; register(); const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(1));`;
  return [
    { system: 'baseline', label: 'sources through tsx', argv: (args) => ['--input-type=module', '-e', fromSources, '--', ...args] },
    { system: 'hearth', label: 'bin/hearth.js (bundled)', argv: (args) => [join(root, 'bin', 'hearth.js'), ...args] },
  ];
}

async function versionMs(ctx: BenchContext, way: Way): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, way.argv(['--version']), { cwd: ctx.root, env: ctx.env, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`hearth --version (${way.label}) exited with ${code}`);
  return performance.now() - t0;
}

async function upMemory(ctx: BenchContext, way: Way, settleMs: number): Promise<{ hwm: number; rss: number }> {
  const dir = freshDir(ctx, `cli-${way.system}`);
  const file = join(dir, 'hearth.yaml');
  const services = Array.from({ length: SERVICES }, (_, i) => `  s${i}:\n    cmd: sleep 86399\n`).join('');
  writeFileSync(file, `services:\n${services}`);
  const child = spawn(process.execPath, way.argv(['up', '-f', file]), { cwd: ctx.root, env: { ...ctx.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  try {
    await waitUntil(() => (output.match(/started pid/g)?.length ?? 0) >= SERVICES, `${SERVICES} services started (${way.label})`, { timeoutMs: 60_000, everyMs: 50 });
    await sleep(settleMs); // a settle before reading the steady RSS, not a wait for an event
    const mem = memory(child.pid!);
    if (!mem) throw new Error(`hearth up (${way.label}) is gone:\n${output.slice(-2000)}`);
    return { hwm: mem.hwm / 2 ** 20, rss: mem.rss / 2 ** 20 };
  } finally {
    await interrupt(child, 20_000); // hearth up stops its services on Ctrl-C
  }
}

/**
 * `hearth up` of one job printing `lines` lines as fast as it can: seconds from the command until the
 * last line is in the log file. `foreground`: `hearth up` printing every line to its stdout, here
 * /dev/null (the cost of formatting and writing the terminal's copy, with no terminal to wait for);
 * `background`: `hearth up -d`, which prints no lines (stopped afterwards with `hearth down`).
 */
async function upFlood(ctx: BenchContext, way: Way, lines: number, mode: 'foreground' | 'background'): Promise<number> {
  const dir = freshDir(ctx, `cli-flood-${mode}`);
  const file = join(dir, 'hearth.yaml');
  const cmd = [process.execPath, ...ctx.launchers.writer, String(lines)].map((a) => JSON.stringify(a)).join(' ');
  writeFileSync(file, `services:\n  writer:\n    cmd: ${JSON.stringify(cmd)}\n    service: false\n    logs: { max_bytes: 1073741824, keep: 1 }\n`);
  const log = join(dir, '.hearth', 'sandbox', 'writer', '.logs', 'writer.log');
  const last = writerLine(lines - 1).trimEnd();
  const env = { ...ctx.env, NO_COLOR: '1' };
  const t0 = performance.now();
  const args = mode === 'foreground' ? ['up', '-f', file] : ['up', '-d', '-f', file];
  const devNull = openSync('/dev/null', 'w');
  const child = spawn(process.execPath, way.argv(args), { cwd: ctx.root, env, stdio: ['ignore', mode === 'foreground' ? devNull : 'ignore', 'ignore'] });
  closeSync(devNull);
  try {
    await waitUntil(() => tailText(log, 4096).includes(last), `${lines} lines in ${log}`, { timeoutMs: 120_000, everyMs: 10 });
    return (performance.now() - t0) / 1000;
  } finally {
    if (mode === 'foreground') await interrupt(child, 20_000);
    else {
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      const down = spawn(process.execPath, way.argv(['down', '-f', file]), { cwd: ctx.root, env, stdio: 'ignore' });
      await new Promise((resolve) => down.once('exit', resolve));
    }
  }
}

export async function cliCost(ctx: BenchContext): Promise<void> {
  const starts = ctx.opts.quick ? 3 : 7;
  const settleMs = ctx.opts.quick ? 3000 : 10_000;
  const list = ways(ctx.root);
  ctx.log(`${FIGURE}: --version x ${starts} per way, then up of ${SERVICES} services (settle ${settleMs / 1000} s); ways: ${list.map((w) => w.label).join(', ')}`);
  // Untimed first runs: they build the bundle and fill tsx's transpile cache, as any earlier use would.
  for (const way of list) await versionMs(ctx, way);
  const times = new Map<Way, number[]>(list.map((w) => [w, []]));
  for (let i = 0; i < starts; i++) for (const way of list) times.get(way)!.push(await versionMs(ctx, way));
  for (const way of list) {
    const t = times.get(way)!;
    ctx.log(`  ${way.label}: --version ${t.map((x) => x.toFixed(0)).join(', ')} ms`);
    ctx.report.add({ figure: FIGURE, metric: 'start to --version', unit: 'ms', system: way.system, value: median(t), runs: t, lowerIsBetter: true });
  }
  for (const way of list) {
    const m = await upMemory(ctx, way, settleMs);
    ctx.log(`  ${way.label}: up of ${SERVICES}: peak RSS ${m.hwm.toFixed(1)} MB, after ${settleMs / 1000} s ${m.rss.toFixed(1)} MB`);
    ctx.report.add({ figure: FIGURE, metric: `up (${SERVICES} svc): peak RSS`, unit: 'MB', system: way.system, value: m.hwm, runs: [m.hwm], lowerIsBetter: true });
    ctx.report.add({ figure: FIGURE, metric: `up (${SERVICES} svc): RSS settled`, unit: 'MB', system: way.system, value: m.rss, runs: [m.rss], lowerIsBetter: true });
  }
  // Hearth's way only: what printing every line to the terminal costs over not printing them (`up -d`).
  const hearth = list.find((w) => w.system === 'hearth')!;
  const lines = ctx.opts.quick ? 200_000 : 1_000_000;
  const floods = { foreground: [] as number[], background: [] as number[] };
  for (let r = 0; r < (ctx.opts.quick ? 1 : 3); r++) {
    for (const mode of ['background', 'foreground'] as const) {
      floods[mode].push(await upFlood(ctx, hearth, lines, mode));
      ctx.log(`  up${mode === 'background' ? ' -d' : ', stdout /dev/null'}: a job printing ${lines.toLocaleString('en')} lines, all on disk after ${floods[mode].at(-1)!.toFixed(2)} s`);
    }
  }
  const metric = (mode: string) => `up, ${lines / 1000}k lines to disk: ${mode}`;
  // The background run is the baseline: the same lines through the same supervisor, none printed.
  ctx.report.add({ figure: FIGURE, metric: metric('printed'), unit: 's', system: 'baseline', value: median(floods.background), runs: floods.background, lowerIsBetter: true, note: 'hearth up -d: nothing printed' });
  ctx.report.add({ figure: FIGURE, metric: metric('printed'), unit: 's', system: 'hearth', value: median(floods.foreground), runs: floods.foreground, lowerIsBetter: true, note: 'hearth up, stdout /dev/null' });
  const fg = median(floods.foreground);
  const bg = median(floods.background);
  ctx.report.target(FIGURE, 'hearth up printing every line costs <= 25% more than up -d', fg <= 1.25 * bg, `${fg.toFixed(2)} s against ${bg.toFixed(2)} s: ${(fg / bg).toFixed(2)}x (${lines.toLocaleString('en')} lines)`);
}
