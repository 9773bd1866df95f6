// A broken stack file while the stack runs: serve watches the file, the reload fails, the UI shows
// where and why, and nothing running is touched. Fixing the file clears the banner.
import { writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAlive } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { launchBrowser, openUi, screenshot, waitForBadge, type OpenedPage } from './browser';
import { editStackFile, pidsOf, startServe, type ServeRun } from './serve';

let serve: ServeRun;
let browser: Browser;
let ui: OpenedPage;

beforeAll(async () => {
  // The browser first: without one, fail at once (clearly) instead of after starting a stack.
  browser = await launchBrowser();
  serve = await startServe();
  ui = await openUi(browser, serve.url);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

const GOOD = '      http: { port: http, endpoint: /health, expected_response: ok }\n';
const BAD = `${GOOD}      interval_secs: fast\n`;

describe('a config error on reload (examples/shop)', () => {
  test('is shown with file:line:col, keeps the stack running, and clears once fixed', async () => {
    const { page } = ui;
    for (const name of ['api', 'web']) await waitForBadge(page, name, ['healthy']);
    const pids = await pidsOf(serve);
    expect(pids.api).toEqual(expect.any(Number));

    const original = editStackFile(serve, GOOD, BAD);
    // Where "fast" sits in the broken file: the issue must point at the value itself.
    const broken = original.replace(GOOD, BAD).split('\n');
    const line = broken.findIndex((l) => l.includes('interval_secs: fast')) + 1;
    const col = broken[line - 1]!.indexOf('fast') + 1;

    const banner = page.getByRole('alert', { name: 'Config errors' });
    const text = await waitFor(async () => ((await banner.count()) ? await banner.textContent({ timeout: 1_000 }) : null), {
      timeoutMs: 15_000,
      what: 'the config errors banner',
    });
    expect(text).toMatch(new RegExp(`hearth\\.yaml:${line}:${col} services\\.api\\.health_check\\.interval_secs: \\S`));
    const issue = await banner.getByRole('listitem').first().textContent();
    console.info(`e2e: banner shows "${issue}"`);
    await screenshot(page, 'config-error-light');

    // The CLI sees the same error, and not a single process was restarted.
    const status = await serve.status();
    expect(status.stack.config_errors).toHaveLength(1);
    expect(status.stack.config_errors[0]).toMatchObject({ line, col, path: 'services.api.health_check.interval_secs' });
    expect(await pidsOf(serve)).toEqual(pids);
    for (const pid of Object.values(pids)) if (pid !== null) expect(isAlive(pid)).toBe(true);

    writeFileSync(serve.file, original);
    await waitFor(async () => (await banner.count()) === 0, { timeoutMs: 15_000, what: 'the banner to go away' });
    expect((await serve.status()).stack.config_errors).toEqual([]);
    // The fixed file is the config already running: still nothing restarted.
    expect(await pidsOf(serve)).toEqual(pids);
    await waitForBadge(page, 'api', ['healthy']);
    expect(ui.pageErrors).toEqual([]);
  });

  test('SIGTERM stops serve and leaves no process of the stack behind', async () => {
    const pids = Object.values(await pidsOf(serve)).filter((p): p is number => p !== null);
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});
