// ANSI SGR -> styled text segments, rendered as React spans (never as HTML strings).
import Anser from 'anser';

export interface Segment {
  text: string;
  className?: string;
  color?: string;
  background?: string;
}

const ESC = String.fromCharCode(27);
const BEL = String.fromCharCode(7);
// Built from strings so the source holds no raw control characters (eslint no-control-regex).
const ANSI_PATTERN = new RegExp(
  `${ESC}\\[[0-?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[@-Z\\\\-_]`,
  'g',
);

export function hasAnsi(text: string): boolean {
  return text.includes(ESC);
}

/** The text without escape sequences: what search matches against and what "copy" puts on the clipboard. */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(ANSI_PATTERN, '') : text;
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
