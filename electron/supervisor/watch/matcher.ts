// Which file changes a `watch:` section cares about. chokidar 4 dropped glob support, so each entry
// is split (picomatch.scan) into a folder to watch and a glob to filter its events with. Paths and
// globs are relative to the service's cwd (which itself defaults to the stack folder).
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { WatchConfig } from '../config/types';

export interface WatchMatcher {
  /** Absolute files/folders to hand to the watcher. */
  roots: string[];
  /** Whether a change of this absolute path should restart the service. */
  matches(path: string): boolean;
  /** Whether to skip this path entirely (not even descend into it): default and user ignores. */
  ignored(path: string): boolean;
  /** The path as shown to people: relative to the cwd when inside it. */
  display(path: string): string;
}

interface Entry {
  root: string;
  /** null: a plain path (the file itself, or anything below the folder). */
  glob: ((rel: string) => boolean) | null;
}

const GLOB_OPTS = { dot: true } as const;

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** `rel` and each of its parent folders: "a/b/c.ts" -> ["a", "a/b", "a/b/c.ts"]. */
function prefixes(rel: string): string[] {
  const parts = rel.split(sep);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

export function buildMatcher(
  cfg: Pick<WatchConfig, 'paths' | 'ignore'>,
  cwd: string,
  opts: { ignoredDirNames: readonly string[]; ignoredAbs: readonly string[] },
): WatchMatcher {
  const entries: Entry[] = cfg.paths.map((p) => {
    const scan = picomatch.scan(p);
    if (!scan.isGlob) return { root: resolve(cwd, p), glob: null };
    const root = resolve(cwd, scan.base === '' ? '.' : scan.base);
    return { root, glob: picomatch(scan.glob, GLOB_OPTS) };
  });
  const userIgnore = cfg.ignore.length ? picomatch(cfg.ignore, GLOB_OPTS) : null;
  const dirNames = new Set(opts.ignoredDirNames);

  const ignored = (path: string): boolean => {
    if (opts.ignoredAbs.some((dir) => isInside(path, dir))) return true;
    // Only folders below a watched root count: watching inside node_modules on purpose still works.
    const entry = entries.find((e) => isInside(path, e.root));
    if (entry && relative(entry.root, path).split(sep).some((seg) => dirNames.has(seg))) return true;
    if (userIgnore) {
      const rel = relative(cwd, path);
      // "dist", "dist/**" and "**/*.tmp" all work: a path is ignored when it or a parent folder matches.
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && prefixes(rel).some((p) => userIgnore(p))) return true;
    }
    return false;
  };

  return {
    roots: [...new Set(entries.map((e) => e.root))],
    ignored,
    matches(path) {
      if (ignored(path)) return false;
      return entries.some((e) => isInside(path, e.root) && (e.glob === null || e.glob(relative(e.root, path).split(sep).join('/'))));
    },
    display(path) {
      const rel = relative(cwd, path);
      return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
    },
  };
}

/** "src/app.ts", or "src/app.ts (+2 more)" for several paths in one debounce window. */
export function describeChanges(paths: readonly string[]): string {
  if (paths.length === 0) return '';
  return paths.length === 1 ? paths[0]! : `${paths[0]} (+${paths.length - 1} more)`;
}
