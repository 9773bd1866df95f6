import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleConfig } from '../../../electron/supervisor/config/types';
import { descendantsOf, killTreeNow, stopTree } from '../../../electron/supervisor/process/kill-tree';
import { readProcStat } from '../../../electron/supervisor/process/proc-stat';
import { nonePlatform } from '../../../electron/supervisor/process/platform/none';
import type { ProcessPlatform } from '../../../electron/supervisor/process/platform/types';
import { spawnProcess } from '../../../electron/supervisor/process/spawn';
import { TABLE_BACKENDS } from '../../helpers/backends';
import { hasIpv6Loopback } from '../../helpers/loopback';
import { isAlive, pidsWithEnv } from '../../helpers/proc';
import { makeTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

const ipv6Loopback = await hasIpv6Loopback();
const marks: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  // Safety net only: the tests themselves assert that nothing is left.
  for (const mark of marks.splice(0)) for (const pid of pidsWithEnv(mark)) process.kill(pid, 'SIGKILL');
  for (const c of cleanups.splice(0)) c();
});

const noHttp = (shutdown_wait_secs: number, stop_signal: LifecycleConfig['stop_signal'] = 'SIGTERM'): LifecycleConfig => ({
  http: null,
  graceful_shutdown_wait_secs: 5,
  stop_signal,
  shutdown_wait_secs,
  kill_mode: 'group',
});

async function start(platform: ProcessPlatform, cmd: string, cwd = process.cwd(), extraEnv: Record<string, string> = {}) {
  const mark = `HEARTH_KT=${process.pid}-${Math.random().toString(36).slice(2)}`;
  marks.push(mark);
  let output = '';
  const handle = await spawnProcess({
    cmd,
    cwd,
    env: { ...process.env, ...extraEnv, HEARTH_KT: mark.slice('HEARTH_KT='.length) },
    platform,
    onOutput: (_s, chunk) => (output += chunk.toString()),
  });
  await handle.identified;
  return { handle, mark, output: () => output };
}

// Root ignores SIGTERM and has a grandchild (ignoring TERM too: SIG_IGN is inherited), plus a second
// branch that calls setsid and so leaves the process group.
const STUBBORN = `trap '' TERM; sleep 1000 & setsid sh -c 'sleep 1000 & wait' & wait`;

async function startStubborn(platform: ProcessPlatform) {
  const s = await start(platform, STUBBORN);
  await waitFor(() => pidsWithEnv(s.mark).length === 4, { what: '4 processes of the stubborn tree' });
  const outside = pidsWithEnv(s.mark).filter((pid) => readProcStat(pid)?.pgrp !== s.handle.pid);
  expect(outside.length).toBe(2); // the setsid'd shell and its sleep really left the group
  return s;
}

describe.each(TABLE_BACKENDS)('%s backend', (_name, platform) => {
describe('stopTree', () => {
  it('SIGKILLs a tree that ignores SIGTERM, including descendants that left the group, after shutdown_wait_secs', async () => {
    const { handle, mark } = await startStubborn(platform);
    const phases: string[] = [];
    const t0 = Date.now();
    await stopTree(handle, { platform, lifecycle: noHttp(0.5), onPhase: (m) => phases.push(m) });
    const took = Date.now() - t0;
    expect(pidsWithEnv(mark)).toEqual([]);
    expect(took).toBeGreaterThanOrEqual(480);
    expect(took).toBeLessThan(3000);
    expect(phases[0]).toMatch(/^SIGTERM to 4 processes/);
    expect(phases[1]).toMatch(/^still running after 0.5s: SIGKILL to 4 processes/);
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('a well-behaved tree exits on SIGTERM well before the grace', async () => {
    const { handle, mark } = await start(platform, 'sleep 1000 & sleep 1000 & wait');
    await waitFor(() => pidsWithEnv(mark).length === 3, { what: 'sh and two sleeps' });
    const phases: string[] = [];
    const t0 = Date.now();
    await stopTree(handle, { platform, lifecycle: noHttp(10), onPhase: (m) => phases.push(m) });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(pidsWithEnv(mark)).toEqual([]);
    expect(phases).toHaveLength(1);
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('sends stop_signal instead of SIGTERM: a program that ignores SIGTERM and quits on Ctrl-C stops without SIGKILL', async () => {
    // The root (node) ignores SIGTERM and exits 0 on SIGINT; its child sleep dies of the SIGINT sent to the group.
    const script = `process.on('SIGTERM', () => {}); process.on('SIGINT', () => process.exit(0)); require('child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log('ready');`;
    const s = await start(platform, `exec "${process.execPath}" -e "${script}"`);
    await waitFor(() => s.output().includes('ready') && pidsWithEnv(s.mark).length === 2, { what: 'node and its sleep' });
    const phases: string[] = [];
    await stopTree(s.handle, { platform, lifecycle: noHttp(10, 'SIGINT'), onPhase: (m) => phases.push(m) });
    expect(phases).toEqual([expect.stringMatching(/^SIGINT to 2 processes \(\d+, \d+\), waiting up to 10s$/)]);
    expect(pidsWithEnv(s.mark)).toEqual([]);
    expect(await s.handle.exited).toEqual({ code: 0, signal: null });
  });

  it('returns at once for a spawn failure (pid 0) and for a process that is already gone', async () => {
    const t0 = Date.now();
    await stopTree({ pid: 0 }, { platform, lifecycle: noHttp(10) });
    const { handle } = await start(platform, 'exit 0');
    await handle.exited;
    await waitFor(() => !isAlive(handle.pid), { what: 'shell reaped' });
    await stopTree(handle, { platform, lifecycle: noHttp(10) });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('still stops what the root left behind in its group after the root itself exited', async () => {
    const { handle, mark } = await start(platform, 'sleep 1000 & echo forked');
    expect((await handle.exited).code).toBe(0);
    await waitFor(() => !isAlive(handle.pid), { what: 'root reaped' });
    expect(pidsWithEnv(mark)).toHaveLength(1);
    await stopTree(handle, { platform, lifecycle: noHttp(5) });
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('leaves a pid alone when its start time shows it is another process now', async () => {
    const { handle, mark } = await start(platform, 'sleep 1000');
    await waitFor(() => pidsWithEnv(mark).length === 1, { what: 'sleep' }); // plain words: run without the shell
    await stopTree({ pid: handle.pid, startTime: (handle.startTime ?? 0) + 1 }, { platform, lifecycle: noHttp(0.1) });
    expect(await killTreeNow(handle.pid, (handle.startTime ?? 0) + 1, platform)).toEqual([]);
    expect(isAlive(handle.pid)).toBe(true);
    await stopTree(handle, { platform, lifecycle: noHttp(5) });
    expect(isAlive(handle.pid)).toBe(false);
  });

  describe('kill_mode mixed', () => {
    // A main process that stops its own children, as Postgres's postmaster stops its backends (which setsid):
    // on SIGTERM it tells its setsid'd child to finish (USR1, a moment later) and waits for it. The child
    // waits on one long sleep (its traps end it), not a loop of short ones: between two of those the tree
    // had one process that left its group, not two, and the count in the stop's message was 1 (a CI failure).
    const PARENT = `setsid sh -c 'sleep 1000 & s=$!; trap "echo child: TERM; kill $s; exit 0" TERM; trap "echo child: USR1 from parent; kill $s; exit 0" USR1; echo ready; wait' & child=$!; trap 'sleep 0.3; kill -USR1 $child; wait $child; exit 0' TERM; wait`;
    const mixed = (secs: number): LifecycleConfig => ({ ...noHttp(secs), kill_mode: 'mixed' });

    it('sends the stop signal to the process group only: the main process shuts down what left it, well before the grace', async () => {
      const s = await start(platform, PARENT);
      await waitFor(() => s.output().includes('ready') && pidsWithEnv(s.mark).length >= 3, { what: 'parent, setsid child, its sleep' });
      const phases: string[] = [];
      const t0 = Date.now();
      await stopTree(s.handle, { platform, lifecycle: mixed(10), onPhase: (m) => phases.push(m) });
      expect(Date.now() - t0).toBeLessThan(5000);
      // Its last words may still be in the pipe when the tree is gone.
      await waitFor(() => s.output().includes('child: USR1 from parent'), { what: 'the child stopped by its parent' });
      expect(s.output()).not.toContain('child: TERM');
      expect(phases).toHaveLength(1);
      expect(phases[0]).toMatch(/^SIGTERM to process \d+ \(mixed: 2 that left its group get nothing before the SIGKILL\), waiting up to 10s$/);
      expect(pidsWithEnv(s.mark)).toEqual([]);
    });

    it('group (the default) signals them directly: the child hears SIGTERM itself', async () => {
      const s = await start(platform, PARENT);
      await waitFor(() => s.output().includes('ready') && pidsWithEnv(s.mark).length >= 3, { what: 'parent, setsid child, its sleep' });
      await stopTree(s.handle, { platform, lifecycle: noHttp(10) });
      await waitFor(() => s.output().includes('child: TERM'), { what: "the child's own TERM" });
      expect(pidsWithEnv(s.mark)).toEqual([]);
    });

    it('SIGKILLs what is left, group and escapees alike, once the grace is over', async () => {
      const s = await start(platform, `trap '' TERM; setsid sh -c 'trap "" TERM; exec sleep 1000' & wait`);
      await waitFor(() => pidsWithEnv(s.mark).length === 2, { what: 'root and its setsid sleep' });
      const phases: string[] = [];
      await stopTree(s.handle, { platform, lifecycle: mixed(0.3), onPhase: (m) => phases.push(m) });
      expect(phases[1]).toMatch(/^still running after 0.3s: SIGKILL to 2 processes/);
      expect(pidsWithEnv(s.mark)).toEqual([]);
    });
  });

  describe('HTTP lifecycle', () => {
    // Ignores SIGTERM on purpose: only the HTTP endpoints can stop it before the SIGKILL.
    const SERVER = `
      const http = require('node:http');
      process.on('SIGTERM', () => console.log('got TERM'));
      const server = http.createServer((req, res) => {
        console.log(req.method + ' ' + req.url);
        res.end('bye');
        if (req.url === process.env.QUIT_ON) res.on('finish', () => process.exit(0));
      });
      server.listen(0, process.env.LISTEN_ON, () => console.log('port ' + server.address().port));
    `;

    async function startServer(quitOn: string, listenOn = '127.0.0.1') {
      const { dir, cleanup } = makeTempDir();
      cleanups.push(cleanup);
      writeFileSync(join(dir, 'server.cjs'), SERVER);
      // exec: the server itself is the root, so its SIGTERM handler decides (dash would otherwise stay as parent).
      const s = await start(platform, `exec "${process.execPath}" server.cjs`, dir, { QUIT_ON: quitOn, LISTEN_ON: listenOn });
      const port = Number((await waitFor(() => /port (\d+)/.exec(s.output()), { what: 'server listening' }))[1]);
      return { ...s, port };
    }

    const lifecycle = (graceful: number, shutdown: number): LifecycleConfig => ({
      http: { port: 'health', graceful_shutdown_endpoint: '/quitquitquit', shutdown_endpoint: '/abortabortabort' },
      graceful_shutdown_wait_secs: graceful,
      stop_signal: 'SIGTERM',
      shutdown_wait_secs: shutdown,
      kill_mode: 'group',
    });

    it('POSTs the graceful endpoint and stops as soon as the server exits', async () => {
      const { handle, mark, port, output } = await startServer('/quitquitquit');
      const t0 = Date.now();
      await stopTree(handle, { platform, lifecycle: lifecycle(5, 5), httpPort: port });
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(output()).toContain('POST /quitquitquit');
      expect(output()).not.toContain('abortabortabort');
      expect(output()).not.toContain('got TERM');
      expect(pidsWithEnv(mark)).toEqual([]);
      expect((await handle.exited).code).toBe(0);
    });

    it.skipIf(!ipv6Loopback)('reaches a server listening on ::1 only (localhost on macOS)', async () => {
      const { handle, mark, port, output } = await startServer('/quitquitquit', '::1');
      await stopTree(handle, { platform, lifecycle: lifecycle(5, 5), httpPort: port });
      expect(output()).toContain('POST /quitquitquit');
      expect(output()).not.toContain('got TERM');
      expect(pidsWithEnv(mark)).toEqual([]);
      expect((await handle.exited).code).toBe(0);
    });

    it('moves on to the shutdown endpoint after graceful_shutdown_wait_secs', async () => {
      const { handle, mark, port, output } = await startServer('/abortabortabort');
      const phases: string[] = [];
      const t0 = Date.now();
      await stopTree(handle, { platform, lifecycle: lifecycle(0.3, 5), httpPort: port, onPhase: (m) => phases.push(m) });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(output()).toMatch(/POST \/quitquitquit\n(.*\n)*POST \/abortabortabort/);
      expect(output()).not.toContain('got TERM');
      expect(phases).toEqual([
        `POST http://localhost:${port}/quitquitquit, waiting up to 0.3s for the exit`,
        `POST http://localhost:${port}/abortabortabort, waiting up to 5s for the exit`,
      ]);
      expect(pidsWithEnv(mark)).toEqual([]);
    });

    it('falls back to signals when the endpoints do nothing', async () => {
      const { handle, mark, port, output } = await startServer('/never');
      await stopTree(handle, { platform, lifecycle: lifecycle(0.1, 0.2), httpPort: port });
      expect(output()).toContain('POST /abortabortabort');
      await waitFor(() => output().includes('got TERM'), { what: 'SIGTERM reached the server' });
      expect(pidsWithEnv(mark)).toEqual([]);
      expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
    });
  });
});

describe('killTreeNow / descendantsOf', () => {
  it('finds every descendant and SIGKILLs the group and those that left it, at once', async () => {
    const { handle, mark } = await startStubborn(platform);
    const all = pidsWithEnv(mark).sort();
    expect((await descendantsOf(handle.pid, platform)).sort()).toEqual(all.filter((p) => p !== handle.pid));
    expect((await killTreeNow(handle.pid, handle.startTime, platform)).sort()).toEqual(all);
    await waitFor(() => pidsWithEnv(mark).length === 0, { timeoutMs: 2000, what: 'tree gone after SIGKILL' });
    expect(await descendantsOf(handle.pid, platform)).toEqual([]);
    expect(await killTreeNow(0, null, platform)).toEqual([]);
    expect(await killTreeNow(process.pid, null, platform)).toEqual([]);
  });
});
});

// No process table at all (no /proc, no ps): the group is signalled blind, SIGKILL follows the grace,
// and its emptiness ends the stop. Judged by /proc, which the code under test does not read.
describe('no backend', () => {
  const none = nonePlatform();

  it('stops a tree that ignores SIGTERM: the group gets SIGTERM, then SIGKILL after the grace, and nothing is left', async () => {
    const { handle, mark } = await start(none, `trap '' TERM; sleep 1000 & sleep 1000 & wait`);
    await waitFor(() => pidsWithEnv(mark).length === 3, { what: 'sh and two sleeps' });
    const phases: string[] = [];
    const t0 = Date.now();
    await stopTree(handle, { platform: none, lifecycle: noHttp(0.3), onPhase: (m) => phases.push(m) });
    expect(pidsWithEnv(mark)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(phases[0]).toMatch(new RegExp(`^SIGTERM to process group ${handle.pid} \\(no process table here: .*\\), waiting up to 0.3s$`));
    expect(phases[1]).toMatch(new RegExp(`^still running after 0.3s: SIGKILL to process group ${handle.pid} `));
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('a polite tree ends at the stop signal, well before the grace', async () => {
    const { handle, mark } = await start(none, 'sleep 1000 & sleep 1000 & wait');
    await waitFor(() => pidsWithEnv(mark).length === 3, { what: 'sh and two sleeps' });
    const t0 = Date.now();
    await stopTree(handle, { platform: none, lifecycle: noHttp(10) });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(pidsWithEnv(mark)).toEqual([]);
  });

  it('stops what a dead leader left in its group (the group outlives its leader)', async () => {
    const { handle, mark } = await start(none, 'sleep 1000 & echo forked');
    expect((await handle.exited).code).toBe(0);
    await waitFor(() => !isAlive(handle.pid), { what: 'root reaped' });
    await stopTree(handle, { platform: none, lifecycle: noHttp(5) });
    expect(pidsWithEnv(mark)).toEqual([]);
  });
});
