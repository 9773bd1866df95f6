// Following a running instance's log lines from the terminal (`hearth logs --follow`, `hearth attach`): its
// recent history first, then every new line, with none lost between the two and none printed twice.
import type { LogLine, StackSnapshot } from '../../shared/types';
import type { ControlClient } from '../control/client';

/** Passes on only lines it has not passed yet (by seq): a history and a stream that overlap print each line once. */
export function onceBySeq(print: (lines: LogLine[]) => void): (lines: readonly LogLine[]) => void {
  let lastSeq = -1;
  return (lines) => {
    const fresh: LogLine[] = [];
    for (const line of lines) {
      if (line.seq <= lastSeq) continue;
      lastSeq = line.seq;
      fresh.push(line);
    }
    print(fresh);
  };
}

export interface FollowOptions {
  /** The history to print first (read after subscribing). */
  history: () => Promise<readonly LogLine[]>;
  /** Which streamed lines to print. */
  keep: (line: LogLine) => boolean;
  /** Gets every line once, in order. */
  print: (lines: readonly LogLine[]) => void;
  onSnapshot?: (snapshot: StackSnapshot) => void;
}

/**
 * Prints the history, then every new line as it comes. Subscribes before reading the history, so no line
 * falls between the two; lines streamed meanwhile wait until the history is out. Resolves once it is.
 */
export async function historyThenLive(client: ControlClient, opts: FollowOptions): Promise<void> {
  const print = onceBySeq(opts.print);
  const early: LogLine[] = [];
  let live = false;
  await client.subscribe((event, payload) => {
    if (event === 'snapshot') opts.onSnapshot?.(payload as StackSnapshot);
    if (event !== 'logs') return;
    const mine = (payload as { lines: LogLine[] }).lines.filter(opts.keep);
    if (live) print(mine);
    else early.push(...mine);
  });
  print(await opts.history());
  print(early);
  live = true;
}
