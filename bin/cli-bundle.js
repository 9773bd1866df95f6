// The CLI runs from an esbuild bundle (an entry and the chunks it loads lazily), not from the
// TypeScript sources through a loader: `hearth up` runs all day, and tsx's loader (a thread with its
// own V8 heap, plus transpiling at start) cost it 15-35 MB of RSS and every command ~0.1 s of start-up
// (BENCHMARKS.md, figure 8). The bundle is built on demand with esbuild (which tsx brings) and rebuilt
// whenever a file it was built from has changed since, so a checkout needs no build step and an edit
// shows on the next run. Plain JavaScript: this runs before anything could load TypeScript.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Packages bundled into Hearth's code instead of loaded from node_modules. zod: each of its ES module
 * entry points (`zod`, `zod/mini`, `zod/v4/core`) loads all of zod, its ~60 locales and its JSON Schema
 * and compile modules included: 1.5 MB of source that V8 keeps for as long as the process runs, and
 * ~3.7 MB of private memory for a process that only imports it. Bundled, esbuild keeps what the sources
 * use (they import it as a namespace, `import * as z`, which it can shake): ~200 kB of source, English
 * messages only, and 2.3-2.8 MB less private memory for `hearth up` (bench/HISTORY.md, round 15).
 * (`hearth mcp` then also loads the SDK's own zod; zod 4 keeps its registry on globalThis and checks
 * schemas by their traits, so the two copies read each other's schemas.)
 */
const BUNDLED_PACKAGES = new Set(['zod']);

/** esbuild's `packages: 'external'`, but for the packages above. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    // Bare specifiers (and node: ones); an absolute entry point on Windows (C:\...) is not a package.
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'entry-point' || isAbsolute(args.path) || BUNDLED_PACKAGES.has(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Output files with every character above U+00FF written as a \u escape. V8 keeps each module's source
 * for as long as the process runs, one byte per character while every character fits in Latin-1 and
 * two bytes otherwise: one `…` in a kept comment doubled the entry's 90 kB and zod's 200 kB chunk.
 * esbuild escapes strings and identifiers itself; what it leaves are comments and regular expression
 * literals, where an escape reads the same (bench/HISTORY.md, round 15).
 */
const latin1Output = {
  name: 'latin1-output',
  setup(build) {
    build.initialOptions.metafile = true; // onEnd finds the files it wrote there
    build.onEnd((result) => {
      const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
      for (const out of Object.keys(result.metafile?.outputs ?? {})) {
        const file = isAbsolute(out) ? out : join(cwd, out);
        const text = readFileSync(file, 'utf8');
        if (/[\u0100-\uffff]/.test(text)) writeFileSync(file, escapeWide(text));
      }
    });
  },
};

/** `text` with each UTF-16 unit above U+00FF as \uXXXX (a pair for a character beyond U+FFFF). */
function escapeWide(text) {
  return text.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * How Hearth's Node code is bundled: ES modules for Node 20, packages left to load from node_modules
 * except BUNDLED_PACKAGES. The bench and the soak bundle what they measure with the same settings
 * (bench/lib/build.ts, test/soak/run.ts).
 */
export const NODE_BUNDLE = { bundle: true, platform: 'node', format: 'esm', target: 'node20', plugins: [externalPackages, latin1Output] };

/** The bundle's path when it is fresh, else null. Never throws. */
export function currentBundle(outDir) {
  try {
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
    const bundle = join(outDir, manifest.bundle);
    statSync(bundle);
    // A source saved after the build started is newer than the bundle (a deleted one fails to stat).
    // Compared in whole milliseconds, as builtAt is: a file's mtime has a fraction, so one saved in the
    // same millisecond the build started (before it, a test writing then building) looked newer and
    // the bundle was rebuilt on every run. A save in that millisecond after the start is still read by
    // the build, which loads esbuild and resolves the entry before it reads a source.
    for (const input of manifest.inputs) if (Math.floor(statSync(input).mtimeMs) > manifest.builtAt) return null;
    return bundle;
  } catch {
    return null;
  }
}

/** esbuild, once a build loaded it. */
let loadedBuilder = null;

/**
 * Bundles `entry` into a folder of its own in outDir, and records every source it read. Packages stay
 * external (they load from node_modules), and what the sources import lazily stays lazy: esbuild splits
 * it into chunks, so `hearth status` never loads what only `hearth up` needs (a single file would load
 * every package at start: `--version` took 0.20 s instead of 0.08 s). Renaming the manifest that points
 * at the new folder is the one step that makes it current, so concurrent builds never pair one build's
 * manifest with another's files. Resolves with the entry's path, or with the reason the build failed.
 */
export async function buildBundle({ entry, outDir, name }) {
  const builtAt = Date.now();
  try {
    const esbuild = await import('esbuild');
    loadedBuilder = esbuild;
    const stem = name.replace(/\.m?js$/, '');
    const unique = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const dir = `${stem}.${unique}`;
    mkdirSync(outDir, { recursive: true }); // esbuild resolves from absWorkingDir, which must exist
    const result = await esbuild.build({
      entryPoints: [entry],
      outdir: join(outDir, dir),
      entryNames: stem,
      // .mjs: ES modules wherever the folder is, whatever the nearest package.json says.
      outExtension: { '.js': '.mjs' },
      ...NODE_BUNDLE,
      splitting: true,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: outDir,
    });
    // This file too: a change to how bundles are built makes the old ones stale.
    const inputs = [...Object.keys(result.metafile.inputs).map((p) => join(outDir, p)), fileURLToPath(import.meta.url)];
    const bundle = `${dir}/${stem}.mjs`;
    const manifestTmp = join(outDir, `.manifest.${unique}.tmp`);
    writeFileSync(manifestTmp, JSON.stringify({ bundle, builtAt, inputs }));
    renameSync(manifestTmp, join(outDir, 'manifest.json'));
    removeOldBuilds(outDir, stem, dir);
    return { bundle: join(outDir, bundle) };
  } catch (error) {
    return { error: buildError(error, outDir) };
  }
}

/**
 * Ends the child process esbuild builds in (it keeps it for later builds). For a process that is done
 * building: left running, it would sit beside `hearth up` for the whole run, 28 MB of RSS. Builds still
 * in flight would fail, so only the caller knows when.
 */
export async function stopBuilder() {
  await loadedBuilder?.stop();
}

/** esbuild's first error with its place (file:line:column), else the message's first line. */
function buildError(error, outDir) {
  const first = error?.errors?.[0];
  if (first) {
    const at = first.location ? `${join(outDir, first.location.file)}:${first.location.line}:${first.location.column + 1}: ` : '';
    return `${at}${first.text}`;
  }
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

/**
 * Earlier builds, once a day old. A process loads its chunks when a command starts, so one that has run
 * for days from an old build needs nothing more from it; a day is a wide margin over that.
 */
function removeOldBuilds(outDir, stem, keep) {
  for (const f of readdirSync(outDir)) {
    if (f === keep || !f.startsWith(`${stem}.`)) continue;
    try {
      if (Date.now() - statSync(join(outDir, f)).mtimeMs > 24 * 3600_000) rmSync(join(outDir, f), { recursive: true, force: true });
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
