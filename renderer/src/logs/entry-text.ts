// The text forms of a stored line, computed when asked for rather than on arrival: a chatty stack
// sends 20,000 lines a second and only the ~50 on screen are ever displayed, so collapsing `\r`
// progress and stripping ANSI for every line up front was pure garbage for the GC.
import type { LogEntry } from './log-store';
import { collapseCarriageReturns } from './carriage-return';
import { stripAnsi } from './ansi';

/** Text as displayed: `\r` progress collapsed, ANSI codes kept for colouring. */
export function displayText(entry: LogEntry): string {
  // The common case (no `\r`) returns the very same string: no allocation.
  return entry.text.includes('\r') ? collapseCarriageReturns(entry.text) : entry.text;
}

/** Displayed text without ANSI codes: for search, filter and copy. */
export function plainText(entry: LogEntry): string {
  return stripAnsi(displayText(entry));
}
