// Unicode bidirectional controls in a service's output. U+202E (RIGHT-TO-LEFT OVERRIDE) and its kin
// reorder what follows them on screen, so a log line can display as something other than what it
// says ("Trojan Source"): `ok: user=admin‮ nimda=resu` shows its end reversed. Both UIs show them as
// a visible mark with the code point instead of obeying them. The stored text is unchanged.

/** Every character that changes the display order: embeddings, overrides, isolates and marks. */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

const NAMES: Record<string, string> = {
  '\u061C': 'ALM',
  '\u200E': 'LRM',
  '\u200F': 'RLM',
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202C': 'PDF',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
  '\u2069': 'PDI',
};

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** `U+202E RLO`: what the mark for one control character says. */
export function bidiMark(char: string): string {
  const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} ${NAMES[char] ?? 'bidi'}`;
}

export type BidiPart = { text: string; control: false } | { text: string; control: true; char: string };

/** The text split at its bidi controls, each control its own part (for the UI to style). */
export function splitBidi(text: string): BidiPart[] {
  const parts: BidiPart[] = [];
  let last = 0;
  for (const match of text.matchAll(BIDI_CONTROLS)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), control: false });
    parts.push({ text: `⟨${bidiMark(match[0])}⟩`, control: true, char: match[0] });
    last = match.index + 1;
  }
  if (last < text.length) parts.push({ text: text.slice(last), control: false });
  return parts;
}

/** Plain text with each control replaced by `<U+202E RLO>` (the CLI's form: ASCII, visible in any terminal). */
export function showBidiControls(text: string): string {
  return hasBidiControls(text) ? text.replace(BIDI_CONTROLS, (c) => `<${bidiMark(c)}>`) : text;
}
