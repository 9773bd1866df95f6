// Renderer build: `vite build --config renderer/vite.config.ts` -> out/renderer (relative asset URLs
// so the same files load from file:// in Electron and from `hearth serve`).
// HEARTH_DEV_HARNESS=1 builds the dev harness page instead (fake stack, for screenshots).
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;
const harness = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.HEARTH_DEV_HARNESS === '1';

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
  plugins: [react(), speedscope()],
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
