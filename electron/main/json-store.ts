// Tiny JSON persistence for the desktop app's own state (recent stacks, window bounds, settings).
// Reads never throw: a missing or corrupt file means "no saved state". Writes are atomic
// (temp file + rename) so a crash mid-write cannot leave half a file that loses everything.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../supervisor/safe-fs';

export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
