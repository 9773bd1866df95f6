// `npm run soak [-- --minutes N]`: the worst faults of test/faults together, for 10 minutes by default,
// against one stack host in its own process. A crash loop, a child that writes 1 GB at once and then
// keeps flooding, a SIGTERM-ignoring tree with a setsid grandchild, a health check flipping between
// healthy and 500, a health endpoint that hangs (checked every 50 ms), awkward output, and a stream of
// commands from a UI client and from the real CLI. Reports the host's RSS, its heap after a full GC,
// open fds and the stack's processes, every 30 s and at the start and the end, and fails (exit 1) on
// leftovers, duplicate process trees, an unresponsive host, growth beyond the limits below, or memory
// over its bounds. The host runs bundled, as `hearth up` does (no TypeScript loader in its memory),
// with --expose-gc: SIGUSR2 makes it collect and print what is left. Not part of `npm test`. Linux only.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectControl, type ControlClient } from '../../electron/control/client';
import { NODE_BUNDLE } from '../../bin/cli-bundle.js';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';
import { HOST_SCRIPT, REPO, fdCount, killMarked, markedProcesses, rssBytes, startHostProcess, uniqueMark, writeStack } from '../faults/kit';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
if (!(minutes > 0)) throw new Error(`--minutes wants a positive number, not "${values.minutes}"`);

const GB = 1_000_000_000;
const MB = 1_000_000;
/**
 * Growth allowed in phase 2, judged on the median of the first and the last fifth of its samples (RSS
 * swings with a flood burst queued for the UI), and the bounds memory must stay under all along: the
 * host's RSS, and its heap after a full GC (the lines it keeps are bounded by bytes: logs.ring_bytes per
 * service, logs.total_ring_bytes for the stack; the UI's queue by the control server's 8 MiB).
 */
const LIMITS = { rssMb: 20, heapMb: 5, fds: 20, rssMaxMb: 150, heapMaxMb: 60 };

/** 1 GB at once (timed, into flood.done), then 20 MB every 3 s for the rest of the soak. */
const SOAK_FLOOD = `#!/bin/sh
line='soak flood line ~ the quick brown fox jumps over the lazy dog 0123456789'
start=$(date +%s%N)
yes "$line" | head -c "$FLOOD_BYTES"
end=$(date +%s%N)
echo "$start $end" > flood.done
while true; do yes "$line" | head -c 20000000; sleep 3; done
`;

const mark = uniqueMark('soak');
const env = `HEARTH_TEST_MARK: "${mark}"`;
const fixture = (name: string) => readFileSync(join(REPO, 'test', 'faults', 'fixtures', name), 'utf8');
const stack = writeStack(
  `
services:
  looper:
    cmd: exit 1
    env: { ${env} }
    min_duration: 1
    max_backoff_secs: 2
  flood:
    cmd: ./flood.sh
    env: { ${env}, FLOOD_BYTES: "${GB}" }
    logs: { max_bytes: 20000000, keep: 2 }
  stubborn:
    cmd: trap '' TERM; sleep 100000 & setsid sh -c 'trap "" TERM; sleep 100000' & wait
    env: { ${env} }
    lifecycle: { shutdown_wait_secs: 0.3 }
  flappy:
    cmd: exec node health-server.mjs
    env: { ${env} }
    ports: { health: null }
    health_check: { initial_interval_secs: 0.5, interval_secs: 0.2, max_consecutive_failures: 1 }
    min_duration: 1
  hanger:
    cmd: exec node bad-health.mjs
    env: { ${env}, MODE: hang }
    ports: { health: null }
    health_check: { initial_interval_secs: 0, interval_secs: 0.05, timeout_secs: 0.05, max_consecutive_failures: 1000000 }
  odd:
    cmd: while true; do node emit.mjs; echo; sleep 5; done
    env: { ${env} }
  steady:
    cmd: exec sleep 100000
    env: { ${env} }
`,
  { 'flood.sh': SOAK_FLOOD, 'bad-health.mjs': fixture('bad-health.mjs'), 'emit.mjs': fixture('emit.mjs') },
);

interface Sample {
  at: number;
  rssMb: number;
  fds: number;
  processes: number;
}

const t0 = Date.now();
const secs = (): string => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const log = (text: string): void => void process.stdout.write(`[soak ${secs()}] ${text}\n`);
const problems: string[] = [];
const leftoversBefore = markedProcesses(mark).length;

log(`stack in ${stack.dir}; running for ${minutes} min`);
const bundle = await bundleHost();
const host = await startHostProcess(stack.file, 20_000, ['--expose-gc', ...HEARTH_NODE_FLAGS, bundle]);
const sample = (): Sample => ({ at: Date.now(), rssMb: rssBytes(host.pid) / MB, fds: fdCount(host.pid), processes: markedProcesses(mark).length });
/** The host's heap after a full GC (it prints it on SIGUSR2), in MB; `lastHeap` keeps the whole report. */
let heapLines = 0;
let lastHeap = { heapAfterGc: 0, heapTotal: 0, newSpace: 0, external: 0, arrayBuffers: 0, rss: 0 };
async function heapAfterGc(): Promise<number> {
  const seen = heapLines;
  process.kill(host.pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 50) {
    const lines = host.output().split('\n').filter((l) => l.startsWith('{"heapAfterGc"'));
    if (lines.length > seen) {
      heapLines = lines.length;
      lastHeap = JSON.parse(lines.at(-1)!) as typeof lastHeap;
      return lastHeap.heapAfterGc / MB;
    }
    await sleep(50);
  }
  throw new Error('the host did not report its heap within 10 s');
}
const atStart = sample();
log(`host pid ${host.pid}: ${fmt(atStart)}`);

const ui: ControlClient = await connectControl(host.socket);
let slowestStatusMs = 0;
let worstTrees = 0;
let commands = 0;
let cliCommands = 0;
let cliFailures = 0;

// Phase 1: the 1 GB flood with no UI attached.
const floodDone = join(stack.dir, 'flood.done');
while (!existsSync(floodDone)) {
  await tick();
  if (Date.now() - t0 > minutes * 60_000) break;
}
if (existsSync(floodDone)) {
  const [start, end] = readFileSync(floodDone, 'utf8').trim().split(' ').map(Number);
  const childSecs = (end! - start!) / 1e9;
  log(`1 GB written by the flood child in ${childSecs.toFixed(1)}s (${(GB / MB / childSecs).toFixed(0)} MB/s) with no UI attached`);
} else problems.push('the 1 GB flood did not finish within the soak');

// Warm-up sample: start-up and the first flood are behind; from here on nothing should grow.
const afterWarmup = sample();
log(`after the 1 GB flood: ${fmt(afterWarmup)}`);

// Phase 2: everything at once, with a UI reading every event and commands from the UI and the CLI.
const reader = attachReader(host.socket);
const phase2Rss: number[] = [];
let highestMb = 0;
let highest = '';
/** [minute of the soak, heap after GC in MB, RSS in MB], every 30 s. */
const heapSeries: Array<[number, number, number]> = [];
const minuteNow = (): number => (Date.now() - t0) / 60_000;
heapSeries.push([minuteNow(), await heapAfterGc(), rssBytes(host.pid) / MB]);
let nextSample = Date.now() + 30_000;
let nextCli = Date.now() + 2000;
let sick = false;
let nextFlip = Date.now() + 3000;
const deadline = t0 + minutes * 60_000;
while (Date.now() < deadline) {
  await tick();
  const rssNow = rssBytes(host.pid) / MB;
  // The highest sample so far, and where that memory was (what a burst adds on top of the steady state).
  if (rssNow > highestMb) {
    highestMb = rssNow;
    highest = `${rssNow.toFixed(0)} MB at ${secs()}: ${rssParts(host.pid)}`;
  }
  phase2Rss.push(rssNow);
  await randomUiCommand();
  if (Date.now() >= nextCli) {
    nextCli = Date.now() + 2000;
    await randomCliCommand();
  }
  if (Date.now() >= nextFlip) {
    nextFlip = Date.now() + 3000;
    sick = !sick;
    if (sick) writeFileSync(join(stack.dir, 'sick'), '');
    else rmSync(join(stack.dir, 'sick'), { force: true });
  }
  if (Date.now() >= nextSample) {
    nextSample = Date.now() + 30_000;
    const heap = await heapAfterGc();
    const now = sample();
    heapSeries.push([minuteNow(), heap, now.rssMb]);
    log(
      `${fmt(now)}, heap after GC ${heap.toFixed(1)} MB of ${(lastHeap.heapTotal / MB).toFixed(0)} MB (new space ${(lastHeap.newSpace / MB).toFixed(0)}), Buffers ${(lastHeap.arrayBuffers / MB).toFixed(1)} MB, ${rssParts(host.pid)}; ${commands} UI + ${cliCommands} CLI commands; UI read ${(reader.bytes / MB).toFixed(0)} MB, cut off ${reader.cutOffs}x`,
    );
  }
}

// Wind down: start everything, let it settle, and take the end sample with every service wanted.
rmSync(join(stack.dir, 'sick'), { force: true });
await ui.invoke('start', {});
await sleep(5000);
const atEnd = sample();
const statuses = (await ui.invoke('status', {})).services;
const trees = treesByService();
log(`end: ${fmt(atEnd)}`);
for (const s of statuses) log(`  ${s.name.padEnd(9)} ${s.state.padEnd(10)} run ${String(s.run).padStart(5)} restarts ${s.restarts}  trees ${trees.get(s.name)?.size ?? 0}${s.error ? `  error: ${s.error}` : ''}`);
reader.close();
ui.close();

const exit = await host.stop();
await sleep(500);
const leftovers = markedProcesses(mark);
if (leftovers.length > 0) killMarked(mark);

// Verdict.
if (exit !== 0) problems.push(`host exited with ${exit}`);
if (leftovers.length > 0) problems.push(`${leftovers.length} processes left after the host stopped: ${leftovers.map((p) => p.pid).join(', ')}`);
if (worstTrees > 1) problems.push(`a service had ${worstTrees} process trees at once`);
if (slowestStatusMs > 2000) problems.push(`a status command took ${slowestStatusMs} ms`);
const fifth = Math.max(1, Math.floor(phase2Rss.length / 5));
const rssEarly = median(phase2Rss.slice(0, fifth));
const rssLate = median(phase2Rss.slice(-fifth));
if (rssLate - rssEarly > LIMITS.rssMb) problems.push(`median RSS grew ${(rssLate - rssEarly).toFixed(0)} MB during phase 2 (limit ${LIMITS.rssMb})`);
const heaps = heapSeries.map(([, h]) => h);
const hFifth = Math.max(1, Math.floor(heaps.length / 5));
const heapEarly = median(heaps.slice(0, hFifth));
const heapLate = median(heaps.slice(-hFifth));
const rssMax = Math.max(...phase2Rss);
const heapMax = Math.max(...heaps);
// Per minute, least squares over the samples after the first fifth of phase 2 (the first minutes settle).
const heapSlope = slopeOf(heapSeries.slice(hFifth).map(([m, h]) => [m, h]));
const rssSlope = slopeOf(heapSeries.slice(hFifth).map(([m, , r]) => [m, r]));
if (heapLate - heapEarly > LIMITS.heapMb) problems.push(`heap after GC grew ${(heapLate - heapEarly).toFixed(1)} MB during phase 2 (limit ${LIMITS.heapMb})`);
if (rssMax > LIMITS.rssMaxMb) problems.push(`RSS reached ${rssMax.toFixed(0)} MB during phase 2 (bound ${LIMITS.rssMaxMb})`);
if (heapMax > LIMITS.heapMaxMb) problems.push(`heap after GC reached ${heapMax.toFixed(1)} MB (bound ${LIMITS.heapMaxMb})`);
if (atEnd.fds - afterWarmup.fds > LIMITS.fds) problems.push(`open fds grew by ${atEnd.fds - afterWarmup.fds} after warm-up (limit ${LIMITS.fds})`);
if (cliFailures > 0) problems.push(`${cliFailures} CLI commands failed`);

const report = [
  '',
  `Hearth soak, ${minutes} min, ${commands} UI and ${cliCommands} CLI commands`,
  `the reading UI got ${(reader.bytes / MB).toFixed(0)} MB of events and was cut off ${reader.cutOffs} times as a slow reader (it reconnects)`,
  `                 RSS MB   open fds   stack processes`,
  row('start', atStart),
  row('after 1 GB', afterWarmup),
  row('end', atEnd),
  `after shutdown                          ${leftovers.length} (before the soak: ${leftoversBefore})`,
  `phase 2 RSS: median ${rssEarly.toFixed(0)} MB in its first fifth, ${rssLate.toFixed(0)} MB in its last; range ${Math.min(...phase2Rss).toFixed(0)}-${rssMax.toFixed(0)} MB (bound ${LIMITS.rssMaxMb}); ${rssSlope.toFixed(2)} MB/min after the first fifth`,
  `phase 2 RSS at its highest: ${highest}`,
  `phase 2 heap after GC: median ${heapEarly.toFixed(1)} MB in its first fifth, ${heapLate.toFixed(1)} MB in its last; range ${Math.min(...heaps).toFixed(1)}-${heapMax.toFixed(1)} MB (bound ${LIMITS.heapMaxMb}); ${heapSlope.toFixed(3)} MB/min after the first fifth`,
  `heap after GC / RSS by minute: ${heapSeries.filter((_, i) => i % 2 === 0).map(([m, h, r]) => `${m.toFixed(0)}: ${h.toFixed(1)}/${r.toFixed(0)}`).join(', ')}`,
  `slowest status: ${slowestStatusMs} ms; most process trees of one service at once: ${worstTrees}`,
  problems.length ? `FAILED:\n  ${problems.join('\n  ')}` : 'OK',
];
process.stdout.write(`${report.join('\n')}\n`);
stack.cleanup();
process.exit(problems.length ? 1 : 0);

// ---- helpers ----

function fmt(s: Sample): string {
  return `RSS ${s.rssMb.toFixed(0)} MB, ${s.fds} fds, ${s.processes} stack processes`;
}

function row(label: string, s: Sample): string {
  return `${label.padEnd(14)} ${s.rssMb.toFixed(0).padStart(8)} ${String(s.fds).padStart(10)} ${String(s.processes).padStart(17)}`;
}

/**
 * Where the host's RSS is, from /proc/PID/smaps: the brk heap ([heap], glibc malloc's main arena: what it
 * keeps of freed Buffers and write queues), other anonymous memory (V8's heap pages, thread arenas,
 * stacks) and mapped files (node's own code, mostly).
 */
function rssParts(pid: number): string {
  const kb = { brk: 0, anon: 0, file: 0 };
  try {
    let into: keyof typeof kb = 'anon';
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) into = head[1] === '[heap]' ? 'brk' : head[1]!.startsWith('/') ? 'file' : 'anon';
      else if (line.startsWith('Rss:')) kb[into] += Number(/(\d+)/.exec(line)![1]);
    }
  } catch {
    // gone
  }
  const mb = (k: number): string => ((k * 1024) / MB).toFixed(0);
  return `malloc's main arena ${mb(kb.brk)} MB, other anonymous ${mb(kb.anon)}, files ${mb(kb.file)}`;
}

/** Least-squares slope of [x, y] points (per unit of x); 0 for fewer than two. */
function slopeOf(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The host fixture bundled as `hearth up` is (bin/cli-bundle.js's settings), inside the repo so packages resolve. */
async function bundleHost(): Promise<string> {
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const outdir = join(REPO, 'test-artifacts', 'soak-host');
  await esbuild.build({ entryPoints: { host: HOST_SCRIPT }, outdir, ...NODE_BUNDLE, splitting: true, outExtension: { '.js': '.mjs' }, logLevel: 'error', absWorkingDir: REPO });
  return join(outdir, 'host.mjs');
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function treesByService(): Map<string, Set<number>> {
  const trees = new Map<string, Set<number>>();
  for (const p of markedProcesses(mark)) {
    const name = p.env.get('HEARTH_SERVICE') ?? '?';
    if (!trees.has(name)) trees.set(name, new Set());
    trees.get(name)!.add(p.pgrp);
  }
  return trees;
}

/** One beat of the loop: a status round trip (responsiveness) and a duplicate-tree check. */
async function tick(): Promise<void> {
  const t = Date.now();
  await ui.invoke('status', {});
  slowestStatusMs = Math.max(slowestStatusMs, Date.now() - t);
  for (const [name, groups] of treesByService()) {
    // `stubborn` parks its setsid'd grandchild in a group of its own: one tree, two groups.
    const allowed = name === 'stubborn' ? 2 : 1;
    worstTrees = Math.max(worstTrees, groups.size - (allowed - 1));
  }
  await sleep(250);
}

async function randomUiCommand(): Promise<void> {
  const r = Math.random();
  const target = ['steady', 'stubborn', 'flappy', 'looper'][Math.floor(Math.random() * 4)]!;
  commands++;
  try {
    if (r < 0.3) await ui.invoke('restart', { services: [target] });
    else if (r < 0.5) await ui.invoke('stop', { services: [target] });
    else if (r < 0.8) await ui.invoke('start', { services: [target] });
    else if (r < 0.9) await ui.invoke('snooze', { service: Math.random() < 0.5 ? 'flappy' : 'hanger', for_secs: 5 });
    else await ui.invoke('unsnooze', { service: Math.random() < 0.5 ? 'flappy' : 'hanger' });
  } catch (error) {
    problems.push(`UI command failed: ${(error as Error).message}`);
  }
}

/** The real CLI in its own process, as a user in a terminal would run it. */
async function randomCliCommand(): Promise<void> {
  const verb = ['start', 'stop', 'restart', 'status'][Math.floor(Math.random() * 4)]!;
  const args = verb === 'status' ? [] : ['steady', 'stubborn'].filter(() => Math.random() < 0.7);
  if (verb !== 'status' && args.length === 0) args.push('steady');
  cliCommands++;
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'hearth.js'), '-f', stack.file, verb, ...args], { stdio: 'ignore' });
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0) cliFailures++;
}

/**
 * A UI that subscribes and reads everything (counting bytes only, to keep this process light). The
 * control server hangs up on a client with 8 MiB unsent (a flood burst can outrun a reader); like a
 * real UI, this one reconnects, and the report counts how often that happened.
 */
function attachReader(path: string): { bytes: number; cutOffs: number; close(): void } {
  let closing = false;
  let socket: Socket;
  const state = {
    bytes: 0,
    cutOffs: 0,
    close: () => {
      closing = true;
      socket.destroy();
    },
  };
  const open = (): void => {
    socket = connect(path, () => socket.write('{"type":"subscribe"}\n'));
    socket.on('data', (chunk: Buffer) => (state.bytes += chunk.length));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (closing) return;
      state.cutOffs++;
      setTimeout(open, 1000);
    });
  };
  open();
  return state;
}
