// Capture files: named <time>-<kind>.<ext> under .hearth/captures/<service>/, each with a <time>-<kind>.meta.json
// beside it that says what it is (so listing needs no guessing from extensions). The folders are 0700 and the
// files 0600: a heap snapshot or a core dump holds whatever secrets the process held.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CaptureInfo, CaptureKind } from '../../../shared/types';
import { assertOwnFolder, createExclusive } from '../safe-fs';

const META = '.meta.json';

/** 2026-12-07T12-03-01-123Z: sortable, and no ':' (not allowed in file names on Windows and macOS Finder). */
export function captureStamp(at: number): string {
  return new Date(at).toISOString().replace(/[:.]/g, '-');
}

/** Creates the service's capture folder (owner-only) and returns the base path for a new capture. */
export function newCaptureBase(dir: string, kind: CaptureKind, at: number): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Real folders of ours (inside the checked .hearth), never a symlink leading elsewhere.
  assertOwnFolder(dirname(dir));
  assertOwnFolder(dir);
  chmodSync(dirname(dir), 0o700);
  chmodSync(dir, 0o700);
  return join(dir, `${captureStamp(at)}-${kind}`);
}

/** Every file the capture at `base` wrote (perf leaves its perf.data beside the text), made owner-only. */
export function lockDown(base: string): void {
  const prefix = basename(base);
  for (const name of readdirSync(dirname(base))) {
    if (name.startsWith(prefix)) chmodSync(join(dirname(base), name), 0o600);
  }
}

export async function writeCaptureMeta(base: string, info: CaptureInfo): Promise<void> {
  // Created exclusively, never through a symlink.
  if (!createExclusive(`${base}${META}`, `${JSON.stringify(info)}\n`, 0o600)) throw new Error(`cannot write ${base}${META}: something is already there`);
}

function readMeta(file: string): CaptureInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as CaptureInfo;
    if (typeof info?.name !== 'string' || typeof info.kind !== 'string') return null;
    const path = join(dirname(file), info.name);
    // The file may have been deleted by hand: then it is not listed.
    const size = statSync(path, { throwIfNoEntry: false });
    if (!size?.isFile()) return null;
    return { ...info, file: path, bytes: size.size };
  } catch {
    return null;
  }
}

/** The service's captures, newest first. */
export function listCaptures(dir: string, limit = Infinity): CaptureInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(META));
  } catch {
    return [];
  }
  // Names start with a sortable time: newest first without reading every meta file.
  names.sort().reverse();
  const out: CaptureInfo[] = [];
  for (const name of names) {
    if (out.length >= limit) break;
    const info = readMeta(join(dir, name));
    if (info) out.push(info);
  }
  return out;
}

/** A capture file of `dir` by name (as the web host and the UI ask for it), or null: no path tricks. */
export function captureFile(dir: string, name: string): CaptureInfo | null {
  if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return null;
  return listCaptures(dir).find((c) => c.name === name) ?? null;
}
