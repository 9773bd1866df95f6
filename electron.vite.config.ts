// electron-vite: builds the three parts of the desktop app into out/.
//   out/main/index.js      main process (ESM, like the package); npm dependencies stay external
//   out/preload/index.cjs  preload, CommonJS: a sandboxed preload cannot be an ES module
//   out/renderer/          the React UI, with renderer/vite.config.ts's own settings
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'electron-vite';
import type { UserConfig as ViteUserConfig } from 'vite';
import rendererConfig from './renderer/vite.config';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(root, 'electron/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything: a sandboxed preload can require only a few Electron modules.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The renderer's own config (root, base './', React plugin, no inline assets) plus the input page.
  renderer: mergeConfig(rendererConfig as ViteUserConfig, {
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'renderer/index.html') },
    },
  }),
});
