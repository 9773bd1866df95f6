// Waiting until processes no longer exist at all: kill(pid, 0) succeeds for a zombie, as it does for the
// programs that check an old pid (Postgres's postmaster.pid), so a zombie still counts as there.
import type { ProcessPlatform } from './platform/types';

/** Waits (at most `timeoutMs`, looking every `pollMs`) until none of `pids` exists; the pids still there. */
export async function waitGone(pids: readonly number[], platform: ProcessPlatform, timeoutMs: number, pollMs = 10): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = [...pids];
  while (left.length > 0) {
    left = left.filter((pid) => platform.signalPid(pid, 0));
    if (left.length === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return left;
}
