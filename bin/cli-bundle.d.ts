// Types for cli-bundle.js (plain JavaScript, run before any TypeScript loader).
import type { BuildOptions } from 'esbuild';

export const NODE_BUNDLE: Pick<BuildOptions, 'bundle' | 'platform' | 'format' | 'target' | 'plugins'>;
export interface BundleOptions {
  /** The entry module (TypeScript is fine: esbuild compiles it). */
  entry: string;
  /** Where the builds and the manifest (the current build, every source it read, when it started) go. */
  outDir: string;
  /** The entry's file name; each build is a folder of its own: app.mjs -> outDir/app.<id>/app.mjs (+ chunks). */
  name: string;
}
export function currentBundle(outDir: string): string | null;
export function buildBundle(opts: BundleOptions): Promise<{ bundle: string; error?: undefined } | { bundle?: undefined; error: string }>;
export function freshBundle(opts: BundleOptions): Promise<string | null>;
