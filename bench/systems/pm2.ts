// pm2 under test, through its programmatic API (the client lives in the bench process; the daemon,
// "God", is the measured supervisor). PM2_HOME is a temp folder set by run.ts before pm2 loads.
// Apps run with interpreter "none" so pm2 starts exactly the same `node file.mjs` as the others.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../lib/wait';
import { fillPort, type OpenContext, type ServiceSpec, type SystemDriver } from './types';

interface Pm2ProcessDescription {
  name?: string;
  pid?: number;
  pm2_env?: { status?: string };
}
interface Pm2Api {
  connect(cb: (err: Error | null) => void): void;
  start(config: object, cb: (err: Error | null) => void): void;
  stop(target: string, cb: (err: Error | null) => void): void;
  delete(target: string, cb: (err: Error | null) => void): void;
  list(cb: (err: Error | null, list: Pm2ProcessDescription[]) => void): void;
  killDaemon(cb: (err: Error | null) => void): void;
  disconnect(cb?: () => void): void;
}
interface Pm2Module {
  custom: new (opts: { pm2_home: string; daemon_mode?: boolean }) => Pm2Api;
}

const require = createRequire(import.meta.url);

export function pm2Version(): string | null {
  try {
    return (require('pm2/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}

/** The daemons' --trace-gc lines (PM2_NODE_OPTIONS in run.ts): their stdout goes to pm2.log. */
function gcLines(home: string): string[] {
  try {
    return readFileSync(join(home, 'pm2.log'), 'utf8').split('\n').filter((line) => /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /.test(line));
  } catch {
    return [];
  }
}

const call = <T = void>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value as T))));

/** `home`: a PM2_HOME of its own (a daemon of its own beside others); default PM2_HOME, which run.ts sets. */
export async function openPm2(services: ServiceSpec[], ctx: OpenContext, home = process.env.PM2_HOME): Promise<SystemDriver> {
  if (!home) throw new Error('PM2_HOME must be set (to a temp folder) before pm2 is used');
  const { custom } = require('pm2') as Pm2Module;
  const pm2 = new custom({ pm2_home: home, daemon_mode: true });
  // The daemon takes its PM2_HOME from the environment it is spawned with, which is this process's.
  const envHome = process.env.PM2_HOME;
  process.env.PM2_HOME = home;
  try {
    await call((cb) => pm2.connect(cb));
  } finally {
    process.env.PM2_HOME = envHome;
  }
  const pidFile = join(home, 'pm2.pid');
  const pid = await waitUntil(() => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')), 'pm2 daemon pid', { timeoutMs: 10_000 });
  const logOf = (name: string): string => join(ctx.dir, `${name}.out.log`);
  const apps = services.map((svc) => {
    const argv = fillPort(svc.argv, svc.port);
    return {
      name: svc.name,
      script: argv[0],
      args: argv.slice(1),
      interpreter: 'none',
      exec_mode: 'fork',
      cwd: ctx.dir,
      env: ctx.env,
      autorestart: svc.restart,
      // No restart delay and no give-up: the same "restart at once, always" as the others.
      restart_delay: 0,
      min_uptime: 100,
      max_restarts: 1_000_000,
      kill_timeout: 5000,
      out_file: logOf(svc.name),
      error_file: join(ctx.dir, `${svc.name}.err.log`),
      merge_logs: true,
    };
  });
  const list = (): Promise<Pm2ProcessDescription[]> => call((cb) => pm2.list(cb));
  return {
    name: 'pm2',
    pid,
    async start(names) {
      await call((cb) => pm2.start({ apps: names ? apps.filter((a) => names.includes(a.name)) : apps }, cb));
    },
    async waitAllRunning(timeoutMs) {
      await waitUntil(async () => {
        const procs = await list();
        return procs.length === services.length && procs.every((p) => p.pm2_env?.status === 'online');
      }, 'pm2: every app online', { timeoutMs, everyMs: 25 });
    },
    async stop() {
      // pm2 answers once the processes are stopped.
      await call((cb) => pm2.stop('all', cb));
    },
    async logFile(name) {
      return { path: logOf(name), perLineOverhead: 0 };
    },
    gcs: () => gcLines(home).filter((line) => line.startsWith(`[${pid}:`)),
    async reset() {
      await call((cb) => pm2.delete('all', cb));
    },
    async close() {
      await call((cb) => pm2.killDaemon(cb)).catch(() => undefined);
      await new Promise<void>((r) => pm2.disconnect(() => r()));
    },
  };
}
