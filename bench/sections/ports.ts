// Figure 5, port allocation: 1,000 named ports from Hearth's PortAllocator (a bind check on 127.0.0.1
// AND ::1 per candidate) while another process holds 500 ports of the same range open on a mix of
// 127.0.0.1, 0.0.0.0, ::1 and ::. Zero collisions expected. Baseline: one bare bind+close per port.
// The peers have no port allocation; they are not in this figure.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { PortAllocator } from '../../electron/supervisor/ports';
import type { BenchContext } from '../lib/context';
import { median } from '../lib/stats';

const FIGURE = 'port allocation';
const RANGE: [number, number] = [40000, 41999];
const KEYS = 1000;
const HOSTS = ['127.0.0.1', '0.0.0.0', '::1', '::'];

function bindOnce(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve());
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve()));
  });
}

export async function portAllocation(ctx: BenchContext): Promise<void> {
  const runs = ctx.opts.quick ? 1 : 3;
  const held = Array.from({ length: 500 }, (_, i) => ({ port: RANGE[0] + i * 4 + (i % 4), host: HOSTS[i % 4]! }));
  ctx.log(`${FIGURE}: ${KEYS} keys in ${RANGE.join('-')}, ${held.length} ports held by another process (${HOSTS.join(', ')}), ${runs} run(s)`);
  const holder = spawn(process.execPath, [...ctx.launchers.portHolder, JSON.stringify(held)], { env: ctx.env, stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      createInterface({ input: holder.stdout! }).once('line', resolve);
      holder.once('exit', () => reject(new Error('port holder exited')));
    });
    const failed = (JSON.parse(ready.slice('ready '.length)) as { failed: Array<{ port: number; host: string }> }).failed;
    if (failed.length) ctx.log(`  note: ${failed.length} of the held sockets could not be opened (e.g. ${JSON.stringify(failed[0])})`);
    const heldPorts = new Set(held.filter((h) => !failed.some((f) => f.port === h.port)).map((h) => h.port));
    const hearth: number[] = [];
    const base: number[] = [];
    let collisions = 0;
    for (let r = 1; r <= runs; r++) {
      const alloc = new PortAllocator({ range: RANGE });
      const t0 = performance.now();
      const got: number[] = [];
      for (let k = 0; k < KEYS; k++) got.push(await alloc.allocate(`svc-${k}.http`, null));
      hearth.push((performance.now() - t0) / KEYS);
      const dupes = got.length - new Set(got).size;
      const onHeld = got.filter((p) => heldPorts.has(p)).length;
      collisions += dupes + onHeld;
      const b0 = performance.now();
      for (const p of got) await bindOnce(p);
      base.push((performance.now() - b0) / KEYS);
      ctx.log(`  run ${r}: ${hearth.at(-1)!.toFixed(3)} ms/port (bare bind ${base.at(-1)!.toFixed(3)} ms/port), ${onHeld} on held ports, ${dupes} duplicates`);
    }
    ctx.report.add({ figure: FIGURE, metric: 'time per port', unit: 'ms', system: 'baseline', value: median(base), runs: base, lowerIsBetter: true });
    ctx.report.add({ figure: FIGURE, metric: 'time per port', unit: 'ms', system: 'hearth', value: median(hearth), runs: hearth, lowerIsBetter: true });
    ctx.report.add({ figure: FIGURE, metric: 'collisions', unit: '', system: 'hearth', value: collisions, runs: [collisions], lowerIsBetter: true });
    ctx.report.target(FIGURE, 'zero collisions', collisions === 0, `${collisions} over ${runs} x ${KEYS} allocations`);
  } finally {
    holder.stdin!.end();
    holder.kill('SIGTERM');
  }
}
