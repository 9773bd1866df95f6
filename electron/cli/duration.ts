// Durations on the command line (`hearth snooze api --for 1h30m`) and in tables ("4m12s").
import { CliError } from './instance';

const UNIT_SECS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECS;
const ORDER: Unit[] = ['d', 'h', 'm', 's'];

const HINT = 'use a number with a unit, e.g. 30s, 15m, 1h, 1h30m';

/** Parses `30s`, `15m`, `1h`, `1h30m`, `2d`, `1.5h` into seconds. Throws a readable Error. */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  if (input === '') throw new Error(`missing duration: ${HINT}`);
  const part = /(\d+(?:\.\d+)?)([dhms])/y;
  let total = 0;
  let lastUnit = -1;
  let index = 0;
  while (index < input.length) {
    part.lastIndex = index;
    const match = part.exec(input);
    if (!match) {
      if (/^\d+(\.\d+)?$/.test(input)) throw new Error(`duration "${text}" has no unit: ${HINT}`);
      throw new Error(`invalid duration "${text}": ${HINT}`);
    }
    const unit = match[2] as Unit;
    const order = ORDER.indexOf(unit);
    // "30m1h" or "1h1h" is more likely a typo than an intent; refuse rather than guess.
    if (order <= lastUnit) throw new Error(`invalid duration "${text}": units must go from largest to smallest (d, h, m, s), each once`);
    lastUnit = order;
    total += Number(match[1]) * UNIT_SECS[unit];
    index = part.lastIndex;
  }
  if (!(total > 0)) throw new Error(`duration "${text}" must be longer than 0s`);
  return total;
}

/** The largest unit and the next one, rounded down: 45s, 4m12s, 1h30m, 1h, 2d3h. Negative counts as 0. */
export function formatDuration(ms: number): string {
  const secs = Math.max(0, Math.floor(ms / 1000));
  const major = ORDER.findIndex((unit) => secs >= UNIT_SECS[unit]);
  if (major === -1 || ORDER[major] === 's') return `${secs}s`;
  const unit = ORDER[major]!;
  const next = ORDER[major + 1]!;
  const rest = Math.floor((secs % UNIT_SECS[unit]) / UNIT_SECS[next]);
  return `${Math.floor(secs / UNIT_SECS[unit])}${unit}${rest > 0 ? `${rest}${next}` : ''}`;
}

/**
 * A duration option (`--for`, `--timeout`, `--since`) in seconds, or null when not given. A bad one is a
 * usage error naming the command and option: `hearth wait: --timeout: duration "5" has no unit: …`.
 */
export function durationOption(value: string | boolean | undefined, command: string, option: string): number | null {
  if (value === undefined) return null;
  try {
    return parseDuration(String(value));
  } catch (error) {
    throw new CliError(`hearth ${command}: --${option}: ${(error as Error).message}`, 2);
  }
}
