// A focused A/B of the fleet section's two health-checked idle windows, for work on what an open UI
// costs the host (bench/sections/fleet.ts measures them once each, with cold starts and peers around
// them, which does not fit a short locked run). Each round starts the bench host (bench/hearth-host.ts)
// with the same 50 HTTP services checked every 1 s, then measures its own CPU over a headless window
// and, after a resource watch (driver.watchResources, what an open UI holds), over a UI-open window.
// Builds are interleaved round by round, so a loaded machine weighs on both alike; read the ratios.
//   npx tsx bench/idle-ui.ts --save=DIR            bundle this tree's host into DIR (a baseline), exit
//   npx tsx bench/idle-ui.ts [--base=DIR] [--rounds=2] [--secs=20] [--prof=DIR]
// --base: also measure that saved build, each round before this tree's. --prof: CPU-profile each
// UI-open window after it was measured (bench/profile-top.ts summarises the files).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { buildEntries, type Launchers } from './lib/build';
import { cpuPercentOver } from './lib/proc';
import { sleep } from './lib/wait';
import { freePorts } from './lib/context';
import { httpServices } from './sections/fleet';
import { openHearth } from './systems/hearth';

const root = resolve(import.meta.dirname, '..');
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const N = 50;

async function build(dir: string): Promise<Launchers> {
  const { launchers, how } = await buildEntries(root, dir);
  process.stdout.write(`built ${dir} (${how})\n`);
  return launchers;
}

/** One host: CPU% of a core over a headless window, then over a UI-open window. */
async function round(name: string, launchers: Launchers, ports: number[], secs: number, prof?: string): Promise<[number, number]> {
  const services = httpServices(launchers, ports, 1);
  const dir = mkdtempSync(join(os.tmpdir(), 'hearth-idle-ui-'));
  const driver = await openHearth(services, { dir, env: { ...process.env }, launchers, root });
  const window = async (): Promise<number> => {
    await sleep(2000); // as fleet.ts: past the first checks (and, UI open, the first samples)
    return cpuPercentOver(driver.pid, secs * 1000);
  };
  try {
    await driver.start();
    await driver.waitAllRunning(90_000);
    const headless = await window();
    await driver.watchResources!();
    const ui = await window();
    if (prof) {
      await driver.profile!('start');
      await sleep(10_000);
      await driver.profile!('stop', join(prof, `idle-ui-${name}-${Date.now()}.cpuprofile`));
    }
    await driver.stop();
    return [headless, ui];
  } finally {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const save = arg('save');
if (save) {
  await build(resolve(save));
  process.exit(0);
}
const base = arg('base');
const rounds = Number(arg('rounds') ?? 2);
const secs = Number(arg('secs') ?? 20);
const prof = arg('prof');
const builds: Array<[string, Launchers]> = [];
if (base) builds.push(['base', await build(resolve(base))]);
builds.push(['this', await build(join(root, 'bench', 'results', 'build-idle-ui'))]);
const ports = await freePorts(N, 20000);
const results = new Map<string, Array<[number, number]>>(builds.map(([n]) => [n, []]));
process.stdout.write(`${rounds} round(s) of ${secs} s windows, 50 services checked every 1 s; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
for (let r = 0; r < rounds; r++) {
  for (const [name, launchers] of builds) {
    const [h, u] = await round(name, launchers, ports, secs, prof);
    results.get(name)!.push([h, u]);
    process.stdout.write(`  round ${r + 1} ${name}: headless ${h.toFixed(2)}%, UI open ${u.toFixed(2)}% (UI cost ${(u - h).toFixed(2)}); load ${os.loadavg()[0]!.toFixed(2)}\n`);
  }
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const [name, rs] of results) {
  const h = mean(rs.map((x) => x[0]));
  const u = mean(rs.map((x) => x[1]));
  const b = base ? results.get('base')! : null;
  const ratio = b && name !== 'base' ? `; against base: headless ${(h / mean(b.map((x) => x[0]))).toFixed(2)}x, UI open ${(u / mean(b.map((x) => x[1]))).toFixed(2)}x` : '';
  process.stdout.write(`${name}: mean headless ${h.toFixed(2)}%, UI open ${u.toFixed(2)}%${ratio}\n`);
}
