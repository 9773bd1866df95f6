import { onTestFinished } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh real folder under the OS temp dir; `cleanup()` removes it. Short prefix keeps socket paths short. */
export function makeTempDir(prefix = 'h-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh real folder, removed when the current test finishes (call it inside a test). */
export function testTempDir(prefix?: string): string {
  const { dir, cleanup } = makeTempDir(prefix);
  onTestFinished(cleanup);
  return dir;
}
