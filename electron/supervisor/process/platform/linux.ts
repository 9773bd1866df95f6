// linux: the process table straight from /proc (one readdir, one small read per process), identity by
// /proc/<pid>/stat's start time in clock ticks since boot. The fast path, and the only backend that can
// re-read just the processes it knows between full scans (the resource sampler does).
import { processUid, procTable, readProcStat, type ProcStat } from '../proc-stat';
import { TreeSampler, systemUnits } from '../../resources/proc-usage';
import { POSIX_PROCESS } from './posix';
import { ScanCache } from './scan-cache';
import type { ProcEntry, ProcTable, ProcessPlatform, UsageSampler } from './types';

function entryOf(stat: ProcStat): ProcEntry {
  return { pid: stat.pid, ppid: stat.ppid, pgid: stat.pgrp, state: stat.state, startTime: stat.startTime };
}

function scan(): ProcTable {
  const table: ProcTable = new Map();
  for (const [pid, stat] of procTable()) table.set(pid, entryOf(stat));
  return table;
}

export function linuxPlatform(): ProcessPlatform {
  const cache = new ScanCache(async () => scan());
  const readNow = (pid: number): ProcEntry | null => {
    const stat = readProcStat(pid);
    return stat && entryOf(stat);
  };
  return {
    name: 'linux',
    table: (maxAgeMs) => cache.get(maxAgeMs),
    tableNow: scan,
    read: async (pid) => readNow(pid),
    readNow,
    uidOf: (entry) => processUid(entry.pid),
    lastError: null,
    ...POSIX_PROCESS,
    usageSampler(): UsageSampler {
      const sampler = new TreeSampler();
      return {
        sample: (roots) => ({ trees: sampler.sample(roots), ticksPerSecond: roots.length ? systemUnits().clockTicks : 100 }),
        cpuResolutionMs: 1000 / systemUnits().clockTicks,
        release: () => sampler.release(),
      };
    },
  };
}
