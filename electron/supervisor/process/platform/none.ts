// No backend at all: no process table can be read (no /proc, no working ps). Stopping must still work:
// the process group is signalled blind (kill(-pgid), which needs no table), its emptiness is seen by
// kill(-pgid, 0), and SIGKILL follows after the grace. What this cannot do, and says so: find processes
// that left the group (setsid, a daemon's double fork), verify identities, or measure CPU/RSS.
import { POSIX_PROCESS } from './posix';
import type { ProcessPlatform } from './types';

export function nonePlatform(): ProcessPlatform {
  return {
    name: 'none',
    table: async () => null,
    read: async () => null,
    uidOf: () => null,
    lastError: 'no process table on this system (no /proc, no ps)',
    ...POSIX_PROCESS,
    usageSampler: () => ({ sample: () => ({ trees: new Map(), ticksPerSecond: 1000 }), cpuResolutionMs: 10 }),
  };
}
