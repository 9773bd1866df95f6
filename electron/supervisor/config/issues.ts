// Issue plumbing shared by the loader's passes: a problem is first found as a RawIssue (a path into
// the parsed data + message) and later placed at its real line/column by ./source-map.ts.
import { isAbsolute, relative } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import type { ConfigIssue } from '../../../shared/types';

export type Path = ReadonlyArray<string | number>;

export interface RawIssue {
  path: Path;
  message: string;
  /** Where to point, when not at `path` itself. */
  locate?: Path;
  /** Point at the key of the last path segment rather than its value (unknown / duplicate keys). */
  at?: 'key' | 'value';
  /** Offset inside the string value where the problem is (e.g. a template token). */
  within?: string;
  /** Absolute offset in the text, when already known (YAML syntax errors). */
  offset?: number;
}

/** "services.api.health_check.interval_secs", with list indexes as "depends_on[0]". */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** `hearth.yaml:7:22 services.api.health_check.interval_secs: expected a number, got "fast"`. */
export function formatIssue(issue: ConfigIssue, cwd: string = process.cwd()): string {
  let file = issue.file;
  if (isAbsolute(file)) {
    const rel = relative(cwd, file);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) file = rel;
  }
  const where = `${file}:${issue.line}:${issue.col}`;
  // A YAML syntax error has no field path; "file:1:2 : msg" would read as a typo.
  return issue.path === '' ? `${where} ${issue.message}` : `${where} ${issue.path}: ${issue.message}`;
}

/** How a value is quoted in messages: strings in quotes, collections by kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(s);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** ` (did you mean "health_check"?)` or '' — only for close matches, so hints are not noise. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  if (list.length === 0) return '';
  const best = closest(word, list);
  const limit = Math.max(2, Math.floor(best.length / 3));
  const d = distance(word, best);
  // Rewriting every letter ("b" -> "a") is not a typo, just another short word.
  return d <= limit && d < word.length ? ` (did you mean "${best}"?)` : '';
}
