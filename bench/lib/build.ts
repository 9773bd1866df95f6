// Bundles the Hearth host and the workloads to plain .mjs before measuring, as the app ships them
// (electron-vite bundles too): no TypeScript loader in the measured processes, whose start-up time
// and memory would otherwise include a compiler. Falls back to `node --import tsx` without esbuild.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_BUNDLE } from '../../bin/cli-bundle.js';

export const ENTRIES = {
  host: 'bench/hearth-host.ts',
  writer: 'bench/workloads/writer.ts',
  httpServer: 'bench/workloads/http-server.ts',
  chatty: 'bench/workloads/chatty.ts',
  portHolder: 'bench/workloads/port-holder.ts',
  mini: 'bench/workloads/mini-supervisor.ts',
  pipeCopy: 'bench/workloads/pipe-copy.ts',
  service: 'bench/workloads/service.ts',
} as const;
export type EntryName = keyof typeof ENTRIES;

/** How to run each entry: node + these arguments. */
export type Launchers = Record<EntryName, string[]>;

export async function buildEntries(root: string, outDir: string): Promise<{ launchers: Launchers; how: string }> {
  mkdirSync(outDir, { recursive: true });
  try {
    // esbuild comes with tsx (not a direct dependency): loaded dynamically so a missing one is a fallback.
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    // One build, split into chunks as the CLI's is: what an entry imports lazily (the host's web
    // server and inspector) stays unloaded until used, so the host loads what `hearth up` loads.
    await esbuild.build({
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, entry]) => [name, join(root, entry)])),
      outdir: outDir,
      // The CLI's settings; packages resolve from the repo's node_modules (the output sits inside the repo).
      ...NODE_BUNDLE,
      splitting: true,
      outExtension: { '.js': '.mjs' },
      logLevel: 'error',
    });
    const launchers = {} as Launchers;
    for (const name of Object.keys(ENTRIES) as EntryName[]) launchers[name] = [join(outDir, `${name}.mjs`)];
    return { launchers, how: `bundled with esbuild ${esbuild.version}` };
  } catch (error) {
    const launchers = {} as Launchers;
    for (const [name, entry] of Object.entries(ENTRIES) as Array<[EntryName, string]>) launchers[name] = ['--import', 'tsx', join(root, entry)];
    return { launchers, how: `run through tsx (esbuild unavailable: ${(error as Error).message})` };
  }
}
