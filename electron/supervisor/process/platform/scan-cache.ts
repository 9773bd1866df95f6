// One process-table scan shared by every caller in the same few ms: stopping 50 services at once runs
// 50 poll loops waking on the same timer ticks, and without sharing each would read every process on
// the machine (or, with ps, start a process) every round. Concurrent callers also share a scan in flight.
import type { ProcTable } from './types';

export class ScanCache {
  private last: { at: number; table: ProcTable | null } | null = null;
  private inFlight: Promise<ProcTable | null> | null = null;

  constructor(private readonly scan: () => Promise<ProcTable | null>) {}

  /** A table no older than `maxAgeMs` (0: a fresh scan, unless one is already under way). */
  get(maxAgeMs = 0): Promise<ProcTable | null> {
    if (this.inFlight) return this.inFlight;
    if (this.last && maxAgeMs > 0 && performance.now() - this.last.at <= maxAgeMs) return Promise.resolve(this.last.table);
    const scan = this.scan().then(
      (table) => {
        this.last = { at: performance.now(), table };
        return table;
      },
      () => null,
    );
    this.inFlight = scan.finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }
}
