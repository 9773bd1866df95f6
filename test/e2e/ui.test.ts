// The Hearth UI in real Chromium against a real `hearth serve` of examples/shop: what a user sees
// and clicks, checked against the files on disk, the CLI's view and /proc. The tests share one
// serve and one browser and run in order; each leaves the stack as it found it (all up, no snooze).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAlive } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import {
  badgeText,
  launchBrowser,
  openUi,
  screenshot,
  serviceCard,
  servicesList,
  shownPid,
  snoozeSwitch,
  waitForBadge,
  waitForChecked,
  type OpenedPage,
} from './browser';
import { pidsOf, startServe, type ServeRun } from './serve';

let serve: ServeRun;
let browser: Browser;
let ui: OpenedPage;
let page: Page;
const WORKER_UP = ['running']; // it has no health check: never "healthy"

beforeAll(async () => {
  // The browser first: without one, fail at once (clearly) instead of after starting a stack.
  browser = await launchBrowser();
  serve = await startServe();
  ui = await openUi(browser, serve.url);
  page = ui.page;
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

async function logText(name: string): Promise<string> {
  return (await page.getByRole('log', { name, exact: true }).textContent({ timeout: 1_000 })) ?? '';
}

async function waitForLog(name: string, pattern: RegExp): Promise<string> {
  return waitFor(async () => pattern.exec(await logText(name))?.[0], { timeoutMs: 15_000, intervalMs: 50, what: `${pattern} in the log "${name}"` });
}

describe('hearth serve + the UI in Chromium (examples/shop)', () => {
  test('lists every service and shows them healthy, the migration finished', async () => {
    const names = await waitFor(async () => {
      const all = await servicesList(page).getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      return all.length === 4 ? all : null;
    }, { what: 'four service cards' });
    expect([...names].sort()).toEqual(['api', 'migrate', 'web', 'worker']);
    await waitForBadge(page, 'migrate', ['finished']);
    await waitForBadge(page, 'api', ['healthy']);
    await waitForBadge(page, 'web', ['healthy']);
    // The worker has no health check; the badge model calls that "healthy" (model.test.ts), "running" would do too.
    await waitForBadge(page, 'worker', WORKER_UP);
    const { services } = await serve.status();
    expect(Object.fromEntries(services.map((s) => [s.name, s.state]))).toEqual({ migrate: 'FINISHED', api: 'RUNNING', web: 'RUNNING', worker: 'RUNNING' });
  });

  test('shows the lines a service prints in the log view', async () => {
    await serviceCard(page, 'worker').getByRole('button', { name: 'worker', exact: true }).click();
    await waitForLog('Logs of worker', /tick \d+: 2 items/);

    const port = (await serve.status()).services.find((s) => s.name === 'api')!.ports.http;
    await serviceCard(page, 'api').getByRole('button', { name: 'api', exact: true }).click();
    // The worker's and web's requests keep the api logging; only the tail is in the (virtualized) DOM.
    await waitForLog('Logs of api', /GET \/items \(#\d+\)/);
    // The start-up line has scrolled away: the search filter brings it back.
    const search = page.getByRole('searchbox', { name: 'Search logs' });
    await search.fill('listening on');
    const filter = page.getByRole('button', { name: 'Filter', exact: true });
    await filter.click();
    await waitForLog('Logs of api', new RegExp(`api listening on http://127\\.0\\.0\\.1:${port}`));
    expect(await logText('Logs of api')).not.toMatch(/GET \/items/);
    await screenshot(page, 'api-search-light');
    await filter.click();
    await search.fill('');
    await waitForLog('Logs of api', /GET \/items \(#\d+\)/);
    await screenshot(page, 'api-selected-light');

    await page.getByRole('button', { name: /^All services/ }).click();
    const all = await waitForLog('Logs of All services', /tick \d+: 2 items/);
    expect(all).toBeTruthy();
    await screenshot(page, 'all-light');
  });

  test("a line typed under a service's logs goes to its stdin, and the prompt it leaves shows there", async () => {
    await serviceCard(page, 'worker').getByRole('button', { name: 'worker', exact: true }).click();
    const stdin = page.getByRole('textbox', { name: 'stdin of worker', exact: true });
    const form = page.getByRole('form', { name: 'Input to worker' });
    await stdin.fill('pause');
    await stdin.press('Enter');
    // The worker answers with a prompt and no newline: it shows before the stdin field, not as a log line.
    const prompt = await waitFor(async () => /paused after tick \d+; type resume> /.exec((await form.textContent()) ?? '')?.[0], { what: 'the prompt' });
    expect(await stdin.inputValue()).toBe(''); // sent, so cleared
    expect(await logText('Logs of worker')).not.toContain(prompt);
    // The card says so too, to be seen from the list (a breakpoint hit in another service).
    const tag = serviceCard(page, 'worker').getByText('at prompt', { exact: true });
    await waitFor(async () => (await tag.count()) === 1, { what: 'the card tag' });
    const ticks = (await serve.status()).services.find((s) => s.name === 'worker')!;
    await screenshot(page, 'stdin-prompt-light', 'hearth-stdin.png');

    await stdin.press('ArrowUp'); // the last line sent, as a terminal recalls it
    expect(await stdin.inputValue()).toBe('pause');
    await stdin.fill('resume');
    await stdin.press('Enter');
    // The prompt was quiet past the prompt time when the worker's next line came, so it ends as a line of its
    // own (test/supervisor/supervisor-input.test.ts), with "resumed" the line after it; the prompt is gone.
    const rows = page.getByRole('log', { name: 'Logs of worker', exact: true }).locator('.log-row .log-text');
    await waitFor(async () => {
      const texts = (await rows.allTextContents()).map((t) => t.trimEnd());
      const at = texts.indexOf(prompt.trimEnd());
      return at >= 0 && texts[at + 1] === 'resumed';
    }, { timeoutMs: 15_000, intervalMs: 50, what: 'the prompt as a line of its own, then "resumed"' });
    await waitFor(async () => !/type resume>/.test((await form.textContent()) ?? ''), { what: 'the prompt gone' });
    await waitFor(async () => (await tag.count()) === 0, { what: 'the card tag gone' });
    await waitForLog('Logs of worker', /tick \d+: 2 items$/);
    expect((await serve.status()).services.find((s) => s.name === 'worker')!.pid).toBe(ticks.pid); // the same process throughout

    // "i" goes to the stdin line; Esc leaves it, and leaves the search as it was (Esc elsewhere clears it).
    const search = page.getByRole('searchbox', { name: 'Search logs' });
    await search.fill('tick');
    await page.locator('.logs-panel').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('i');
    expect(await stdin.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    expect(await stdin.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(false);
    expect(await search.inputValue()).toBe('tick');
    await search.fill('');
  });

  test('the snooze switch creates and removes .healthchecksnooze', async () => {
    const file = serve.snoozeFile('api');
    expect(existsSync(file)).toBe(false);
    await waitForChecked(page, 'api', false);

    await snoozeSwitch(page, 'api').click();
    await waitFor(() => existsSync(file), { what: `${file} to exist` });
    await waitForChecked(page, 'api', true);
    await waitForBadge(page, 'api', ['snoozed']);

    await snoozeSwitch(page, 'api').click();
    await waitFor(() => !existsSync(file), { what: `${file} to be removed` });
    await waitForChecked(page, 'api', false);
    await waitForBadge(page, 'api', ['healthy']);
  });

  test('a snooze file made by hand flips the switch within one health check', async () => {
    const file = serve.snoozeFile('api');
    // api checks every second: the switch must follow the file within one interval, plus slack for
    // delivery (watcher, WebSocket batch, render) on a loaded 2-core CI box. Typically 200-800 ms.
    const oneCheck = 1_000 + 2_000;
    let t0 = Date.now();
    writeFileSync(file, '');
    await waitForChecked(page, 'api', true, oneCheck);
    const on = Date.now() - t0;

    t0 = Date.now();
    rmSync(file);
    await waitForChecked(page, 'api', false, oneCheck);
    const off = Date.now() - t0;
    console.info(`e2e: hand-made snooze file seen in ${on} ms, its removal in ${off} ms`);
    await waitForBadge(page, 'api', ['healthy']);
  });

  test('the timed snooze menu snoozes for 15 minutes', async () => {
    const file = serve.snoozeFile('api');
    await serviceCard(page, 'api').getByRole('button', { name: 'Snooze api for…', exact: true }).click();
    const before = Date.now();
    await page.getByRole('menu', { name: 'Snooze api for' }).getByRole('menuitem', { name: '15 min', exact: true }).click();
    await waitFor(() => existsSync(file), { what: `${file} to exist` });
    await waitForChecked(page, 'api', true);
    const api = (await serve.status()).services.find((s) => s.name === 'api')!;
    expect(api.snoozed).toBe(true);
    expect(api.snooze_until).not.toBeNull();
    expect(api.snooze_until!).toBeGreaterThanOrEqual(before + 15 * 60_000 - 5_000);
    expect(api.snooze_until!).toBeLessThanOrEqual(Date.now() + 15 * 60_000 + 5_000);

    await snoozeSwitch(page, 'api').click();
    await waitFor(() => !existsSync(file), { what: `${file} to be removed` });
    await waitForChecked(page, 'api', false);
  });

  test('the header stays one row at 1280 px with every kind of count, and never overlaps itself at 800 px', async () => {
    await snoozeSwitch(page, 'api').click(); // a fourth count: snoozed, healthy, running, finished
    await waitForChecked(page, 'api', true);
    const boxes = () =>
      page.locator('header.header > *').evaluateAll((els) =>
        els.filter((e) => e.getBoundingClientRect().width > 0).map((e) => {
          const r = e.getBoundingClientRect();
          return { name: e.className || e.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
    const overflow = async () => (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')) as boolean;
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('status', { name: 'Stack health' }).getByText('1 snoozed').waitFor();
      const wide = await boxes();
      expect(new Set(wide.map((b) => Math.round(b.top / 10)))).toHaveProperty('size', 1); // one row
      expect(await overflow()).toBe(false);
      await page.setViewportSize({ width: 800, height: 800 });
      const narrow = await boxes();
      for (let i = 1; i < narrow.length; i++) expect(narrow[i]!.left, `${narrow[i]!.name} starts after ${narrow[i - 1]!.name} ends`).toBeGreaterThanOrEqual(narrow[i - 1]!.right - 0.5);
      expect(await overflow()).toBe(false);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
      await snoozeSwitch(page, 'api').click();
      await waitForChecked(page, 'api', false);
    }
  });

  test('Restart gives the service a new pid, the same one the CLI reports', async () => {
    const before = await waitFor(() => shownPid(page, 'api'), { what: 'a pid on the api card' });
    expect((await pidsOf(serve)).api).toBe(before);

    await serviceCard(page, 'api').getByRole('button', { name: 'Restart api', exact: true }).click();
    const after = await waitFor(async () => {
      const pid = await shownPid(page, 'api');
      return pid !== null && pid !== before ? pid : null;
    }, { timeoutMs: 20_000, what: 'a new pid on the api card' });
    expect((await pidsOf(serve)).api).toBe(after);
    expect(isAlive(after)).toBe(true);
    await waitFor(() => !isAlive(before), { what: `the old api process ${before} to be gone` });
    await waitForBadge(page, 'api', ['healthy']);
  });

  test('light and dark, with a timed snooze on (the README pictures)', async () => {
    await serviceCard(page, 'web').getByRole('button', { name: 'Snooze web for…', exact: true }).click();
    await page.getByRole('menu', { name: 'Snooze web for' }).getByRole('menuitem', { name: '1 hour', exact: true }).click();
    await waitForChecked(page, 'web', true);
    await waitForBadge(page, 'web', ['snoozed']);
    await page.getByRole('button', { name: /^All services/ }).click();
    await waitForLog('Logs of All services', /tick \d+: 2 items/);
    await screenshot(page, 'snoozed-light', 'hearth-ui.png');

    // Another tab needs a link of its own: each logs in once.
    const dark = await openUi(browser, await serve.loginUrl(), 'dark');
    try {
      const background = await dark.page.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(luminance(String(background))).toBeLessThan(0.3);
      await waitForBadge(dark.page, 'web', ['snoozed']);
      await screenshot(dark.page, 'snoozed-dark', 'hearth-ui-dark.png');
      await serviceCard(dark.page, 'api').getByRole('button', { name: 'api', exact: true }).click();
      await waitFor(async () => /GET \/items/.test((await dark.page.getByRole('log').textContent({ timeout: 1_000 })) ?? ''), {
        timeoutMs: 15_000,
        what: 'api log lines in the dark page',
      });
      await screenshot(dark.page, 'api-selected-dark');
      expect(dark.pageErrors).toEqual([]);
    } finally {
      await dark.context.close();
    }

    await snoozeSwitch(page, 'web').click();
    await waitForChecked(page, 'web', false);
    await waitForBadge(page, 'web', ['healthy']);
  });

  test('Stop and Start work from the card', async () => {
    const card = serviceCard(page, 'worker');
    const before = await waitFor(() => shownPid(page, 'worker'), { what: 'a pid on the worker card' });
    await card.getByRole('button', { name: 'Stop worker', exact: true }).click();
    await waitForBadge(page, 'worker', ['stopped']);
    expect(await shownPid(page, 'worker')).toBeNull();
    expect(isAlive(before)).toBe(false);
    expect((await serve.status()).services.find((s) => s.name === 'worker')!.state).toBe('STOPPED');

    await card.getByRole('button', { name: 'Start worker', exact: true }).click();
    await waitForBadge(page, 'worker', WORKER_UP);
    const pid = await waitFor(() => shownPid(page, 'worker'), { what: 'a pid on the worker card' });
    expect(pid).not.toBe(before);
    expect((await pidsOf(serve)).worker).toBe(pid);
    expect(await card.getByRole('button', { name: 'Stop worker', exact: true }).isEnabled()).toBe(true);
  });

  test('starting a service leaves its finished job dependency alone', async () => {
    // worker -> api -> migrate (completed). Starting worker again must not re-run the migration:
    // migrate FINISHED satisfies api's condition, and api is already running.
    const migrate = async () => (await serve.status()).services.find((s) => s.name === 'migrate')!;
    const before = await waitFor(async () => {
      const m = await migrate();
      return m.state === 'FINISHED' ? m : null;
    }, { timeoutMs: 15_000, what: 'migrate to be FINISHED' });
    const card = serviceCard(page, 'worker');
    await card.getByRole('button', { name: 'Stop worker', exact: true }).click();
    await waitForBadge(page, 'worker', ['stopped']);
    await card.getByRole('button', { name: 'Start worker', exact: true }).click();
    await waitForBadge(page, 'worker', WORKER_UP);
    const after = await migrate();
    expect({ state: after.state, run: after.run, restarts: after.restarts }).toEqual({ state: 'FINISHED', run: before.run, restarts: before.restarts });
  });

  test('the printed link logs in once: the tab keeps its session over a reload, the same link again is refused', async () => {
    // The page opened from the printed link (beforeAll), and then dropped the code from the address bar.
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate('document.cookie')).toBe('');
    await page.reload();
    await servicesList(page).getByRole('listitem').first().waitFor({ timeout: 30_000 });
    const context = await browser.newContext();
    try {
      const stranger = await context.newPage();
      await stranger.goto(serve.url);
      await stranger.getByRole('heading', { name: 'Not logged in' }).waitFor({ timeout: 15_000 });
      expect(await stranger.getByRole('alert').textContent()).toMatch(/This login link was already used/);
      expect(await stranger.getByRole('list', { name: 'Services' }).count()).toBe(0);
      await screenshot(stranger, 'login-link-used');
    } finally {
      await context.close();
    }
    expect(serve.output()).toMatch(/warning: a login link was used a second time and refused/);
  });

  test('no uncaught error in the page, and every badge still good', async () => {
    expect(ui.pageErrors).toEqual([]);
    expect(await badgeText(page, 'api')).toBe('healthy');
    expect(await badgeText(page, 'web')).toBe('healthy');
    expect(WORKER_UP).toContain(await badgeText(page, 'worker'));
  });

  test('SIGTERM stops serve and leaves no process of the stack behind', async () => {
    const pids = Object.values(await pidsOf(serve)).filter((p): p is number => p !== null);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    const result = await serve.stop();
    expect(result).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});

/** Relative luminance (0 black … 1 white) of a CSS rgb()/rgba() colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? ['255', '255', '255']).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
