// Parsing /proc/<pid>/stat for CPU and RSS, building a tree from a table, and — for real — the
// sampler on a live process tree whose grandchild holds memory.
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  indexTable,
  parseProcUsage,
  sampleTrees,
  TreeSampler,
  systemUnits,
  treeUsage,
  type ProcUsage,
  type TreeUsage,
} from '../../../electron/supervisor/resources/proc-usage';
import { waitFor } from '../../helpers/wait-for';

const MiB = 1024 ** 2;
/** The pids a usage counted. */
const pidsOf = (u: TreeUsage): number[] => u.members.map((m) => m.pid);

function stat(pid: number, ppid: number, pgrp: number, over: Partial<ProcUsage> = {}): ProcUsage {
  return { pid, ppid, pgrp, state: 'S', startTime: pid * 10, utime: 1, stime: 1, rssPages: 10, ...over };
}

describe('parseProcUsage', () => {
  it('reads utime, stime and rss after a comm with spaces and parentheses', () => {
    const fields = ['S', '17', '4242', '4242', '0', '-1', '4194304', '100', '0', '0', '0', '250', '30', '0', '0', '20', '0', '1', '0', '987654', '123456789', '2048'];
    const usage = parseProcUsage(`4242 (we (ird) name) ${fields.join(' ')} 18446744073709551615 1 1 0 0 0 0 0 0 0`);
    expect(usage).toEqual({ pid: 4242, state: 'S', ppid: 17, pgrp: 4242, startTime: 987654, utime: 250, stime: 30, rssPages: 2048 });
    expect(parseProcUsage('1 (x) S 0')).toBeNull();
  });
});

describe('treeUsage', () => {
  it('sums the root, its descendants and its process group, not zombies or strangers', () => {
    const table = new Map(
      [
        stat(100, 1, 100, { rssPages: 1 }),
        stat(101, 100, 100, { rssPages: 2 }),
        stat(102, 101, 100, { rssPages: 4 }), // grandchild
        stat(103, 1, 100, { rssPages: 8 }), // daemonized, kept the group
        stat(104, 101, 104, { rssPages: 16, state: 'Z' }), // zombie
        stat(200, 1, 200, { rssPages: 32 }), // someone else
      ].map((s) => [s.pid, s]),
    );
    const u = treeUsage(table, 100, 4096);
    expect(u.rssBytes).toBe(15 * 4096);
    expect(pidsOf(u).sort()).toEqual([100, 101, 102, 103]);
    expect(u.ticks.get('102:1020')).toBe(2);
  });
});

describe('indexTable', () => {
  it('is built once and shared by every root of a scan, each root keeping only its own tree', () => {
    const table = new Map(
      [stat(100, 1, 100), stat(101, 100, 100), stat(102, 1, 100), stat(200, 1, 200), stat(201, 200, 200), stat(202, 201, 202, { state: 'Z' })].map((s) => [s.pid, s]),
    );
    const index = indexTable(table);
    expect(pidsOf(treeUsage(table, 100, 4096, index)).sort()).toEqual([100, 101, 102]);
    expect(pidsOf(treeUsage(table, 200, 4096, index)).sort()).toEqual([200, 201]);
    expect(pidsOf(treeUsage(table, 300, 4096, index))).toEqual([]);
  });
});

describe('sampleTrees (real /proc)', () => {
  it('includes the memory of a grandchild holding 64 MiB, and sees CPU time grow', async () => {
    // sh -> sh -> node: the node holding the buffer is a grandchild of the root.
    // It spins until it has used 300 ms of CPU (its own measure), so the expectation below holds on a busy machine.
    const alloc = `const b = Buffer.alloc(64 * 1024 * 1024, 1); const t = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; while (t() < 300) {} console.log('ready'); setInterval(() => b[0]++, 1000);`;
    const root = spawn('/bin/sh', ['-c', `sh -c 'node -e "$ALLOC"; true' & wait`], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ALLOC: alloc },
    });
    try {
      await new Promise<void>((resolve) => root.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
      const { clockTicks } = systemUnits();
      const usage = await waitFor(() => {
        const u = sampleTrees([root.pid!]).get(root.pid!);
        return u && u.members.length >= 3 && u.rssBytes > 64 * MiB ? u : undefined;
      }, { what: 'tree RSS over 64 MiB' });
      expect(pidsOf(usage)).toContain(root.pid);
      const cpuTicks = [...usage.ticks.values()].reduce((a, b) => a + b, 0);
      // The node used at least 300 ms of CPU before saying ready (ticks are 10 ms: allow one of rounding).
      expect(cpuTicks / clockTicks).toBeGreaterThanOrEqual(0.29);
    } finally {
      process.kill(-root.pid!, 'SIGKILL');
    }
  });

  it('gives nothing for a pid that does not exist', () => {
    expect(sampleTrees([2 ** 22 + 12345]).get(2 ** 22 + 12345)).toMatchObject({ rssBytes: 0, members: [] });
  });
});

/** The /proc/<pid>/stat files this process has open now. */
function openFiles(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (/^\/proc\/\d+\/stat$/.test(readlinkSync(`/proc/self/fd/${fd}`))) n++;
    } catch {
      // closed meanwhile (the directory's own fd)
    }
  }
  return n;
}

describe('TreeSampler (real /proc)', () => {
  it('re-reads only the known tree between full scans, and rescans when the tree changes or on schedule', async () => {
    // A root that starts a second child once "more" is written to its stdin; each child sleeps.
    const root = spawn('/bin/sh', ['-c', 'sleep 1000 & read line; sleep 1000 & wait'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    const sampler = new TreeSampler(3);
    try {
      const pid = root.pid!;
      const first = await waitFor(() => {
        const u = sampler.sample([pid]).get(pid)!;
        return u.members.length === 2 ? u : undefined; // the sh and its first sleep
      }, { what: 'the root and its first child' });
      expect(sampler.lastSample).toBe('full');
      const second = sampler.sample([pid]).get(pid)!;
      expect(sampler.lastSample).toBe('known');
      expect(pidsOf(second).sort()).toEqual(pidsOf(first).sort());
      expect(second.rssBytes).toBeGreaterThan(0);
      expect([...second.ticks.keys()].sort()).toEqual([...first.ticks.keys()].sort());

      // A child started between scans is not seen until the next scheduled one (every 3rd sample)…
      root.stdin.write('more\n');
      await waitFor(() => sampleTrees([pid]).get(pid)!.members.length === 3, { what: 'the second child' });
      expect(sampler.sample([pid]).get(pid)!.members).toHaveLength(2);
      expect(sampler.lastSample).toBe('known');
      // …which finds it.
      expect(sampler.sample([pid]).get(pid)!.members).toHaveLength(3);
      expect(sampler.lastSample).toBe('full');

      // A known process gone: the tree changed, so the next sample is a full scan at once.
      sampler.sample([pid]);
      expect(sampler.lastSample).toBe('known');
      const sleeper = pidsOf(sampleTrees([pid]).get(pid)!).find((p) => p !== pid)!;
      process.kill(sleeper, 'SIGKILL');
      await waitFor(() => sampleTrees([pid]).get(pid)!.members.length === 2, { what: 'the killed child gone' });
      expect(sampler.sample([pid]).get(pid)!.members).toHaveLength(2);
      expect(sampler.lastSample).toBe('full');

      // A root it has not scanned yet forces a full scan too.
      sampler.sample([pid]);
      expect(sampler.lastSample).toBe('known');
      sampler.sample([pid, process.pid]);
      expect(sampler.lastSample).toBe('full');
    } finally {
      process.kill(-root.pid!, 'SIGKILL');
    }
  });

  it('keeps the known processes\' stat files open between scans, closes those gone, and all on release', async () => {
    const root = spawn('/bin/sh', ['-c', 'sleep 1000 & read line; wait'], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    const before = openFiles();
    const sampler = new TreeSampler(3);
    try {
      const pid = root.pid!;
      await waitFor(() => sampler.sample([pid]).get(pid)!.members.length === 2, { what: 'the root and its child' });
      expect(sampler.heldFiles).toBe(2);
      expect(openFiles()).toBe(before + 2);
      // Re-reads go through them and hold no more.
      const again = sampler.sample([pid]).get(pid)!;
      expect(sampler.lastSample).toBe('known');
      expect(again.members).toHaveLength(2);
      expect(openFiles()).toBe(before + 2);
      // The child gone: the re-read fails, the full scan that follows closes its file and keeps the root's.
      const child = again.members.find((m) => m.pid !== pid)!.pid;
      process.kill(child, 'SIGKILL');
      await waitFor(() => sampleTrees([pid]).get(pid)!.members.length === 1, { what: 'the child gone' });
      expect(sampler.sample([pid]).get(pid)!.members).toHaveLength(1);
      expect(sampler.lastSample).toBe('full');
      expect(sampler.heldFiles).toBe(1);
      expect(openFiles()).toBe(before + 1);
      sampler.release();
      expect(sampler.heldFiles).toBe(0);
      expect(openFiles()).toBe(before);
      // After a release the next sample is a full scan.
      sampler.sample([pid]);
      expect(sampler.lastSample).toBe('full');
      // No roots: nothing is held.
      sampler.sample([]);
      expect(openFiles()).toBe(before);
    } finally {
      sampler.release();
      process.kill(-root.pid!, 'SIGKILL');
    }
  });

  it('holds at most maxHeld files and re-reads the other processes by path', async () => {
    const root = spawn('/bin/sh', ['-c', 'sleep 1000 & sleep 1000 & wait'], { detached: true, stdio: 'ignore' });
    const sampler = new TreeSampler(3, 1);
    try {
      const pid = root.pid!;
      const full = await waitFor(() => {
        const u = sampler.sample([pid]).get(pid)!;
        return u.members.length === 3 ? u : undefined;
      }, { what: 'the root and its two children' });
      expect(sampler.heldFiles).toBe(1);
      const known = sampler.sample([pid]).get(pid)!;
      expect(sampler.lastSample).toBe('known');
      expect(pidsOf(known).sort()).toEqual(pidsOf(full).sort());
      expect(known.rssBytes).toBeGreaterThan(0);
    } finally {
      sampler.release();
      process.kill(-root.pid!, 'SIGKILL');
    }
  });
});
