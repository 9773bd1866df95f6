// A real `hearth serve` child process on a fresh copy of examples/shop, and the CLI beside it.
// Each test file gets its own copy so `.hearth/` (ports, pids, snooze files, logs) starts empty.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ServiceStatus, StackInfo } from '../../shared/types';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HEARTH = join(REPO, 'bin/hearth.js');
export const SHOP_SERVICES = ['migrate', 'api', 'web', 'worker'] as const;

export interface ServeRun {
  /** The copied stack folder and its hearth.yaml. */
  dir: string;
  file: string;
  /** The UI address exactly as printed (with its one-time login code). */
  url: string;
  /** A fresh one-time login link, as Enter in serve's terminal prints it. */
  loginUrl(): Promise<string>;
  pid: number;
  sandbox(service: string): string;
  snoozeFile(service: string): string;
  /** Everything serve printed so far (stdout + stderr), for failure messages. */
  output(): string;
  /** `hearth status -f FILE --json`, through the control socket of this serve. */
  status(): Promise<{ stack: StackInfo; services: ServiceStatus[] }>;
  /** SIGTERM, wait for exit, then check /proc: no process of the stack may be left. Idempotent. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const run = promisify(execFile);

export async function startServe(): Promise<ServeRun> {
  const temp = makeTempDir('he-');
  const dir = join(temp.dir, 'shop');
  cpSync(join(REPO, 'examples/shop'), dir, { recursive: true, filter: (src) => !src.includes('/.hearth') });
  const file = join(dir, 'hearth.yaml');
  const sandbox = (service: string) => join(dir, '.hearth', 'sandbox', service);

  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(process.execPath, [HEARTH, 'serve', '-f', file, '--port', '0'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve((exit = { code, signal }))),
  );

  // Every process of the stack carries its sandbox in HEARTH_SANDBOX: that is how /proc finds them.
  const leftovers = () => SHOP_SERVICES.flatMap((s) => pidsWithEnv(`HEARTH_SANDBOX=${sandbox(s)}`));

  let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (!exit) child.kill('SIGTERM');
      const result = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
      try {
        if (!result) {
          child.kill('SIGKILL');
          throw new Error(`hearth serve did not exit within 20 s of SIGTERM; output:\n${out}`);
        }
        // The supervisor waits for its children before exiting; give /proc a moment to catch up.
        await waitFor(() => leftovers().length === 0, { timeoutMs: 5_000, what: 'no process of the stack left' }).catch(() => {
          const pids = leftovers();
          for (const pid of pids) process.kill(pid, 'SIGKILL');
          throw new Error(`processes of the stack outlived hearth serve: ${pids.join(', ')}`);
        });
        if (isAlive(child.pid!)) throw new Error(`hearth serve (pid ${child.pid}) still alive`);
        return result;
      } finally {
        temp.cleanup();
      }
    })());

  const links = (): string[] => [...out.matchAll(/^Hearth UI: (http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+)$/gm)].map((m) => m[1]!);
  try {
    const url = await waitFor(
      () => {
        if (exit) throw new Error(`hearth serve exited early (${JSON.stringify(exit)}):\n${out}`);
        return /^Hearth UI: (http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+)$/m.exec(out)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 50, what: 'the "Hearth UI: …" line' },
    );
    return {
      dir,
      file,
      url,
      pid: child.pid!,
      sandbox,
      snoozeFile: (service) => join(sandbox(service), '.healthchecksnooze'),
      output: () => out,
      loginUrl: async () => {
        const before = links().length;
        child.stdin.write('\n');
        return waitFor(() => links()[before], { what: 'a new "Hearth UI: …" line after Enter' });
      },
      status: async () => {
        const { stdout } = await run(process.execPath, [HEARTH, 'status', '-f', file, '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
        return JSON.parse(stdout) as { stack: StackInfo; services: ServiceStatus[] };
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Pids of the running services, by name, from the CLI's status JSON. */
export async function pidsOf(serve: ServeRun): Promise<Record<string, number | null>> {
  const { services } = await serve.status();
  return Object.fromEntries(services.map((s) => [s.name, s.pid]));
}

/** Replaces `from` with `to` in the stack file (the text must occur exactly once) and returns the old text. */
export function editStackFile(serve: ServeRun, from: string, to: string): string {
  const text = readFileSync(serve.file, 'utf8');
  if (text.split(from).length !== 2) throw new Error(`"${from}" must occur exactly once in ${serve.file}`);
  writeFileSync(serve.file, text.replace(from, to));
  return text;
}
