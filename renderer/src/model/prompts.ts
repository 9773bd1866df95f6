// A service's unfinished last line (a debugger's "(Pdb) ", a REPL's "> "), kept per service so the
// stdin box can show it as its prompt. Pure: (prompts, event) -> prompts.
import type { LogLine, PartialLine } from '../../../shared/types';
import { stripAnsi } from '../logs/ansi';
import { collapseCarriageReturns } from '../logs/carriage-return';

/** The unfinished line of each service that has one, whole. */
export type Prompts = Readonly<Record<string, PartialLine>>;

/** From a snapshot's `partial` (whole lines, offset 0). */
export function promptsOf(partial: readonly PartialLine[] | undefined): Prompts {
  const out: Record<string, PartialLine> = {};
  for (const p of partial ?? []) out[p.service] = p;
  return out;
}

/** A partial_line event: more of the same line, or a new one. */
export function withPartial(prompts: Prompts, p: PartialLine): Prompts {
  const had = prompts[p.service];
  const continues = had && had.stream === p.stream && had.run === p.run && p.offset === had.text.length;
  // A piece from the middle of a line we never saw the start of still says what the service waits for.
  const text = continues ? had.text + p.text : p.text;
  return { ...prompts, [p.service]: { ...p, offset: 0, text } };
}

/** Lines arrived: a service's unfinished line has ended once a line of its stream (or a new run) came. */
export function afterLines(prompts: Prompts, lines: readonly LogLine[]): Prompts {
  for (const _ in prompts) return endPrompts(prompts, lines);
  return prompts; // nobody waits at a prompt (the usual case): no look at the lines at all
}

function endPrompts(prompts: Prompts, lines: readonly LogLine[]): Prompts {
  let out: Record<string, PartialLine> | null = null;
  for (const line of lines) {
    const p = (out ?? prompts)[line.service];
    if (!p || (line.stream !== p.stream && line.run === p.run)) continue;
    out ??= { ...prompts };
    delete out[line.service];
  }
  return out ?? prompts;
}

/** The prompt as a terminal would show it now: a line redrawn with \r (a progress bar) as it stands, no ANSI codes. */
export function shownPrompt(text: string): string {
  return stripAnsi(text.includes('\r') ? collapseCarriageReturns(text) : text);
}
