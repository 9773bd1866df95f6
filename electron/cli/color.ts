// Terminal colours: only when asked for or when stdout is a terminal. https://no-color.org and the
// FORCE_COLOR convention (0/false disables, anything else enables) are honoured.

export function shouldUseColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  return isTTY === true && env.TERM !== 'dumb';
}

export type Paint = (text: string) => string;

export interface Palette {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  /** A service's own colour: stable for a name (a hash), never red (red means stderr/failure). */
  service(name: string): Paint;
}

const sgr = (open: string, close: string): Paint => (text) => `\x1b[${open}m${text}\x1b[${close}m`;
const identity: Paint = (text) => text;

const SERVICE_COLOURS: Paint[] = [
  sgr('36', '39'), // cyan
  sgr('32', '39'), // green
  sgr('33', '39'), // yellow
  sgr('34', '39'), // blue
  sgr('35', '39'), // magenta
  sgr('96', '39'), // bright cyan
  sgr('92', '39'), // bright green
  sgr('93', '39'), // bright yellow
  sgr('94', '39'), // bright blue
  sgr('95', '39'), // bright magenta
];

/** FNV-1a: the same name gets the same colour in every run and every terminal. */
export function colourIndex(name: string, count = SERVICE_COLOURS.length): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

export function makePalette(enabled: boolean): Palette {
  if (!enabled) {
    return { enabled, bold: identity, dim: identity, red: identity, green: identity, yellow: identity, service: () => identity };
  }
  return {
    enabled,
    bold: sgr('1', '22'),
    dim: sgr('2', '22'),
    red: sgr('31', '39'),
    green: sgr('32', '39'),
    yellow: sgr('33', '39'),
    service: (name) => SERVICE_COLOURS[colourIndex(name)]!,
  };
}

// eslint-disable-next-line no-control-regex
const SGR_PATTERN = /\x1b\[[0-9;]*m/g;

/** Width on screen of text that may contain our SGR colour codes. */
export function visibleLength(text: string): number {
  return text.replace(SGR_PATTERN, '').length;
}
