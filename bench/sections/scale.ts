// Cost as the stack grows: Hearth's own CPU per health check and per log line with 10, 50 and 200
// services. Each service is an HTTP server checked every second; one window with the checks alone, then
// (after SIGUSR2 to every service) one where each also logs RATE lines a second. CPU per check is the
// first window's CPU over its checks; CPU per line is what the second window adds, over the lines that
// reached the log files in it. Linear means a flat cost per unit: no work proportional to all services
// times all services. Hearth only (the host, which is what `hearth up` runs, so the log files can be
// found); the peers have no health checks.
import { closeSync, openSync, readSync } from 'node:fs';
import { openSystem, type BenchContext } from '../lib/context';
import { cmdline, descendants, runSeconds } from '../lib/proc';
import { sleep } from '../lib/wait';
import type { ServiceSpec } from '../systems/types';
import { sizeOf } from '../lib/files';

const FIGURE = 'scale';
const RATE = 50;
const INTERVAL_SECS = 1;
/** Linear: the cost per unit at the largest stack at most this many times the one at the smallest. */
const MAX_GROWTH = 1.5;

/** Newlines in `path` from byte `from` on. */
function newlinesFrom(path: string, from: number): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  const buf = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  try {
    for (let pos = from; ; ) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) return n;
      for (let at = buf.indexOf(10); at >= 0 && at < got; at = buf.indexOf(10, at + 1)) n++;
      pos += got;
    }
  } finally {
    closeSync(fd);
  }
}

export async function scaleCost(ctx: BenchContext): Promise<void> {
  const counts = ctx.opts.quick ? [10, 50] : [10, 50, 200];
  const secs = ctx.opts.quick ? 8 : 20;
  ctx.log(`${FIGURE}: ${counts.join(', ')} HTTP services checked every ${INTERVAL_SECS} s; ${secs} s with the checks alone, then ${secs} s with each also logging ${RATE} lines/s`);
  const perCheck: number[] = [];
  const perLine: number[] = [];
  for (const n of counts) {
    const services: ServiceSpec[] = Array.from({ length: n }, (_, i) => ({
      name: `svc-${String(i + 1).padStart(3, '0')}`,
      argv: [process.execPath, ...ctx.launchers.service, '{port}', String(RATE)],
      port: 1, // Hearth allocates the port (`health`); the number is not used
      healthIntervalSecs: INTERVAL_SECS,
      restart: true,
    }));
    const driver = await openSystem(ctx, 'hearth', services, `scale-${n}`);
    try {
      await driver.start();
      await driver.waitAllRunning(180_000);
      await sleep(3000);
      const window = async (): Promise<{ cpu: number; wall: number }> => {
        const c0 = runSeconds(driver.pid)!;
        const t0 = performance.now();
        await sleep(secs * 1000);
        return { cpu: runSeconds(driver.pid)! - c0, wall: (performance.now() - t0) / 1000 };
      };
      const checks = await window();
      // Then every service starts logging: the lines that reach the files during the window are counted.
      const logs = await Promise.all(services.map(async (s) => (await driver.logFile(s.name)).path));
      for (const pid of descendants(driver.pid)) if (cmdline(pid).includes('service.mjs')) process.kill(pid, 'SIGUSR2');
      await sleep(2000);
      const sizes = logs.map(sizeOf);
      const both = await window();
      const lines = logs.reduce((sum, path, i) => sum + newlinesFrom(path, sizes[i]!), 0);
      const checkUs = (checks.cpu / ((n * checks.wall) / INTERVAL_SECS)) * 1e6;
      const lineUs = ((both.cpu - (checks.cpu / checks.wall) * both.wall) / lines) * 1e6;
      perCheck.push(checkUs);
      perLine.push(lineUs);
      ctx.log(
        `  ${n} services: checks alone ${((100 * checks.cpu) / checks.wall).toFixed(2)}% of a core, ${checkUs.toFixed(1)} µs a check; with ${(lines / both.wall).toFixed(0)} lines/s ${((100 * both.cpu) / both.wall).toFixed(2)}%, ${lineUs.toFixed(2)} µs a line`,
      );
      ctx.report.add({ figure: FIGURE, metric: `CPU per check, ${n} svc`, unit: 'µs', system: 'hearth', value: checkUs, runs: [checkUs], lowerIsBetter: true });
      ctx.report.add({ figure: FIGURE, metric: `CPU per line, ${n} svc`, unit: 'µs', system: 'hearth', value: lineUs, runs: [lineUs], lowerIsBetter: true });
      await driver.stop();
    } finally {
      await driver.close();
    }
  }
  const growth = (xs: number[]): string => xs.map((x) => (x / xs[0]!).toFixed(2)).join(' / ');
  const last = counts.length - 1;
  ctx.report.target(
    FIGURE,
    `CPU per health check flat from ${counts[0]} to ${counts[last]} services (<= ${MAX_GROWTH}x)`,
    perCheck[last]! <= MAX_GROWTH * perCheck[0]!,
    `${perCheck.map((x) => x.toFixed(1)).join(' / ')} µs at ${counts.join(' / ')} services: ${growth(perCheck)}x the first`,
  );
  ctx.report.target(
    FIGURE,
    `CPU per log line flat from ${counts[0]} to ${counts[last]} services (<= ${MAX_GROWTH}x)`,
    perLine[last]! <= MAX_GROWTH * perLine[0]!,
    `${perLine.map((x) => x.toFixed(2)).join(' / ')} µs at ${counts.join(' / ')} services: ${growth(perLine)}x the first`,
  );
}
