// Following a running instance's log lines from the terminal (`hearth logs --follow`, `hearth attach`): its
// recent history first, then every new line, with none lost between the two and none printed twice.
import type { LogLine, PartialLine, StackSnapshot } from '../../shared/types';
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
  /** The history to print first (read after subscribing): lines, then the unfinished lines as they stood. */
  history: () => Promise<{ lines: readonly LogLine[]; partial?: readonly PartialLine[] }>;
  /** Which streamed lines (and unfinished lines) to print. */
  keep: (line: LogLine | PartialLine) => boolean;
  /** Gets every line once, in order. */
  print: (lines: readonly LogLine[]) => void;
  /** Gets the history's unfinished lines, then every later partial_line event (in order with the lines). */
  partial?: (partial: PartialLine) => void;
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
    // Partial lines told before the history was read are in its `partial`, as they stood then.
    if (event === 'partial_line' && live && opts.partial && opts.keep(payload as PartialLine)) opts.partial(payload as PartialLine);
    if (event !== 'logs') return;
    const mine = (payload as { lines: LogLine[] }).lines.filter(opts.keep);
    if (live) print(mine);
    else early.push(...mine);
  });
  const history = await opts.history();
  print(history.lines);
  print(early);
  for (const partial of history.partial ?? []) if (opts.keep(partial)) opts.partial?.(partial);
  live = true;
}
