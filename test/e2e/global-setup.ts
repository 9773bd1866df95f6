// Builds the renderer once before the e2e tests, so `npm test` works on a fresh clone after
// `npm ci`: `hearth serve` serves out/renderer, and a stale build would test yesterday's UI.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export async function setup(): Promise<void> {
  // The same config builds the dev harness when this is set; the tests need the real page.
  delete process.env.HEARTH_DEV_HARNESS;
  const started = Date.now();
  await build({ configFile: join(REPO, 'renderer/vite.config.ts'), logLevel: 'warn' });
  process.stderr.write(`e2e: renderer built in ${Date.now() - started} ms\n`);
}
