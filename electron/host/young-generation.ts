// Keeps V8's young generation at its starting size while a supervisor starts.
//
// Starting means loading the supervisor's code, zod and yaml, and reading the stack file: a burst of
// objects that all survive, because they live as long as the process. V8 takes a high survival rate
// as a reason to double the young generation (up to two 16 MB semi-spaces), and keeps the pages it
// touched until its memory reducer runs seconds later. That growth was the largest part of `hearth
// up`'s peak RSS (BENCHMARKS.md, round 7): 6-9 MB of 72-77 MB, for space an idle supervisor never uses.
//
// Only during start: once it is released, V8 sizes the young generation as it always does. A small
// one throughout made a log flood (a million lines through `hearth up`) cost 40-60% more CPU,
// because every 1 MB allocated meant a scavenge. The one cost measured: V8's memory-reducing
// collection comes later (16-49 s after start instead of 8-9 s), because start-up's scavenges, which
// promote nearly everything, are recorded as slow.
import { setFlagsFromString } from 'node:v8';

/** V8's default for --semi-space-growth-factor (`node --v8-options`), restored after start. */
const DEFAULT_GROWTH_FACTOR = 2;

let depth = 0;

/**
 * Runs `start` with the young generation held at its size, and restores V8's growth when it settles,
 * whether it resolves or rejects. Nests: the outermost call restores.
 */
export async function whileStarting<T>(start: () => Promise<T>): Promise<T> {
  if (depth++ === 0) setFlagsFromString('--semi-space-growth-factor=1');
  try {
    return await start();
  } finally {
    if (--depth === 0) setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  }
}
