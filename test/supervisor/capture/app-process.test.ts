// Captures of a service whose command is a wrapper (npm start, npx, yarn, a shell) are of the app it runs,
// not of the wrapper: the pick on recorded process trees, and a real `npm start` profiled.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pickAppProcess, readTree, wrapperName, type TreeEntry } from '../../../electron/supervisor/capture/app-process';
import { formatCapture } from '../../../electron/cli/commands/capture';
import type { ProcessFacts } from '../../../electron/supervisor/capture/runtime';
import { findOnPath } from '../../../electron/supervisor/capture/tools';
import { runStack, type StackUnderTest } from '../harness';
import { TABLE_BACKENDS } from '../../helpers/backends';
import { waitFor } from '../../helpers/wait-for';

const node = (...argv: string[]): ProcessFacts => ({ exe: '/usr/bin/node', argv, goBinary: false });
const sh = (...argv: string[]): ProcessFacts => ({ exe: '/usr/bin/dash', argv, goBinary: false });
const py = (...argv: string[]): ProcessFacts => ({ exe: '/usr/bin/python3.11', argv, goBinary: false });

describe('wrapperName', () => {
  it('knows npm, npx, yarn, pnpm, nodemon, tsx and shells, by title or script', () => {
    // npm sets process.title, which overwrites the command line: /proc/PID/cmdline is "npm start\0\0…".
    expect(wrapperName(node('npm start'))).toBe('npm');
    expect(wrapperName(node('npm', 'start'))).toBe('npm');
    expect(wrapperName(node('node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'start'))).toBe('npm');
    expect(wrapperName(node('npm', 'exec', 'vite'))).toBe('npm');
    expect(wrapperName(node('node', '/usr/local/bin/npx', 'vite'))).toBe('npx');
    expect(wrapperName(node('node', '/home/d/.yarn/releases/yarn-4.1.0.cjs', 'start'))).toBeNull();
    expect(wrapperName(node('node', '/usr/lib/node_modules/yarn/bin/yarn.js', 'start'))).toBe('yarn');
    expect(wrapperName(node('node', '/usr/local/lib/node_modules/pnpm/bin/pnpm.cjs', 'start'))).toBe('pnpm');
    expect(wrapperName(node('node', '/app/node_modules/.bin/nodemon', 'server.js'))).toBe('nodemon');
    expect(wrapperName(node('node', '/app/node_modules/tsx/dist/cli.mjs', 'server.ts'))).toBe('tsx');
    expect(wrapperName(sh('sh', '-c', 'node server.js'))).toBe('dash');
    expect(wrapperName(py('python3', '/home/d/.local/bin/poetry', 'run', 'app'))).toBe('poetry');
  });

  it('takes an app for the app', () => {
    expect(wrapperName(node('node', 'server.js'))).toBeNull();
    expect(wrapperName(node('node', '--inspect', 'dist/main.js'))).toBeNull();
    expect(wrapperName(py('python3', '-u', 'worker.py'))).toBeNull();
    expect(wrapperName({ exe: '/usr/sbin/nginx', argv: ['nginx', '-g', 'daemon off;'], goBinary: false })).toBeNull();
  });
});

describe('pickAppProcess', () => {
  const facts = new Map<number, ProcessFacts>([
    [10, node('npm start')],
    [11, sh('sh', '-c', 'node app.js')],
    [12, node('node', 'app.js')],
    [13, node('/usr/bin/node', '/app/worker.js')], // forked by the app: not descended into
    [20, sh('sh', '-c', 'sleep 1; node app.js')],
    [21, { exe: '/usr/bin/sleep', argv: ['sleep', '1'], goBinary: false }],
    [22, node('node', 'old.js')],
    [23, node('node', 'new.js')],
  ]);
  const tree = (entries: Array<[number, number, number]>) => new Map<number, TreeEntry>(entries.map(([pid, ppid, start]) => [pid, { ppid, start }]));
  const read = (pid: number) => facts.get(pid) ?? null;

  it('walks npm → sh to the node that runs the app, and says so', () => {
    const picked = pickAppProcess(10, tree([[10, 1, 100], [11, 10, 101], [12, 11, 102], [13, 12, 103]]), read);
    expect(picked).toEqual({ pid: 12, why: 'node (pid 12), under npm (pid 10) → dash (pid 11)', via: ['npm (pid 10)', 'dash (pid 11)'] });
  });

  it('keeps a service whose own process is the app, even with children', () => {
    expect(pickAppProcess(12, tree([[12, 1, 100], [13, 12, 101]]), read)).toEqual({ pid: 12, why: 'node (pid 12)', via: [] });
  });

  it('prefers a Node child to another program, and the newest of two', () => {
    expect(pickAppProcess(20, tree([[20, 1, 100], [21, 20, 105], [22, 20, 101], [23, 20, 103]]), read).pid).toBe(23);
  });

  it('stays at a wrapper with no child (the app not started yet), or one whose children are gone', () => {
    expect(pickAppProcess(10, tree([[10, 1, 100]]), read)).toEqual({ pid: 10, why: 'npm (pid 10)', via: [] });
    expect(pickAppProcess(10, tree([[10, 1, 100], [99, 10, 101]]), read).pid).toBe(10);
  });

});

describe.each(TABLE_BACKENDS)('readTree over the %s backend', (_name, platform) => {
  it("has a wrapper's children, the later one with the later start", async () => {
    // Two children a second apart (ps's start times are whole seconds): the walk ranks children by start.
    const sh = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 1.1; sleep 31 & exec sleep 32'], { stdio: 'ignore' });
    const argv = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1];
      } catch {
        return undefined; // `sleep 1.1`, gone since the scan
      }
    };
    try {
      const kids = await waitFor(async () => {
        const tree = await readTree(platform);
        const list = [...tree].filter(([, e]) => e.ppid === sh.pid).map(([pid, e]) => ({ pid, ...e }));
        return list.length === 2 && list.some((k) => argv(k.pid) === '31') ? list : null;
      }, { what: "sh's two sleeps" });
      const [early, late] = kids.sort((a, b) => Number(argv(a.pid)) - Number(argv(b.pid)));
      expect(late!.start).toBeGreaterThan(early!.start);
    } finally {
      spawnSync('pkill', ['-KILL', '-P', String(sh.pid)]);
      sh.kill('SIGKILL');
    }
  });

  it('leaves zombies out: they run nothing to capture', async () => {
    // `true` exits at once; its parent is now `sleep`, which never reaps it.
    const parent = spawn('/bin/sh', ['-c', '(true) & exec sleep 30'], { stdio: 'ignore' });
    let marker: ReturnType<typeof spawn> | null = null;
    try {
      const childrenFile = `/proc/${parent.pid}/task/${parent.pid}/children`;
      const zombie = await waitFor(() => Number(readFileSync(childrenFile, 'utf8').trim()), { what: 'the child' });
      await waitFor(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'), { what: 'the zombie' });
      // A scan that has this later process was taken after the zombie was one.
      marker = spawn('sleep', ['30'], { stdio: 'ignore' });
      const tree = await waitFor(async () => {
        const t = await readTree(platform);
        return t.has(marker!.pid!) ? t : null;
      }, { what: 'a scan with the marker' });
      expect(tree.get(parent.pid!)?.ppid).toBe(process.pid);
      expect(tree.has(zombie)).toBe(false);
    } finally {
      marker?.kill('SIGKILL');
      parent.kill('SIGKILL');
    }
  });
});


let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const npm = findOnPath('npm');
if (!npm) process.stdout.write('SKIPPED: npm is not on PATH: the `npm start` capture test did not run\n');

describe.runIf(npm)('a service run by `npm start`', () => {
  it("is profiled in the app's node, not npm's, and the capture says which and why", async () => {
    stack = await runStack('services:\n  cart:\n    cmd: npm start\n', { start: false });
    writeFileSync(join(stack.dir, 'package.json'), JSON.stringify({ name: 'cart', private: true, scripts: { start: 'node cart-app.mjs' } }));
    copyFileSync(new URL('./fixtures/cart-app.mjs', import.meta.url), join(stack.dir, 'cart-app.mjs'));
    await stack.sup.invoke('start', {});
    await stack.waitState('cart', (s) => s.state === 'RUNNING' && stack!.lines.some((l) => l.text === 'cart app up'));
    const top = stack.status('cart').pid!;

    const { capture } = await stack.sup.invoke('capture', { service: 'cart', kind: 'cpu', for_secs: 2 });
    expect(capture.pid).not.toBe(top);
    expect(readFileSync(`/proc/${capture.pid}/cmdline`, 'utf8').split('\0')).toContain('cart-app.mjs');
    expect(capture.target).toMatch(new RegExp(`^node \\(pid ${capture.pid}\\), under npm \\(pid ${top}\\)( → \\w+ \\(pid \\d+\\))?$`));
    type ProfileNode = { id: number; callFrame: { functionName: string } };
    const profile = JSON.parse(readFileSync(capture.file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
    const own = new Set(profile.nodes.filter((n) => n.callFrame.functionName === 'checkoutTheCart').map((n) => n.id));
    expect(profile.samples.filter((id) => own.has(id)).length).toBeGreaterThan(10);
    // The record on disk says it too (status, the UI and `hearth capture` read it from there).
    const listed = (await stack.sup.invoke('captures', { service: 'cart' })).captures[0]!;
    expect(listed).toMatchObject({ name: capture.name, pid: capture.pid, target: capture.target });
    expect(formatCapture(listed)).toContain(`of ${capture.target}`);
    expect(stack.status('cart')).toMatchObject({ pid: top, restarts: 0, snoozed: false });
  });
});
