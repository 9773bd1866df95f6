// When `hearth serve` rebuilds the UI: real files in a temp folder, their times set with utimes.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UI_BUILT_MARK, uiBuildOutdated } from '../../electron/cli/ui-build';
import { makeTempDir } from '../helpers/temp-dir';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

const BUILT = new Date('2026-11-20T10:00:00Z');
const BEFORE = new Date('2026-11-19T10:00:00Z');
const AFTER = new Date('2026-11-21T10:00:00Z');

function file(rel: string, at: Date): void {
  const path = join(temp.dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'x');
  utimesSync(path, at, at);
}

/** A checkout whose every source predates its UI build. */
function checkout(): void {
  for (const rel of ['renderer/index.html', 'renderer/vite.config.ts', 'renderer/src/main.tsx', 'renderer/src/components/app.tsx', 'shared/contract.ts', 'package-lock.json']) {
    file(rel, BEFORE);
  }
  file(UI_BUILT_MARK, BUILT);
}

describe('uiBuildOutdated', () => {
  it('asks for a build when there is none', () => {
    file('renderer/src/main.tsx', BEFORE);
    expect(uiBuildOutdated(temp.dir)).toBe('it is not built yet');
  });

  it('keeps a build that is newer than every source', () => {
    checkout();
    expect(uiBuildOutdated(temp.dir)).toBeNull();
  });

  it.each([
    ['a component deep in renderer/src', 'renderer/src/components/app.tsx'],
    ['the contract in shared/', 'shared/contract.ts'],
    ['the locked dependencies', 'package-lock.json'],
    ['the page', 'renderer/index.html'],
    ['a file added since the build', 'renderer/src/model/new-thing.ts'],
  ])('names %s when it changed after the build', (_what, rel) => {
    checkout();
    file(rel, AFTER);
    expect(uiBuildOutdated(temp.dir)).toBe(`${rel} changed since it was built`);
  });

  it('does not look outside the UI sources', () => {
    checkout();
    file('electron/supervisor/supervisor.ts', AFTER);
    file('renderer/dev/harness.html', AFTER);
    file('README.md', AFTER);
    expect(uiBuildOutdated(temp.dir)).toBeNull();
  });

  it('serves the build of an install that has no sources to compare', () => {
    file(UI_BUILT_MARK, BUILT);
    expect(uiBuildOutdated(temp.dir)).toBeNull();
  });
});
