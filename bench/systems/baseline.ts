// The baseline supervisor (bench/workloads/mini-supervisor.ts): the physical floor of supervising —
// direct spawn, immediate respawn, SIGTERM on stop, and the same HTTP GET /health per service and
// interval as Hearth (keep-alive, result ignored): nothing else.
import { IpcChild } from '../lib/ipc';
import type { MiniSpec } from '../lib/protocol';
import { fillPort, type OpenContext, type ServiceSpec, type SystemDriver } from './types';

export async function openBaseline(services: ServiceSpec[], ctx: OpenContext): Promise<SystemDriver> {
  const spec: MiniSpec = {
    services: services.map((s) => ({
      name: s.name,
      argv: fillPort(s.argv, s.port),
      restart: s.restart,
      health: s.port !== undefined && s.healthIntervalSecs !== undefined ? { port: s.port, intervalSecs: s.healthIntervalSecs } : undefined,
    })),
  };
  const mini = await IpcChild.start([...ctx.launchers.mini, JSON.stringify(spec)], ctx.env);
  return {
    name: 'baseline',
    pid: mini.pid,
    async start(names) {
      await mini.request({ op: 'invoke', command: 'start', args: names ? { services: names } : {} });
    },
    async waitAllRunning() {
      // Spawned is all it knows; the figures that need "serving" probe the ports themselves.
    },
    async stop() {
      await mini.request({ op: 'invoke', command: 'stop', args: {} });
    },
    async logFile() {
      throw new Error('the baseline supervisor keeps no logs (the log baseline is a shell redirect)');
    },
    close: () => mini.close(),
  };
}
