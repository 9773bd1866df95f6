// Hearth as people run it headless: `hearth up -f hearth.yaml` (bin/hearth.js), the process whose own
// CPU and RSS the idle figures measure. The stack file is the one the host driver (hearth.ts) runs;
// readiness is read from what `hearth up` prints, as a user sees it: "NAME: started pid …" for every
// service, and "NAME: healthy" for every health-checked one (its RUNNING). Ctrl-C (SIGINT) stops the
// stack and exits, as it does in a terminal. Only start, wait and stop: the figures that need more
// (log ingestion, the UI) drive the host.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';
import { interrupt } from '../lib/proc';
import { waitUntil } from '../lib/wait';
import { stackYaml } from './hearth';
import type { OpenContext, ServiceSpec, SystemDriver } from './types';

export function openHearthUp(services: ServiceSpec[], ctx: OpenContext): SystemDriver {
  const file = join(ctx.dir, 'hearth.yaml');
  writeFileSync(file, stackYaml(services));
  const bin = join(ctx.root, 'bin', 'hearth.js');
  // Untimed: makes sure the CLI bundle is built, so `up` itself does not build it (esbuild in the
  // process would count in its RSS; people run a bundle built by an earlier command).
  const warm = spawnSync(process.execPath, [bin, '--version'], { env: ctx.env, stdio: 'ignore' });
  if (warm.status !== 0) throw new Error(`hearth --version exited with ${warm.status}`);
  const prof = process.env.HEARTH_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HEARTH_BENCH_PROF}`] : [];
  const checked = new Set(services.filter((s) => s.healthIntervalSecs !== undefined && s.port !== undefined).map((s) => s.name));
  let child: ChildProcess | null = null;
  let output = '';
  // Supervisor lines read "hearth | NAME: …", the prefix padded to the longest service name.
  const said = (name: string, what: string): boolean => output.includes(`| ${name}: ${what}`);

  const stop = async (): Promise<void> => {
    const c = child;
    if (!c) return;
    await interrupt(c, 60_000);
    child = null;
  };

  return {
    name: 'hearth',
    get pid() {
      if (!child?.pid) throw new Error('hearth up is not running');
      return child.pid;
    },
    async start() {
      if (child) throw new Error('hearth up is already running');
      output = '';
      // With the product's V8 flags (bin/hearth.js's shebang, which `node bin/hearth.js` skips).
      // --trace-gc: V8 prints a line per collection, so a GC inside an idle window can be named (it costs
      // nothing when there is none: idle, V8 collects a few times a minute at most).
      const c = spawn(process.execPath, [...HEARTH_NODE_FLAGS, ...prof, '--trace-gc', bin, 'up', '-f', file], { env: { ...ctx.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      c.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child = c;
    },
    async waitAllRunning(timeoutMs) {
      const ready = (): boolean => {
        if (!child) return false;
        if (child.exitCode !== null) throw new Error(`hearth up exited:\n${output.slice(-2000)}`);
        return services.every((s) => said(s.name, checked.has(s.name) ? 'healthy' : 'started pid'));
      };
      await waitUntil(ready, `every service of hearth up running`, { timeoutMs, everyMs: 50 });
    },
    stop,
    exits() {
      return output.split('\n').filter((line) => /^hearth +\| \S+: (exited|restart|unhealthy|killed|failed)/.test(line));
    },
    gcs() {
      // "[pid:0x…]   48706 ms: Mark-Compact (reduce) 13.8 (19.0) -> 12.0 (13.7) MB, …"
      return output.split('\n').filter((line) => /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /.test(line));
    },
    async logFile() {
      throw new Error('the hearth up driver only starts, waits and stops (log ingestion drives the host)');
    },
    close: stop,
  };
}
