// The baseline "supervisor": the least a process supervisor can do. Spawns each command directly (no
// shell, no logs), respawns it the moment it exits, stops with SIGTERM, and (where the spec asks) GETs
// /health every interval, all checks of one interval at once, ignoring the answer: the floor of a Node
// process doing the same HTTP health checking as Hearth. The GET is Hearth's own (httpGet: kept-alive
// sockets, http-parser-js), so what Hearth costs beyond this is its supervising, not the transport.
// Until round 4 this used node:http's keep-alive agent (~3x the CPU per check) and a timer per service.
// Driven over IPC. argv[2]: JSON MiniSpec.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeIdleConnections, httpGet } from '../../electron/supervisor/health/http-get';
import { MAX_BODY_BYTES } from '../../electron/supervisor/health/probes';
import type { HostReady, HostReply, HostRequest, MiniSpec } from '../lib/protocol';

const spec = JSON.parse(process.argv[2] ?? '{"services":[]}') as MiniSpec;
const children = new Map<string, ChildProcess>();
const wanted = new Set<string>();
const GET_OPTIONS = { timeoutMs: 1000, maxBodyBytes: MAX_BODY_BYTES, userAgent: 'mini-supervisor' };
// One timer per interval fires every check due at it: a wake-up of the process costs more than the GET
// it serves (Hearth shares wake-ups the same way, grid.ts), so separate timers would not be a floor.
const checked = new Map<number, { timer: NodeJS.Timeout; ports: Set<number> }>();
const send = (msg: HostReply | HostReady): void => void process.send?.(msg);

function launch(name: string): void {
  const svc = spec.services.find((s) => s.name === name);
  if (!svc) throw new Error(`unknown service ${name}`);
  const child = spawn(svc.argv[0]!, svc.argv.slice(1), { stdio: 'ignore' });
  children.set(name, child);
  if (svc.health) {
    const { port, intervalSecs } = svc.health;
    let group = checked.get(intervalSecs);
    if (!group) {
      const ports = new Set<number>();
      const timer = setInterval(() => {
        for (const p of ports) void httpGet({ host: '127.0.0.1', port: p, path: '/health' }, GET_OPTIONS);
      }, intervalSecs * 1000);
      checked.set(intervalSecs, (group = { timer, ports }));
    }
    group.ports.add(port);
  }
  child.once('exit', () => {
    if (children.get(name) === child) children.delete(name);
    if (wanted.has(name) && svc.restart) launch(name);
  });
}

function stopAll(): void {
  wanted.clear();
  for (const { timer } of checked.values()) clearInterval(timer);
  checked.clear();
  closeIdleConnections();
  for (const child of children.values()) child.kill('SIGTERM');
}

process.on('message', (msg: HostRequest) => {
  try {
    if (msg.op === 'invoke' && msg.command === 'start') {
      const names = (msg.args.services as string[] | undefined) ?? spec.services.map((s) => s.name);
      for (const name of names) {
        wanted.add(name);
        if (!children.has(name)) launch(name);
      }
      send({ id: msg.id, ok: true });
    } else if (msg.op === 'invoke' && msg.command === 'stop') {
      stopAll();
      send({ id: msg.id, ok: true });
    } else if (msg.op === 'close') {
      stopAll();
      send({ id: msg.id, ok: true });
      setTimeout(() => process.exit(0), 50);
    } else {
      send({ id: msg.id, ok: false, error: `mini-supervisor: unsupported ${msg.op}` });
    }
  } catch (error) {
    send({ id: msg.id, ok: false, error: (error as Error).message });
  }
});
process.on('disconnect', () => {
  stopAll();
  process.exit(0);
});
send({ op: 'ready', pid: process.pid });
