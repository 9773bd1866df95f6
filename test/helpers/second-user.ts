// A second local user, for tests that run an attack the way it happens: from another account on the
// same machine. Made with useradd when the tests run as root (CI and the development machines here),
// removed when the test file ends. Without root there is no second user to be: the test is SKIPPED,
// with a line saying so on stderr, and never counted as a pass.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, type TestContext } from 'vitest';

export interface SecondUser {
  name: string;
  uid: number;
  gid: number;
  /** `node -e script args…` as this user (no supplementary groups: libuv drops them), to completion. */
  runNode(script: string, args?: string[], opts?: { timeoutMs?: number }): SpawnSyncReturns<string>;
  /** The same, left running (a server, a watcher); killed when the file's tests end. */
  spawnNode(script: string, args?: string[]): ChildProcess;
}

const made: Array<{ name: string; children: ChildProcess[] }> = [];

/** useradd/userdel, retried: several test files make users at once, and 10 means another holds /etc/passwd's lock. */
function shadowTool(cmd: 'useradd' | 'userdel', args: string[]): void {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status === 0) return;
    if (r.status !== 10 || attempt >= 50) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
    spawnSync('sleep', ['0.1']);
  }
}

function useradd(name: string): void {
  shadowTool('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name]);
}

function idOf(name: string, flag: '-u' | '-g'): number {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`id ${flag} ${name}: ${r.stderr}`);
  return Number(r.stdout.trim());
}

/** Why no second user can be made here, or null when one can. */
export function secondUserUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create a second local user (useradd)';
  if (spawnSync('useradd', ['--help']).error) return 'useradd is not installed';
  return null;
}

/**
 * A fresh user for this test file (one per call; removed after the file's tests). When none can be
 * made, the current test is skipped with a printed reason and this returns never.
 */
export function secondUser(ctx: TestContext, label: string): SecondUser {
  const why = secondUserUnavailable();
  if (why) {
    process.stderr.write(`SKIPPED (not passed): "${ctx.task.name}": ${why}\n`);
    ctx.skip(true, why);
    throw new Error('unreachable: skipped');
  }
  const name = `ht-${label.slice(0, 12)}-${randomBytes(3).toString('hex')}`;
  useradd(name);
  const entry = { name, children: [] as ChildProcess[] };
  made.push(entry);
  const uid = idOf(name, '-u');
  const gid = idOf(name, '-g');
  const env = { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };
  return {
    name,
    uid,
    gid,
    runNode: (script, args = [], opts = {}) =>
      spawnSync(process.execPath, ['-e', script, ...args], { uid, gid, env, cwd: '/', encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 }),
    spawnNode: (script, args = []) => {
      const child = spawn(process.execPath, ['-e', script, ...args], { uid, gid, env, cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
      entry.children.push(child);
      return child;
    },
  };
}

afterAll(async () => {
  for (const { name, children } of made.splice(0)) {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    shadowTool('userdel', [name]);
  }
});
