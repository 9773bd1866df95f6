// CPU/RSS of process trees from one full table, for the backends whose table carries both (posix-ps,
// windows). A tree is what ../../resources/proc-usage.ts counts on linux: the root, its descendants, and
// the members of its process group (a child that daemonized away from its parent but kept the group).
import { descendantsIn, isLiveStat } from '../proc-stat';
import type { TreeUsage } from '../../resources/proc-usage';
import type { ProcTable, UsageSample, UsageSampler } from './types';

export function tableUsage(table: ProcTable, roots: readonly number[]): UsageSample {
  const groups = new Map<number, number[]>();
  for (const e of table.values()) {
    if (!isLiveStat(e)) continue;
    const list = groups.get(e.pgid);
    if (list) list.push(e.pid);
    else groups.set(e.pgid, [e.pid]);
  }
  const trees = new Map<number, TreeUsage>();
  for (const root of roots) {
    const pids = new Set<number>(descendantsIn(table, root));
    if (isLiveStat(table.get(root))) pids.add(root);
    for (const pid of groups.get(root) ?? []) pids.add(pid);
    const ticks = new Map<string, number>();
    const members: TreeUsage['members'] = [];
    let rssBytes = 0;
    for (const pid of pids) {
      const e = table.get(pid)!;
      ticks.set(`${pid}:${e.startTime}`, e.cpuMs ?? 0);
      rssBytes += e.rssBytes ?? 0;
      members.push({ pid, startTime: e.startTime });
    }
    trees.set(root, { ticks, rssBytes, members });
  }
  return { trees, ticksPerSecond: 1000 };
}

/** A sampler that takes one fresh table per sample (the table is one call: ps, or PowerShell). */
export function tableSampler(table: () => Promise<ProcTable | null>, cpuResolutionMs: number): UsageSampler {
  return {
    cpuResolutionMs,
    async sample(roots) {
      if (roots.length === 0) return { trees: new Map(), ticksPerSecond: 1000 };
      const t = await table();
      return t ? tableUsage(t, roots) : { trees: new Map(), ticksPerSecond: 1000 };
    },
  };
}
