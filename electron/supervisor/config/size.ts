// Memory sizes as people write them in a stack file: `512MB`, `1.5 GiB`, `2048` (bytes). Aurora writes
// `ram = 512 * MB` with MB = 1024², so KB/MB/GB/TB are binary here too, the same as KiB/MiB/GiB/TiB.
// Units are case-insensitive; the single letters K/M/G/T are accepted as well.

/** The shape the schema accepts for a size string (no `i` flag: JSON Schema patterns have no flags). */
export const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([KkMmGgTt](?:[Ii]?[Bb])?|[Bb])?\s*$/;

const POWERS: Record<string, number> = { b: 0, k: 1, m: 2, g: 3, t: 4 };

/** Bytes for a size (a number is bytes already), or null if it is not a size. Rounds down to whole bytes. */
export function parseSize(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
  const m = SIZE_PATTERN.exec(value);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase().charAt(0);
  const bytes = Number(m[1]) * 1024 ** (POWERS[unit] ?? 0);
  return Number.isFinite(bytes) ? Math.floor(bytes) : null;
}
