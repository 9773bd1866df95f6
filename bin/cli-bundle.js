// The CLI runs from one bundled file, not from the TypeScript sources through a loader: `hearth up`
// runs all day, and tsx's loader (a thread with its own V8 heap, plus transpiling at start) cost it
// ~25 MB of peak RSS and ~0.1 s of start-up (50 services: peak 106 -> 80 MB, steady 84 -> 69 MB).
// The bundle is built on demand with esbuild (which tsx brings), and rebuilt whenever a file it was
// built from has changed since, so a checkout needs no build step and an edit shows on the next run.
// Plain JavaScript: this runs before anything could load TypeScript.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's path when it is fresh, else null. Never throws. */
export function currentBundle(outDir) {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    const bundle = join(outDir, manifest.bundle);
    statSync(bundle);
    // A source saved after the build started is newer than the bundle (a deleted one fails to stat).
    for (const input of manifest.inputs) if (statSync(input).mtimeMs > manifest.builtAt) return null;
    return bundle;
  } catch {
    return null;
  }
}

/**
 * Bundles `entry` (packages stay external: they load from node_modules) into outDir, and records
 * every source it read. Each build writes a bundle of its own name; renaming the manifest that
 * points at it is the one step that makes it current, so concurrent builds never pair one build's
 * manifest with another's bundle. Resolves with the bundle's path, or with the reason it failed.
 */
export async function buildBundle({ entry, outDir, name }) {
  const builtAt = Date.now();
  try {
    const esbuild = await import('esbuild');
    mkdirSync(outDir, { recursive: true });
    const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const file = name.replace(/(\.m?js)?$/, `.${unique}$1`);
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile: join(outDir, file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: outDir,
    });
    // This file too: a change to how bundles are built makes the old ones stale.
    const inputs = [...Object.keys(result.metafile.inputs).map((p) => join(outDir, p)), fileURLToPath(import.meta.url)];
    const manifestTmp = join(outDir, `.manifest.${unique}.tmp`);
    writeFileSync(manifestTmp, JSON.stringify({ bundle: file, builtAt, inputs }));
    renameSync(manifestTmp, join(outDir, 'manifest.json'));
    removeOldBundles(outDir, name, file);
    return { bundle: join(outDir, file) };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

/**
 * Earlier builds, once they are a minute old: a process started from one has loaded it whole (one
 * file, nothing loaded later), and a minute covers one that read the manifest just before it changed.
 */
function removeOldBundles(outDir, name, keep) {
  const [stem] = name.split('.');
  for (const f of readdirSync(outDir)) {
    if (f === keep || !f.startsWith(`${stem}.`) || f === 'manifest.json') continue;
    try {
      if (Date.now() - statSync(join(outDir, f)).mtimeMs > 60_000) rmSync(join(outDir, f), { force: true });
    } catch {
      // gone already (another build cleaned up)
    }
  }
}

/** The fresh bundle, built first when it is missing or stale; null when it cannot be built. */
export async function freshBundle(opts) {
  const current = currentBundle(opts.outDir);
  if (current) return current;
  const built = await buildBundle(opts);
  return built.bundle ?? null;
}
