// Types for cli-bundle.js (plain JavaScript, run before any TypeScript loader).
export interface BundleOptions {
  /** The entry module (TypeScript is fine: esbuild compiles it). */
  entry: string;
  /** Where the bundle and its manifest (every source read, and when the build started) go. */
  outDir: string;
  /** The bundle's file name in outDir; each build puts its own id before the extension (app.mjs -> app.<id>.mjs). */
  name: string;
}
export function currentBundle(outDir: string): string | null;
export function buildBundle(opts: BundleOptions): Promise<{ bundle: string; error?: undefined } | { bundle?: undefined; error: string }>;
export function freshBundle(opts: BundleOptions): Promise<string | null>;
