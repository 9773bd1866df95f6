// Pure text formatting for the CLI: tables and prefixed log lines. No I/O here.
import { formatClockMs } from '../../shared/format-clock';
import { showBidiControls } from '../../shared/bidi';
import type { LogLine } from '../../shared/types';
import { visibleLength, type Palette } from './color';

/** Left-aligned columns separated by two spaces; cells may carry colour codes. No trailing spaces. */
export function formatTable(headers: string[], rows: string[][], palette?: Palette): string[] {
  const widths = headers.map((header, col) => Math.max(header.length, ...rows.map((row) => visibleLength(row[col] ?? ''))));
  const render = (cells: string[]): string =>
    cells
      .map((cell, col) => (col === cells.length - 1 ? cell : cell + ' '.repeat(widths[col]! - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const head = render(headers);
  return [palette ? palette.bold(head) : head, ...rows.map(render)];
}

/** Name shown for supervisor lines (stream 'system'). */
export const SYSTEM_PREFIX = 'hearth';
const MAX_PREFIX_WIDTH = 24;

/** Width of the name column so every prefix lines up: the longest name, at least "hearth". */
export function prefixWidth(names: Iterable<string>): number {
  let width = SYSTEM_PREFIX.length;
  for (const name of names) width = Math.max(width, name.length);
  return Math.min(width, MAX_PREFIX_WIDTH);
}

export function padName(name: string, width: number): string {
  return name.length >= width ? name : name + ' '.repeat(width - name.length);
}

// One pass, in priority order: CSI sequences (group 1; colours are the ones ending in "m"), OSC strings
// (window titles), other two-byte escapes, then any remaining control character (tab excepted).
// eslint-disable-next-line no-control-regex
const UNSAFE = /(\x1b\[[0-?]*[ -/]*[@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * Makes a service's line safe to print after our prefix: a progress bar's carriage returns would
 * overwrite the prefix (keep what a terminal would finally show: the last segment), cursor movement
 * and screen clearing would wreck the interleaved output. Colours (SGR) are kept only when we use
 * colours ourselves, and then reset at the end so they cannot bleed into the next line.
 */
export function sanitizeLogText(text: string, keepColours: boolean): string {
  const segments = text.split('\r').filter((segment) => segment !== '');
  let clean = segments.length ? segments[segments.length - 1]! : '';
  let hadSgr = false;
  clean = clean.replace(UNSAFE, (_match: string, csi: string | undefined) => {
    if (csi && keepColours && csi.endsWith('m')) {
      hadSgr = true;
      return csi;
    }
    return '';
  });
  // Bidi controls would reorder the rest of the line on the terminal: shown as <U+202E RLO>, not obeyed.
  clean = showBidiControls(clean);
  return hadSgr ? `${clean}\x1b[0m` : clean;
}

// --timestamps: the local time of day to the millisecond, as the UI's log rows show it on hover.
// The lines of one output chunk share their time: format it once per chunk, not once per line.
let stampedAt = Number.NaN;
let stampText = '';
function stamp(ts: number, palette: Palette): string {
  if (ts !== stampedAt) {
    stampedAt = ts;
    stampText = formatClockMs(ts);
  }
  return `${palette.dim(stampText)} `;
}

/**
 * `api    | text` for stdout; stderr gets a red bar (or `!` without colour, so it stays visible in a
 * pipe); supervisor lines read `hearth | api: text`. With `timestamps`, the line's time comes first.
 */
export function formatLogLine(line: LogLine, width: number, palette: Palette, timestamps = false): string {
  const body = sanitizeLogText(line.text, palette.enabled);
  const text = line.truncated ? `${body} ${palette.dim('[truncated]')}` : body;
  const at = timestamps ? stamp(line.ts, palette) : '';
  if (line.stream === 'system') {
    return `${at}${palette.bold(padName(SYSTEM_PREFIX, width))} | ${palette.service(line.service)(line.service)}: ${text}`;
  }
  const name = palette.service(line.service)(padName(line.service, width));
  if (line.stream === 'stderr') return `${at}${name} ${palette.enabled ? palette.red('|') : '!'} ${text}`;
  return `${at}${name} | ${text}`;
}

/**
 * A line in the style of supervisor lines, for messages the CLI itself prints (state changes, reaping…);
 * `at` (a time) is printed first, to line up with log lines printed with timestamps.
 */
export function formatSystemLine(text: string, width: number, palette: Palette, at?: number): string {
  return `${at === undefined ? '' : stamp(at, palette)}${palette.bold(padName(SYSTEM_PREFIX, width))} | ${text}`;
}
