#!/usr/bin/env -S node --no-concurrent-recompilation --single-threaded-gc
// The `hearth` command. Runs the CLI bundled into out/cli/, built (or rebuilt after an edit) on
// demand: see cli-bundle.js. Should no bundle be possible, the TypeScript sources run
// through tsx's loader instead, which also reports a source that does not compile.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle, stopBuilder } from './cli-bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = await freshBundle({ entry: `${root}electron/cli/main.ts`, outDir: `${root}out/cli`, name: 'hearth.mjs' });
await stopBuilder(); // no more builds in this process
let main;
if (bundle) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
