// process-compose `watch:` (src/types/watch.go) -> Hearth `watch:`. Both anchor paths at the
// process's working folder and restart the process on a change. process-compose watches a folder
// tree per entry with include/exclude patterns, where a pattern with a "/" matches the path below
// the entry and one without matches a file's base name at any depth; Hearth takes globs, so each
// pattern becomes a glob under its entry's folder.
import type { Notes } from '../notes';
import { isDict } from './pc-values';
import type { ImportedWatch } from './stack-yaml';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("300ms", "1.5s", "1m30s") in milliseconds, or undefined. */
export function goDurationMs(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0));
}

const under = (root: string, pattern: string): string => {
  const base = root.replace(/\/+$/, '');
  const rel = pattern.includes('/') ? pattern.replace(/^\/+/, '') : `**/${pattern}`;
  return base === '' || base === '.' ? rel : `${base}/${rel}`;
};

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

export function mapWatch(value: unknown, where: string, notes: Notes): ImportedWatch | undefined {
  if (!isDict(value)) return undefined;
  const paths: string[] = [];
  const ignore: string[] = [];
  for (const entry of Array.isArray(value.paths) ? value.paths : []) {
    if (!isDict(entry) || typeof entry.path !== 'string' || entry.path === '') continue;
    const include = strings(entry.include);
    if (include.length === 0) paths.push(entry.path);
    else paths.push(...include.map((p) => under(entry.path as string, p)));
    ignore.push(...strings(entry.exclude).map((p) => under(entry.path as string, p)));
  }
  if (paths.length === 0) {
    notes.add(where, 'no paths to watch, skipped');
    return undefined;
  }
  const watch: ImportedWatch = { paths };
  if (ignore.length > 0) watch.ignore = ignore;
  if (typeof value.debounce === 'string') {
    const ms = goDurationMs(value.debounce);
    if (ms === undefined || ms > 60_000) notes.add(where, `debounce ${value.debounce} is not a duration Hearth takes (at most 60s); Hearth's default is used`);
    else watch.debounce_ms = ms;
  }
  if (value.cascade === true) notes.add(where, 'cascade: Hearth restarts only the watched service, not its dependents');
  if (value.disable_default_excludes === true) notes.add(where, 'disable_default_excludes: Hearth always ignores .hearth, node_modules and .git');
  for (const key of Object.keys(value)) {
    if (!['paths', 'debounce', 'cascade', 'disable_default_excludes', 'max_entries', 'buffer_size'].includes(key)) notes.add(where, `${key} has no Hearth equivalent`);
  }
  return watch;
}
