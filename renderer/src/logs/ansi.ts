// ANSI SGR -> styled text segments, rendered as React spans (never as HTML strings).
import Anser from 'anser';

export interface Segment {
  text: string;
  className?: string;
  color?: string;
  background?: string;
}

const ESC = String.fromCharCode(27);

export function hasAnsi(text: string): boolean {
  return text.includes(ESC);
}

/**
 * The text without escape sequences: what search matches against and what "copy" puts on the clipboard.
 * Removed, in this order of preference at each ESC: a CSI sequence (ESC [ params intermediates final),
 * an OSC string (ESC ] … BEL or ESC \), a two-character escape (ESC and one of @-Z \ ] ^ _). Found
 * by hand rather than with one regular expression: the search tests every line that arrives (20,000
 * a second under a flood), and a replace through that alternation cost a coloured line 0.4 µs, most
 * of the search (test/renderer/ansi.test.ts holds the expression as the reference).
 */
export function stripAnsi(text: string): string {
  let at = text.indexOf(ESC);
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const end = sequenceEnd(text, at);
    if (end < 0) {
      at = text.indexOf(ESC, at + 1); // not a sequence: the ESC stays, as the pattern leaves it
      continue;
    }
    out += text.slice(from, at);
    from = end;
    at = text.indexOf(ESC, end);
  }
  return out + text.slice(from);
}

/** Where the escape sequence starting at `at` ends (one past it), or -1. */
function sequenceEnd(text: string, at: number): number {
  const n = text.length;
  const kind = text.charCodeAt(at + 1);
  if (kind === 0x5b) {
    // CSI: ESC [ parameters (0-?) intermediates (space-/) final (@-~)
    let i = at + 2;
    while (i < n && inRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
    while (i < n && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
    if (i < n && inRange(text.charCodeAt(i), 0x40, 0x7e)) return i + 1;
  } else if (kind === 0x5d) {
    // OSC: ESC ] text, ended by BEL or ESC \ (else, below, ESC ] alone is a two-character escape)
    let i = at + 2;
    while (i < n && text.charCodeAt(i) !== 0x07 && text.charCodeAt(i) !== 0x1b) i++;
    if (i < n && text.charCodeAt(i) === 0x07) return i + 1;
    if (i + 1 < n && text.charCodeAt(i + 1) === 0x5c) return i + 2;
  }
  // Two characters: ESC and one of @-Z, \ ] ^ _
  return inRange(kind, 0x40, 0x5a) || inRange(kind, 0x5c, 0x5f) ? at + 2 : -1;
}

function inRange(code: number, low: number, high: number): boolean {
  return code >= low && code <= high;
}

const DECORATION_CLASS: Record<string, string | undefined> = {
  bold: 'ansi-bold',
  dim: 'ansi-dim',
  italic: 'ansi-italic',
  underline: 'ansi-underline',
  strikethrough: 'ansi-strike',
};

/** Styled segments of one line. Not cached here: rows memoise by seq (row-segments.ts). */
export function ansiSegments(text: string): Segment[] {
  if (!hasAnsi(text)) return text ? [{ text }] : [];
  return parseAnsi(text);
}

function parseAnsi(text: string): Segment[] {
  const entries = Anser.ansiToJson(text, { json: true, use_classes: true, remove_empty: true });
  const out: Segment[] = [];
  for (const e of entries) {
    // The parser returns escape codes it cannot render (cursor moves…) as content; drop them.
    const content = stripAnsi(e.content);
    if (!content) continue;
    const seg: Segment = { text: content };
    const classes: string[] = [];
    const fg = colourOf(e.fg, e.fg_truecolor);
    const bg = colourOf(e.bg, e.bg_truecolor);
    if (fg.className) classes.push(`${fg.className}-fg`);
    if (fg.css) seg.color = fg.css;
    if (bg.className) classes.push(`${bg.className}-bg`);
    if (bg.css) seg.background = bg.css;
    for (const d of e.decorations ?? []) {
      const cls = DECORATION_CLASS[d];
      if (cls) classes.push(cls);
    }
    if (classes.length) seg.className = classes.join(' ');
    out.push(seg);
  }
  return out;
}

function colourOf(name: string | null, truecolor: string | null): { className?: string; css?: string } {
  if (truecolor) return { css: `rgb(${truecolor})` };
  if (!name) return {};
  const palette = /^ansi-palette-(\d+)$/.exec(name);
  if (palette) {
    const n = Number(palette[1]);
    // The 16 base colours follow the theme (CSS classes); the 240 extended ones are fixed.
    if (n < 16) return { className: BASE_NAMES[n] };
    return { css: xterm256(n) };
  }
  return { className: name };
}

const BASE_NAMES = [
  'ansi-black', 'ansi-red', 'ansi-green', 'ansi-yellow', 'ansi-blue', 'ansi-magenta', 'ansi-cyan', 'ansi-white',
  'ansi-bright-black', 'ansi-bright-red', 'ansi-bright-green', 'ansi-bright-yellow', 'ansi-bright-blue',
  'ansi-bright-magenta', 'ansi-bright-cyan', 'ansi-bright-white',
];

function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const step = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${step(Math.floor(i / 36))}, ${step(Math.floor(i / 6) % 6)}, ${step(i % 6)})`;
}
