// supervisord under test (Debian's `supervisor` package): one config per run, `supervisord -n` as a
// child of the bench (so its pid is known), driven through its XML-RPC interface over HTTP.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../lib/proc';
import { waitUntil } from '../lib/wait';
import { xmlRpc, type XmlValue } from '../lib/xmlrpc';
import { fillPort, type OpenContext, type ServiceSpec, type SystemDriver } from './types';

const CANDIDATES = ['/usr/bin/supervisord', '/usr/local/bin/supervisord'];

export function findSupervisord(): { path: string; version: string } | null {
  const path = CANDIDATES.find((p) => existsSync(p));
  if (!path) return null;
  try {
    return { path, version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim() };
  } catch {
    return null;
  }
}

/** supervisord's config quoting: %% for a literal %, arguments with spaces in double quotes. */
const arg = (s: string): string => {
  const t = s.replaceAll('%', '%%');
  return /[\s"']/.test(t) ? `"${t.replaceAll('"', '\\"')}"` : t;
};

export async function openSupervisord(services: ServiceSpec[], ctx: OpenContext, rpcPort: number, exe: string): Promise<SystemDriver> {
  const conf = join(ctx.dir, 'supervisord.conf');
  const lines = [
    '[supervisord]',
    `logfile=${join(ctx.dir, 'supervisord.log')}`,
    `pidfile=${join(ctx.dir, 'supervisord.pid')}`,
    `childlogdir=${ctx.dir}`,
    'nodaemon=true',
    'loglevel=warn',
    '[inet_http_server]',
    `port=127.0.0.1:${rpcPort}`,
    '[rpcinterface:supervisor]',
    'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
  ];
  for (const svc of services) {
    lines.push(
      `[program:${svc.name}]`,
      `command=${fillPort(svc.argv, svc.port).map(arg).join(' ')}`,
      `directory=${ctx.dir}`,
      'autostart=false',
      `autorestart=${svc.restart ? 'true' : 'false'}`,
      // startsecs=0: RUNNING as soon as spawned, and an early exit is not held back as a failed start.
      'startsecs=0',
      'startretries=1000000',
      'stopsignal=TERM',
      'stopwaitsecs=5',
      `stdout_logfile=${join(ctx.dir, `${svc.name}.out.log`)}`,
      'stdout_logfile_maxbytes=0',
      'redirect_stderr=true',
    );
  }
  writeFileSync(conf, `${lines.join('\n')}\n`);
  const child = spawn(exe, ['-n', '-c', conf], { env: ctx.env, stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid!;
  const rpc = (method: string, params: XmlValue[] = []): Promise<XmlValue> => xmlRpc(rpcPort, method, params);
  await waitUntil(() => rpc('supervisor.getState').then(() => true, () => false), 'supervisord XML-RPC', { timeoutMs: 15_000, everyMs: 50 });
  const all = async (): Promise<Array<Record<string, XmlValue>>> => (await rpc('supervisor.getAllProcessInfo')) as Array<Record<string, XmlValue>>;
  return {
    name: 'supervisord',
    pid,
    async start(names) {
      if (!names) await rpc('supervisor.startAllProcesses', [false]);
      else for (const n of names) await rpc('supervisor.startProcess', [n, false]);
    },
    async waitAllRunning(timeoutMs) {
      await waitUntil(async () => (await all()).every((p) => p.statename === 'RUNNING'), 'supervisord: every program RUNNING', {
        timeoutMs,
        everyMs: 25,
      });
    },
    async stop() {
      await rpc('supervisor.stopAllProcesses', [false]);
    },
    async logFile(name) {
      return { path: join(ctx.dir, `${name}.out.log`), perLineOverhead: 0 };
    },
    async close() {
      await rpc('supervisor.shutdown').catch(() => undefined);
      await waitUntil(() => !isAlive(pid), 'supervisord exit', { timeoutMs: 15_000, everyMs: 50 }).catch(() => child.kill('SIGKILL'));
    },
  };
}
