// Whether the built UI (out/renderer) still matches the checkout. `hearth serve` serves that build; a
// `git pull` that changed the renderer, the contract in shared/ or a dependency would otherwise keep
// serving yesterday's page, which may no longer speak the supervisor's protocol. The CLI's own bundle
// is rebuilt the same way (bin/cli-bundle.js); the UI compares modification times with its build.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the page is built from, relative to the app's root: folders are searched through. */
export const UI_INPUTS = ['renderer/index.html', 'renderer/vite.config.ts', 'renderer/src', 'shared', 'package-lock.json'];

/** The file whose presence means the UI is built; written last by the build. */
export const UI_BUILT_MARK = join('out', 'renderer', 'index.html');

/**
 * Why the UI must be built before it is served, or null when the build is current. An install without
 * the sources (nothing to compare) counts as current. Never throws.
 */
export function uiBuildOutdated(appRoot: string): string | null {
  let builtAt: number;
  try {
    builtAt = statSync(join(appRoot, UI_BUILT_MARK)).mtimeMs;
  } catch {
    return 'it is not built yet';
  }
  for (const input of UI_INPUTS) {
    const newer = firstNewer(join(appRoot, input), builtAt);
    if (newer) return `${relative(appRoot, newer)} changed since it was built`;
  }
  return null;
}

/** A file at or under `path` modified after `since`, or null. */
function firstNewer(path: string, since: number): string | null {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return null; // not part of this install
  }
  if (!stat.isDirectory()) return stat.mtimeMs > since ? path : null;
  let entries: string[];
  try {
    entries = readdirSync(path);
  } catch {
    return null;
  }
  for (const entry of entries) {
    const found = firstNewer(join(path, entry), since);
    if (found) return found;
  }
  return null;
}
