// The "Open Recent" list: most recent first, one entry per real file (a symlink and its target are
// the same stack), at most RECENT_STACKS_CAP entries, and files that disappeared are dropped.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-store';

export const RECENT_STACKS_CAP = 10;

/**
 * Put `file` in front. `realPath` maps a path to its canonical form (realpath); entries whose
 * canonical form equals the new file's are removed, so the list never shows one stack twice.
 */
export function addRecentStack(
  list: readonly string[],
  file: string,
  realPath: (p: string) => string,
  cap: number = RECENT_STACKS_CAP,
): string[] {
  const key = realPath(file);
  const rest = list.filter((entry) => entry !== file && realPath(entry) !== key);
  return [file, ...rest].slice(0, Math.max(0, cap));
}

export function removeRecentStack(list: readonly string[], file: string, realPath: (p: string) => string): string[] {
  const key = realPath(file);
  return list.filter((entry) => realPath(entry) !== key);
}

/** Keep existing files only, dedupe by canonical path (first wins), cap. Also cleans a hand-edited list. */
export function pruneRecentStacks(
  list: readonly string[],
  exists: (p: string) => boolean,
  realPath: (p: string) => string,
  cap: number = RECENT_STACKS_CAP,
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of list) {
    if (!exists(entry)) continue;
    const key = realPath(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
    if (out.length >= cap) break;
  }
  return out;
}

/** Canonical path, or the absolute path when it cannot be resolved (file gone, permission). */
export function canonicalPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

function parseList(value: unknown): string[] {
  const raw = value && typeof value === 'object' ? (value as { stacks?: unknown }).stacks : undefined;
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string' && s.length > 0) : [];
}

export interface RecentStacksStore {
  /** Current list, with missing files pruned. */
  list(): string[];
  add(file: string): string[];
  remove(file: string): string[];
}

/** The list in a JSON file (`{"stacks": [...]}`), typically app.getPath('userData')/recent-stacks.json. */
export function createRecentStacksStore(file: string): RecentStacksStore {
  const read = () => pruneRecentStacks(parseList(readJsonFile(file)), isFile, canonicalPath);
  const write = (stacks: string[]) => {
    writeJsonFile(file, { stacks });
    return stacks;
  };
  return {
    list: read,
    add: (stack) => write(addRecentStack(read(), resolve(stack), canonicalPath)),
    remove: (stack) => write(removeRecentStack(read(), resolve(stack), canonicalPath)),
  };
}
