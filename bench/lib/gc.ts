// V8's memory reducer, seen through --trace-gc: once a Node process looks idle it compacts with
// "Mark-Compact (reduce)", and often does so again a moment later when the first one freed much.
import { sleep } from './wait';

/** Quiet this long after a reducing collection: the reducer is done. */
const QUIET_MS = 8000;
/** …but waiting stops this long after the first one whatever comes. */
const MAX_MS = 30_000;

/** Resolves once no collection has been reported for QUIET_MS (at most MAX_MS after the call). */
export async function reducerDone(gcs: () => string[]): Promise<void> {
  const t0 = performance.now();
  let seen = gcs().length;
  let quietSince = performance.now();
  while (performance.now() - quietSince < QUIET_MS && performance.now() - t0 < MAX_MS) {
    await sleep(250);
    const n = gcs().length;
    if (n !== seen) {
      seen = n;
      quietSince = performance.now();
    }
  }
}
