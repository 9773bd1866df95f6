// Hearth under test: a generated stack file, hosted by bench/hearth-host.ts in its own process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';
import { IpcChild } from '../lib/ipc';
import { fillPort, type OpenContext, type ServiceSpec, type SystemDriver } from './types';

/** Port range of the bench stack: away from the peers' fixed ports and the port-allocation figure. */
const HEARTH_PORT_RANGE = [32000, 32999];

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

export function stackYaml(services: ServiceSpec[]): string {
  const out = ['name: bench', `port_range: [${HEARTH_PORT_RANGE.join(', ')}]`, 'services:'];
  for (const svc of services) {
    const argv = fillPort(svc.argv, svc.port === undefined ? undefined : '{{thermos.ports[health]}}');
    const cmd = argv.map((a) => (a.includes('{{') ? a : shellQuote(a))).join(' ');
    out.push(`  ${svc.name}:`, `    cmd: ${JSON.stringify(cmd)}`, `    service: ${svc.restart}`);
    // min_duration 0: every restart is an immediate first restart (no crash-loop backoff), as the peers do.
    out.push('    min_duration: 0', '    max_failures: 1');
    // Log files large enough that the ingestion figure never rotates (rotation is measured elsewhere).
    out.push('    logs: { max_bytes: 1073741824, keep: 1 }', '    lifecycle: { shutdown_wait_secs: 5 }');
    if (svc.healthIntervalSecs !== undefined && svc.port !== undefined) {
      const i = svc.healthIntervalSecs;
      out.push('    ports: { health: null }');
      out.push(
        // Default grace (initial_interval_secs 15): 50 node processes starting at once on 2 cores take
        // a while to listen. Two failures tolerated once running, as in examples/shop.
        `    health_check: { http: { port: health, endpoint: /health, expected_response: ok }, interval_secs: ${i}, max_consecutive_failures: 2, timeout_secs: 1 }`,
      );
    } else {
      out.push('    health_check: null');
    }
  }
  return `${out.join('\n')}\n`;
}

export async function openHearth(services: ServiceSpec[], ctx: OpenContext, staticDir?: string): Promise<SystemDriver & { url?: string }> {
  const file = join(ctx.dir, 'hearth.yaml');
  writeFileSync(file, stackYaml(services));
  // The product's V8 flags (bin/hearth.js's shebang), so the host measured is the one people run.
  // HEARTH_BENCH_PROF=DIR: the host writes a V8 CPU profile there when it exits (for "make it fast").
  const prof = process.env.HEARTH_BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HEARTH_BENCH_PROF}`] : [];
  const host = await IpcChild.start([...HEARTH_NODE_FLAGS, ...prof, ...ctx.launchers.host, file, ...(staticDir ? [staticDir] : [])], ctx.env);
  return {
    name: 'hearth',
    pid: host.pid,
    url: host.ready.url,
    async start(names) {
      await host.request({ op: 'invoke', command: 'start', args: names ? { services: names } : {} });
    },
    async waitAllRunning(timeoutMs) {
      await host.request({ op: 'wait-all', state: 'RUNNING' }, timeoutMs);
    },
    async stop() {
      // Hearth's stop answers once every process is gone (SIGTERM, wait, SIGKILL after the grace).
      await host.request({ op: 'invoke', command: 'stop', args: {} }, 60_000);
    },
    async logFile(name) {
      const { path } = await host.request<{ path: string }>({ op: 'invoke', command: 'log_file', args: { service: name } });
      // "2024-01-01T00:00:00.000Z stdout| " before every line.
      return { path, perLineOverhead: 24 + 1 + 'stdout| '.length };
    },
    async waitLines(name, count, timeoutMs) {
      await host.request({ op: 'wait-lines', service: name, count }, timeoutMs);
    },
    async profile(action, file) {
      await host.request({ op: 'profile', action, file });
    },
    async watchResources() {
      await host.request({ op: 'watch-resources' });
    },
    close: () => host.close(),
  };
}
