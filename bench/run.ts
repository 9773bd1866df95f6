// `npm run bench`: Hearth against the physical limit (a baseline measured in the same invocation) and
// against pm2 and supervisord, side by side. Never part of `npm test`. See BENCHMARKS.md.
//   npm run bench                     everything (~20 minutes on 2 cores)
//   npm run bench -- --quick          fewer lines, runs and seconds (a smoke run, ~8 minutes)
//   npm run bench -- --only=restart,ports   sections: ports, sampler, restart, ingest, fleet, marginal, scale, cli, ui
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildEntries } from './lib/build';
import type { BenchContext } from './lib/context';
import { pidsWithEnv } from './lib/proc';
import { Report } from './lib/report';
import { cliCost } from './sections/cli';
import { fleet } from './sections/fleet';
import { logIngest } from './sections/log-ingest';
import { marginalMemory } from './sections/marginal';
import { scaleCost } from './sections/scale';
import { portAllocation } from './sections/ports';
import { resourceSample } from './sections/sampler';
import { restartLatency } from './sections/restart';
import { uiUnderLoad } from './sections/ui';
import { pm2Version } from './systems/pm2';
import { findSupervisord } from './systems/supervisord';
import type { SystemName } from './systems/types';

const SECTIONS = {
  ports: portAllocation,
  sampler: resourceSample,
  restart: restartLatency,
  ingest: logIngest,
  fleet,
  marginal: marginalMemory,
  scale: scaleCost,
  cli: cliCost,
  ui: uiUnderLoad,
} as const;

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const only = (args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? []).filter(Boolean);
for (const name of only) if (!(name in SECTIONS)) throw new Error(`unknown section "${name}" (sections: ${Object.keys(SECTIONS).join(', ')})`);

const work = mkdtempSync(join(os.tmpdir(), 'hearth-bench-'));
// Every process the bench starts (and their children, pm2's daemon included) carries this variable,
// so whatever is left at the end is found by it and killed, by pid.
const markerKey = 'HEARTH_BENCH_RUN';
const markerValue = randomBytes(6).toString('hex');
process.env[markerKey] = markerValue;
process.env.PM2_HOME = join(work, 'pm2-home');
process.env.PM2_NO_INTERACTION = 'true';
process.env.PM2_DISCRETE_MODE = 'true';
process.env.PM2_SILENT = 'true';
// pm2's daemon reports its collections (in pm2.log), as `hearth up` does on stderr: the idle figure
// with no checks starts its window once V8's first memory-reducing collection is behind both.
process.env.PM2_NODE_OPTIONS = '--trace-gc';
mkdirSync(process.env.PM2_HOME, { recursive: true });

const log = (m: string): void => void process.stdout.write(`${m}\n`);

function cleanup(): void {
  try {
    const pid = Number(readFileSync(join(process.env.PM2_HOME!, 'pm2.pid'), 'utf8'));
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // no pm2 daemon running
  }
  for (const pid of pidsWithEnv(`${markerKey}=${markerValue}`)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (!keep) rmSync(work, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  log('\ninterrupted: stopping everything the bench started');
  cleanup();
  process.exit(130);
});

async function main(): Promise<void> {
  const started = Date.now();
  const report = new Report();
  const pm2 = pm2Version();
  const sv = findSupervisord();
  const systems: SystemName[] = ['baseline', 'hearth'];
  if (pm2) systems.push('pm2');
  else report.skip('all', 'pm2', 'pm2 is not installed (npm install: it is a devDependency)');
  if (sv) systems.push('supervisord');
  else report.skip('all', 'supervisord', 'supervisord not found; install it with `apt-get install supervisor` (Debian/Ubuntu)');
  const build = await buildEntries(root, join(root, 'bench', 'results', 'build'));
  const cpus = os.cpus();
  const machine = {
    cpu: `${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pm2: pm2 ?? 'absent',
    supervisord: sv?.version ?? 'absent',
    load_at_start: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
  log(`Hearth bench${quick ? ' (--quick)' : ''}: ${Object.entries(machine).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  log(`measured processes ${build.how}; temp folder ${work}\n`);
  const ctx: BenchContext = { root, work, env: { ...process.env }, launchers: build.launchers, report, opts: { quick, only }, systems, supervisordExe: sv?.path ?? null, log };
  const timings: Record<string, number> = {};
  for (const [name, section] of Object.entries(SECTIONS)) {
    if (only.length && !only.includes(name)) continue;
    const t0 = Date.now();
    try {
      await section(ctx);
    } catch (error) {
      report.skip(name, 'all', `section failed: ${(error as Error).stack ?? String(error)}`);
    }
    timings[name] = (Date.now() - t0) / 1000;
    log(`  (${name}: ${timings[name]!.toFixed(0)} s)\n`);
  }
  const total = (Date.now() - started) / 1000;
  log(report.table());
  log(`\nx baseline / x hearth = this row's median divided by the baseline's / Hearth's (same figure and metric).\n`);
  if (report.targets.length) log(`Targets:\n${report.targetsText()}\n`);
  if (report.skips.length) log(`Skipped:\n${report.skips.map((s) => `  ${s.figure} [${s.system}]: ${s.reason.split('\n')[0]}`).join('\n')}\n`);
  // 60 s idle windows after V8's reducer and the 200-service figures take their time: 25 minutes at most.
  log(`total ${total.toFixed(0)} s${total > 1500 ? ' (over the 25-minute budget!)' : ''}`);
  const resultsDir = join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const json = {
    when: new Date(started).toISOString(),
    quick,
    machine,
    how: build.how,
    seconds: { total, ...timings },
    rows: report.rows.map((r) => ({ ...r, x_baseline: report.ratio(r, 'baseline'), x_hearth: report.ratio(r, 'hearth') })),
    targets: report.targets,
    skips: report.skips,
  };
  const file = join(resultsDir, `bench-${json.when.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  log(`results: ${file}`);
}

try {
  await main();
} finally {
  cleanup();
}
// pm2's client keeps sockets open; the bench is done.
process.exit(0);
