// Real Debian servers under Hearth (PostgreSQL 15, Redis, nginx): what a test needs to run them as a user
// would. CI runs as root and Postgres refuses to run as root, so when root, the servers (and, where the
// behaviour under test is Hearth's own reaping, Hearth itself) run as a dedicated user made for the test
// file (test/helpers/second-user.ts). A binary that is missing SKIPS the test with a printed line, never a pass.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { secondUser } from '../helpers/second-user';
import { waitFor } from '../helpers/wait-for';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'hearth.js');

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
  /** Prefix that runs a command as this user, for a service's cmd (empty when we are that user already). */
  runAs: string;
}

/** Skips the test (saying so on stderr) unless every one of these files exists. */
export function needFiles(ctx: TestContext, files: string[]): void {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length === 0) return;
  const why = `not installed here: ${missing.join(', ')} (apt-get install -y postgresql redis-server nginx)`;
  process.stderr.write(`SKIPPED (not passed): "${ctx.task.name}": ${why}\n`);
  ctx.skip(true, why);
}

/** Who runs the servers: a fresh user when we are root (Postgres will not run as root), else ourselves. */
export function serverUser(ctx: TestContext): ServerUser {
  if (process.getuid?.() !== 0) {
    return { name: 'self', uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, runAs: '' };
  }
  const u = secondUser(ctx, 'srv');
  return { name: u.name, uid: u.uid, gid: u.gid, runAs: `setpriv --reuid=${u.uid} --regid=${u.gid} --clear-groups --` };
}

/** A fresh folder owned by `user`, with these files in it. */
export function ownedDir(user: ServerUser, from?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hsrv-'));
  if (from) cpSync(from, dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
  return dir;
}

/** A file written for `user` (owned by them, as a file of theirs would be). */
export function writeOwned(user: ServerUser, path: string, text: string): void {
  writeFileSync(path, text);
  if (process.getuid?.() === 0) execFileSync('chown', [`${user.uid}:${user.gid}`, path]);
}

/** initdb as `user` into `<dir>/data` (superuser "app", trust auth on loopback, no fsync: a test cluster). */
export function initdb(user: ServerUser, dir: string): void {
  const r = spawnSync(join(PG_BIN, 'initdb'), ['-D', join(dir, 'data'), '-U', 'app', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    uid: user.uid,
    gid: user.gid,
    env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: dir },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`initdb failed (${r.status}): ${r.stderr}`);
}

/** The postgres command line of a service on port {{thermos.ports[pg]}}, TCP on 127.0.0.1 only. */
export function postgresCmd(user: ServerUser, extra = ''): string {
  return `exec ${user.runAs} ${PG_BIN}/postgres -D data -p {{thermos.ports[pg]}} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off ${extra}`.replace(/ +/g, ' ');
}

/** The environment a user's `hearth` gets (no HOME of its own). */
function userEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', NO_COLOR: '1', ...extra };
}

export interface UserHearth {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

/** `hearth ARGS` as `user` in the stack folder, left running (`up`): its output collected. */
export function hearthAs(user: ServerUser, dir: string, args: string[], env: Record<string, string> = {}): UserHearth {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, uid: user.uid, gid: user.gid, env: userEnv(dir, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => text, exited };
}

/** Waits until `h`'s output matches, failing at once (with the output) if it exited first. */
export async function outputMatching(h: UserHearth, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
  let gone: number | string | null = null;
  void h.exited.then((v) => (gone = v));
  try {
    return await waitFor(
      () => {
        if (gone !== null) throw new Error(`hearth exited (${gone}):\n${h.output()}`);
        return pattern.exec(h.output()) ?? undefined;
      },
      { timeoutMs, what },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- hearth output ---\n${h.output().slice(-4000)}`, { cause: error });
  }
}

/**
 * Kills, pid by pid, what still runs as the test's own user (made for this file only): nginx's workers drop
 * their environment, so the test's mark cannot find them, and the user can only be removed once none is left.
 */
export async function killUserProcesses(user: ServerUser): Promise<void> {
  if (user.runAs === '') return; // ourselves: the marks found everything
  const pidsOf = (): number[] =>
    readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => {
        try {
          return statSync(`/proc/${e}`).uid === user.uid;
        } catch {
          return false;
        }
      })
      .map(Number);
  for (const pid of pidsOf()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await waitFor(() => pidsOf().length === 0, { what: `no process of ${user.name} left` });
}

/** The CLI bundle is built by whoever runs `hearth` first; another user could not write out/cli. */
export function buildCliOnce(): void {
  execFileSync(process.execPath, [BIN, '--version'], { cwd: REPO, stdio: 'ignore' });
}
