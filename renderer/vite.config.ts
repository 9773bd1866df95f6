// Renderer build: `vite build --config renderer/vite.config.ts` -> out/renderer (relative asset URLs
// so the same files load from file:// in Electron and from `hearth serve`).
// HEARTH_DEV_HARNESS=1 builds the dev harness page instead (fake stack, for screenshots).
// HEARTH_LOG_VIEW=react-window|tanstack builds the page with a library's log view (dev/log-view-variants/)
// in place of components/log-view.tsx: the UI figure of `npm run bench` measures them side by side.
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const harness = env.HEARTH_DEV_HARNESS === '1';
const LOG_VIEW_VARIANTS = ['react-window', 'tanstack'];

/** The log view module swapped for a variant's (bench only); any other value is refused, not ignored. */
function logViewVariant(name: string | undefined): Plugin | null {
  if (!name) return null;
  if (!LOG_VIEW_VARIANTS.includes(name)) throw new Error(`HEARTH_LOG_VIEW="${name}": one of ${LOG_VIEW_VARIANTS.join(', ')}`);
  const variant = `${root}dev/log-view-variants/log-view-${name}.tsx`;
  return {
    name: 'hearth-log-view-variant',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('/log-view') || importer === variant) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id.endsWith('/src/components/log-view.tsx') ? variant : null;
    },
  };
}

/**
 * speedscope's own static build goes beside the page, under speedscope/: the flame graph of a capture is
 * that page in a frame, same origin, loading the profile from a blob: URL the renderer makes.
 */
function speedscope(): Plugin {
  let outDir = '';
  return {
    name: 'hearth-speedscope',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const pkg = createRequire(import.meta.url).resolve('speedscope/package.json');
      cpSync(join(dirname(pkg), 'dist', 'release'), join(outDir, 'speedscope'), { recursive: true, filter: (src) => !src.endsWith('.txt') || src.endsWith('release.txt') });
    },
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), speedscope(), logViewVariant(env.HEARTH_LOG_VIEW)],
  build: harness
    ? {
        outDir: `${root}../test-artifacts/harness-build`,
        emptyOutDir: true,
        rollupOptions: { input: `${root}dev/harness.html` },
      }
    : {
        outDir: `${root}../out/renderer`,
        emptyOutDir: true,
        // No inline <script>/<style>: the page runs under script-src/style-src 'self'.
        assetsInlineLimit: 0,
      },
});
