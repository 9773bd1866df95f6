// Renderer build: `vite build --config renderer/vite.config.ts` -> out/renderer (relative asset URLs
// so the same files load from file:// in Electron and from `hearth serve`).
// HEARTH_DEV_HARNESS=1 builds the dev harness page instead (fake stack, for screenshots).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;
const harness = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.HEARTH_DEV_HARNESS === '1';

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
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
