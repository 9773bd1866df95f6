// The two waits around a run's end that are not the restart policy's: a process that exited on its own
// but left others in its group, and a stopped process whose exit is slow to be reported.
import type { Clock, Timer } from '../clock';
import type { LifecycleConfig } from '../config/types';
import { groupLeftovers, stopTree } from '../process/kill-tree';
import type { ProcessPlatform } from '../process/platform/types';
import type { ChildExit, ChildHandle } from '../process/spawn';

/** After stopTree returned, how long a stop waits for the process's exit to be reported. */
export const EXIT_WAIT_MS = 10_000;

export interface StopContext {
  lifecycle: LifecycleConfig;
  platform: ProcessPlatform;
  /** A line in the service's log, from Hearth. */
  say(text: string): void;
}

/**
 * The process exited on its own but left others running in its group: stop them as a stop does (its
 * stop_signal, then SIGKILL after shutdown_wait_secs) before the next run, which would otherwise find its
 * port taken, and so that nothing runs on unsupervised after the stack is stopped.
 */
export async function stopLeftovers(child: ChildHandle, how: string, ctx: StopContext): Promise<void> {
  const left = await groupLeftovers(child, ctx.platform);
  if (left.length === 0) return;
  const one = left.length === 1;
  ctx.say(`${how} and left ${left.length} process${one ? '' : 'es'} running in its group (${left.join(', ')}): stopping ${one ? 'it' : 'them'}`);
  await stopTree(child, { lifecycle: ctx.lifecycle, platform: ctx.platform, onPhase: ctx.say });
}

/**
 * The exit of a stopped process, waited for at most EXIT_WAIT_MS: stopTree returns once nothing of the
 * tree is left (or gave up on a process stuck in the kernel), and a stop must end either way. A process
 * that outlives it stays in pids.json, so the next run finds it.
 */
export async function exitWithin(child: ChildHandle, clock: Clock, say: (text: string) => void): Promise<ChildExit | null> {
  let timer: Timer | null = null;
  const late = new Promise<null>((resolve) => (timer = clock.after(EXIT_WAIT_MS, () => resolve(null))));
  const exit = await Promise.race([child.exited, late]);
  (timer as Timer | null)?.cancel();
  if (exit) return exit;
  say(`pid ${child.pid} reported no exit within ${EXIT_WAIT_MS / 1000}s of the stop (stuck in the kernel?): treating it as stopped; it stays in pids.json for the next run to reap`);
  return null;
}
