// Lines sent to a service's stdin, recalled with ↑/↓ as a shell recalls commands. Pure.

/** Lines kept, newest last. */
export const INPUT_HISTORY = 50;

export interface InputHistory {
  lines: readonly string[];
  /** How far back the field is: 0 = a fresh line, 1 = the newest sent, … */
  back: number;
}

export const EMPTY_HISTORY: InputHistory = { lines: [], back: 0 };

/** A line was sent: it becomes the newest (once), and recall starts over. */
export function remember(h: InputHistory, line: string): InputHistory {
  if (line === '') return { ...h, back: 0 };
  return { lines: [...h.lines.filter((x) => x !== line), line].slice(-INPUT_HISTORY), back: 0 };
}

/** ↑ (+1) or ↓ (-1): the new position, and the text the field shows there. */
export function recall(h: InputHistory, step: 1 | -1): { history: InputHistory; text: string } {
  const back = Math.max(0, Math.min(h.lines.length, h.back + step));
  return { history: { ...h, back }, text: back === 0 ? '' : h.lines[h.lines.length - back]! };
}
