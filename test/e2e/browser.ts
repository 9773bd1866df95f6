// Real Chromium through playwright-core, and the UI's accessible names as locators.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { waitFor } from '../helpers/wait-for';
import { REPO } from './serve';

/** CI installs Chromium with apt-get; HEARTH_E2E_CHROMIUM points elsewhere (another OS, or to see the failure). */
export const CHROMIUM = process.env.HEARTH_E2E_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = join(REPO, 'test-artifacts');
export const SCREENSHOTS = join(REPO, 'docs/screenshots');
const VIEWPORT = { width: 1440, height: 900 };

/**
 * Launches Chromium. A missing binary is a FAILURE with a clear message, never a skip: a green run
 * without a browser would prove nothing. playwright-core gives every launch a fresh temporary
 * profile (user data dir), so no state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the e2e tests need a real browser (Debian/Ubuntu: apt-get install chromium).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught exceptions in the page: a working UI has none. */
  pageErrors: string[];
}

/** Opens `url` in a new context (own cookies) and waits until the services are listed. */
export async function openUi(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const response = await page.goto(url);
  if (response?.status() !== 200) throw new Error(`GET ${url} answered ${response?.status()}`);
  await servicesList(page).getByRole('listitem').first().waitFor({ timeout: 30_000 });
  return { page, context, pageErrors };
}

export function servicesList(page: Page): Locator {
  return page.getByRole('list', { name: 'Services' });
}

export function serviceCard(page: Page, name: string): Locator {
  return servicesList(page).getByRole('listitem', { name, exact: true });
}

export function snoozeSwitch(page: Page, name: string): Locator {
  return serviceCard(page, name).getByRole('switch', { name: `Snooze ${name}`, exact: true });
}

/** The state badge's text ("healthy", "stopped", …): the first badge in the card is the state. */
export async function badgeText(page: Page, name: string): Promise<string> {
  return ((await serviceCard(page, name).locator('.badge').first().textContent({ timeout: 1_000 })) ?? '').trim();
}

export async function waitForBadge(page: Page, name: string, wanted: string[], timeoutMs = 30_000): Promise<string> {
  let seen = '';
  try {
    return await waitFor(
      async () => {
        seen = await badgeText(page, name);
        return wanted.includes(seen) ? seen : null;
      },
      { timeoutMs, intervalMs: 50, what: `${name}'s badge to read ${wanted.join(' or ')}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it read "${seen}"`, { cause: error });
  }
}

export async function waitForChecked(page: Page, name: string, checked: boolean, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => (await snoozeSwitch(page, name).getAttribute('aria-checked', { timeout: 1_000 })) === String(checked), {
    timeoutMs,
    intervalMs: 25,
    what: `Snooze ${name} to be aria-checked=${checked}`,
  });
}

/** The pid the card shows ("pid 1234"), or null when it shows none. */
export async function shownPid(page: Page, name: string): Promise<number | null> {
  const pid = serviceCard(page, name).getByTitle('Process id', { exact: true });
  if ((await pid.count()) === 0) return null;
  const match = /pid (\d+)/.exec((await pid.textContent({ timeout: 1_000 })) ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Saves test-artifacts/e2e-NAME.png. With HEARTH_UPDATE_SCREENSHOTS=1 also the committed copy under
 * docs/screenshots (the README's pictures): only on request, so a plain test run leaves git clean.
 */
export async function screenshot(page: Page, name: string, docsName?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Let fonts settle so the picture shows what a user would see.
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path: join(ARTIFACTS, `e2e-${name}.png`) });
  if (docsName && process.env.HEARTH_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, docsName) });
  }
}
