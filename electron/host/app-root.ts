// The folder Hearth is installed in (where its package.json is). Found by walking up from this
// module, so it is right both from the sources (electron/host/) and from the CLI bundle
// (out/cli/hearth.mjs), in which every module shares the bundle's location.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (packageName(join(dir, 'package.json')) === 'hearth') return dir;
    if (dirname(dir) === dir) throw new Error(`Hearth's package.json was not found in ${from} or any folder above it`);
  }
}

/** The `name` in a package.json, or undefined when there is none or it cannot be read (keep looking up). */
function packageName(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));
