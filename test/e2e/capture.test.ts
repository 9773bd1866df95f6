// Captures and the health timeline in real Chromium against a real `hearth serve` of examples/shop: a CPU
// profile of api from the Captures tab (its card snoozed meanwhile, not after), shown as a flame graph by
// speedscope's page in a frame; then the health timeline with the capture's window in it.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '../helpers/wait-for';
import { launchBrowser, openUi, screenshot, serviceCard, waitForBadge, waitForChecked, type OpenedPage } from './browser';
import { startServe, type ServeRun } from './serve';

interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The chart's label texts (not axis ticks) and its probe points, as the browser laid them out at one moment. */
async function labelAndPointBoxes(figure: Locator): Promise<{ labels: Box[]; points: Box[] }> {
  // One evaluate: the chart redraws every second, so element handles taken one by one would go stale.
  const { texts, points } = await figure.evaluate((el) => {
    const boxes = (selector: string) =>
      [...el.querySelectorAll(selector)].map((e) => {
        const r = e.getBoundingClientRect();
        return { text: (e.textContent ?? '').trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      });
    return { texts: boxes('svg text'), points: boxes('.recharts-scatter-symbol') };
  });
  return { labels: texts.filter((b) => /^(grace|start deadline|started|healthy|capture|snoozed)\b/.test(b.text)), points };
}

/** Pairs of boxes (one from each list, never a box with itself) whose rectangles intersect. */
function overlaps(a: Box[], b: Box[]): string[] {
  const hits: string[] = [];
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      if (a === b && j <= i) return;
      if (x.left < y.right && y.left < x.right && x.top < y.bottom && y.top < x.bottom) hits.push(`"${x.text}" over "${y.text || `point ${j}`}"`);
    }),
  );
  return hits;
}

let serve: ServeRun;
let browser: Browser;
let ui: OpenedPage;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  serve = await startServe();
  ui = await openUi(browser, serve.url);
  page = ui.page;
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('captures and the health timeline in the UI', () => {
  test('a CPU profile from the Captures tab, under a snooze, opens as a flame graph', async () => {
    await waitForBadge(page, 'api', ['healthy']);
    const pid = (await serve.status()).services.find((s) => s.name === 'api')!.pid;
    await serviceCard(page, 'api').getByRole('button', { name: 'api', exact: true }).click();
    await page.getByRole('tablist', { name: 'Views of api' }).getByRole('tab', { name: 'Captures' }).click();
    const panel = page.getByRole('region', { name: 'Captures of api' });
    await panel.getByRole('button', { name: 'Capture cpu of api' }).click();
    // While it runs: the card's snooze switch is on, and the panel says why.
    await waitForChecked(page, 'api', true);
    await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/cpu capture with node-inspector… health checks snoozed until it ends/);
    const table = panel.getByRole('table', { name: 'Capture files of api' });
    await table.waitFor({ timeout: 30_000 });
    await waitForChecked(page, 'api', false);
    const row = table.getByRole('row').nth(1);
    expect(await row.textContent()).toMatch(/^cpu.*-cpu\.cpuprofile\d+(\.\d)? KiB\d+(\.\d)?sFlame graph$/);
    const after = (await serve.status()).services.find((s) => s.name === 'api')!;
    expect(after).toMatchObject({ pid, restarts: 0, snoozed: false });
    await screenshot(page, 'captures');

    await row.getByRole('button', { name: /^Flame graph of / }).click();
    const dialog = page.getByRole('dialog', { name: /^Flame graph of .*-cpu\.cpuprofile$/ });
    await dialog.waitFor();
    const frame = page.frameLocator('iframe[title^="Flame graph: "]');
    // speedscope parsed the profile: its toolbar names it, and its sandwich view lists the functions.
    await frame.getByText(/api — .*-cpu\.cpuprofile/).first().waitFor({ timeout: 20_000 });
    await frame.getByText(/Sandwich$/).click();
    await frame.getByText('(program)', { exact: true }).first().waitFor({ timeout: 10_000 });
    await frame.getByText(/Left Heavy$/).click();
    await screenshot(page, 'flame-graph');
    expect(ui.pageErrors).toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await waitFor(async () => (await dialog.count()) === 0, { what: 'the flame graph closed' });
  });

  test('the health timeline shows the probes, the grace window, the start, healthy and the capture window', async () => {
    await page.getByRole('tablist', { name: 'Views of api' }).getByRole('tab', { name: 'Health timeline' }).click();
    const figure = page.getByRole('figure', { name: 'Health checks of api' });
    await figure.waitFor({ timeout: 10_000 });
    const text = async () => (await figure.textContent()) ?? '';
    await waitFor(async () => /capture cpu \(node-inspector\)/.test(await text()), { what: 'the capture window in the chart' });
    const shown = await text();
    expect(shown).toContain('snoozed (capture)');
    expect(shown).toMatch(/grace: first 3 checks \(m\)/);
    expect(shown).toMatch(/start deadline: 6 checks \(n\)/);
    expect(shown).toContain('healthy');
    expect(shown).toMatch(/Longest failure run \d+ of max_consecutive_failures 2/);
    // Points are drawn for the probes: success ones, and the snoozed ones of the capture.
    expect(await figure.locator('.recharts-scatter-symbol').count()).toBeGreaterThan(5);
    // The labels (windows, marks, the deadline) are drawn clear of each other and of the probe points.
    const boxes = await labelAndPointBoxes(figure);
    expect(boxes.labels.map((l) => l.text).sort()).toEqual(['capture cpu (node-inspector)', 'grace: first 3 checks (m)', 'healthy', 'snoozed (capture)', 'start deadline: 6 checks (n)', 'started: initial']);
    expect(overlaps(boxes.labels, boxes.labels)).toEqual([]);
    expect(overlaps(boxes.labels, boxes.points)).toEqual([]);
    expect(await page.getByRole('region', { name: 'Health timeline of api' }).textContent()).toMatch(/run 1 \(initial\): \d+ checks — \d+ success.*\d+ snoozed/);
    await screenshot(page, 'health-timeline');
    expect(ui.pageErrors).toEqual([]);
  });
});
