// Builds the renderer dev harness (fake stack) and screenshots it in real Chromium, light and dark.
//   npx tsx scripts/screenshot-harness.ts            -> test-artifacts/ui-*.png
// Needs /usr/bin/chromium (apt-get install chromium). Also measures scrolling a 100k-line view.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type Page } from 'playwright-core';

const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(repo, 'test-artifacts/harness-build');
const shots = join(repo, 'test-artifacts');

process.env.HEARTH_DEV_HARNESS = '1';
await build({ configFile: join(repo, 'renderer/vite.config.ts'), logLevel: 'warn' });

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  try {
    const body = await readFile(join(outDir, path));
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const base = `http://127.0.0.1:${port}/dev/harness.html`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});

const problems: string[] = [];
async function open(query: string, colorScheme: 'light' | 'dark', size = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport: size, colorScheme });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${query} [${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${query} [pageerror] ${e.message}`));
  await page.goto(`${base}?${query}`);
  await page.waitForSelector('[role="listitem"]');
  await page.waitForSelector('.log-row');
  return page;
}

const scenarios: Array<[string, string]> = [
  ['all', ''],
  ['api-search', 'select=api&search=500'],
  ['errors-offline', 'errors=1&offline=1&select=flaky'],
  ['filter', 'search=error&filter=1'],
  ['help', 'help=1'],
  ['menu', 'menu=api&select=worker'],
  ['killing', 'killing=api&select=api'],
];
for (const [name, query] of scenarios) {
  for (const scheme of ['light', 'dark'] as const) {
    if ((name === 'help' || name === 'menu' || name === 'filter') && scheme === 'light') continue;
    const page = await open(query, scheme);
    if (name === 'api-search') {
      await page.getByRole('searchbox', { name: 'Search logs' }).press('Enter');
    }
    await page.screenshot({ path: join(shots, `ui-${name}-${scheme}.png`) });
    await page.close();
  }
}

// Scrolling 100,000 lines: rows in the DOM stay bounded and frames stay short.
const page = await open('lines=100000', 'dark');
// Page functions are passed as strings: this file is type-checked without the DOM library.
const perf = (await page.evaluate(`(async () => {
  const el = document.querySelector('[role="log"]');
  const frames = [];
  let maxRows = 0;
  let last = performance.now();
  for (let i = 0; i < 120; i++) {
    el.scrollTop = Math.floor((el.scrollHeight - el.clientHeight) * (i / 120));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const now = performance.now();
    frames.push(now - last);
    last = now;
    maxRows = Math.max(maxRows, el.querySelectorAll('.log-row').length);
  }
  frames.sort((a, b) => a - b);
  return { maxRows, medianMs: frames[60], p95Ms: frames[114], scrollHeight: el.scrollHeight };
})()`)) as Record<string, number>;
await page.screenshot({ path: join(shots, 'ui-100k-dark.png') });
await page.close();

// A chatty stack: 2,000 lines/s for 3 s, counting service-card renders is done in unit tests; here, frame time.
const live = await open('live=2000', 'dark');
const liveFrames = (await live.evaluate(`(async () => {
  const frames = [];
  let last = performance.now();
  const end = last + 3000;
  while (performance.now() < end) {
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  frames.sort((a, b) => a - b);
  const rows = document.querySelectorAll('[role="log"] .log-row').length;
  return { frames: frames.length, medianMs: frames[Math.floor(frames.length / 2)], p95Ms: frames[Math.floor(frames.length * 0.95)], rows };
})()`)) as Record<string, number>;
await live.close();

await browser.close();
server.close();
console.log(JSON.stringify({ scroll100k: perf, live2000PerSec: liveFrames, problems }, null, 2));
