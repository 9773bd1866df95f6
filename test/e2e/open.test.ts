// `hearth open [--print]`: a fresh one-time login to the web UI of a stack served in the background
// (examples/shop, a fresh copy, real processes, real Chromium). The first link of `serve -d` is used once;
// `hearth open --print` mints another over the control socket, which logs in one tab and no more, while
// the first stays refused; `hearth open` hands a (recording) opener only the path of a private redirect
// page. Without a web UI running for the stack, it says so and what to run.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { launchBrowser, openUi, screenshot, servicesList } from './browser';
import { REPO, SHOP_SERVICES } from './serve';

const run = promisify(execFile);
const HEARTH = join(REPO, 'bin/hearth.js');
const LINK = /^Hearth UI: (http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]{43})$/m;

let browser: Browser;
let temp: ReturnType<typeof makeTempDir>;
let dir: string;
let bin: string;

type Run = { code: number; stdout: string; stderr: string };
/** The CLI in the stack's folder; `env` on top of ours (PATH with the recording opener first). */
const hearth = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  run(process.execPath, [HEARTH, '-f', join(dir, 'hearth.yaml'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
const leftovers = () => SHOP_SERVICES.flatMap((s) => pidsWithEnv(`HEARTH_SANDBOX=${join(dir, '.hearth', 'sandbox', s)}`));
const file = () => join(dir, 'hearth.yaml');
const log = () => readFileSync(join(dir, '.hearth', 'hearth.log'), 'utf8');

beforeAll(async () => {
  browser = await launchBrowser();
  temp = makeTempDir('ho-');
  dir = join(temp.dir, 'shop');
  cpSync(join(REPO, 'examples/shop'), dir, { recursive: true, filter: (src) => !src.includes('/.hearth') });
  // The developer's browser opener, as `serve --open` is tested: records what it is given, one line each.
  bin = join(temp.dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> ${join(bin, 'given')}\n`, { mode: 0o755 });
});

afterAll(async () => {
  await browser?.close();
  await hearth(['down']).catch(() => undefined);
  for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
  temp?.cleanup();
});

/** A page of its own (own sessionStorage) on `url`: logged in, or refused with the banner's text. */
async function tryLink(url: string): Promise<{ page: Page; loggedIn: boolean; refusal: string | null; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const outcome = await Promise.race([
    servicesList(page).getByRole('listitem').first().waitFor({ timeout: 30_000 }).then(() => 'in' as const),
    page.getByRole('heading', { name: 'Not logged in' }).waitFor({ timeout: 30_000 }).then(() => 'out' as const),
  ]);
  const refusal = outcome === 'out' ? await page.getByRole('alert').textContent() : null;
  return { page, loggedIn: outcome === 'in', refusal, close: () => context.close() };
}

describe('hearth open (examples/shop)', () => {
  test('with nothing running, or a stack run without a web UI, says there is no web UI and how to start one', async () => {
    const none = await hearth(['open', '--print']);
    expect(none).toEqual({
      code: 1,
      stdout: '',
      stderr: `no web UI: no hearth instance runs ${file()}; start one with hearth serve: \`hearth serve -d -f ${file()}\`\n`,
    });

    const up = await hearth(['up', '-d']);
    expect(up.code).toBe(0);
    const pid = Number(/pid (\d+)/.exec(up.stdout)?.[1]);
    try {
      const r = await hearth(['open'], { PATH: `${bin}:${process.env.PATH}` });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `no web UI: the hearth instance running ${file()} (pid ${pid}) serves none (it was started with \`hearth up\`, or it is the Hearth app)\n` +
          '  start one with hearth serve: `hearth down`, then `hearth serve -d` (the app shows the same UI in its window)\n',
      );
      expect(existsSync(join(bin, 'given'))).toBe(false); // no opener was run
      // Nor does `hearth serve` start a second instance beside it: it says what to do.
      const serve = await hearth(['serve', '-d']);
      expect(serve).toEqual({
        code: 1,
        stdout: '',
        stderr:
          `hearth is already running this stack (pid ${pid}) without a web UI\n` +
          '  `hearth down`, then `hearth serve`, for the UI in a browser; `hearth status` and `hearth logs --follow` show it; `hearth down` stops it\n',
      });
    } finally {
      expect((await hearth(['down'])).code).toBe(0);
    }
    // `down` returns once the socket is gone; the process exits right after it.
    await waitFor(() => !isAlive(pid), { what: `hearth up (pid ${pid}) to exit` });
  });

  test('after `serve -d` and its link used once, `open --print` gives a new link that logs in once; the old one stays refused', async () => {
    const served = await hearth(['serve', '-d']);
    expect(served.stderr).toBe('');
    const first = LINK.exec(served.stdout)?.[1];
    expect(first).toBeDefined();
    const ui = await openUi(browser, first!);
    await ui.context.close();

    const opened = await hearth(['open', '--print']);
    expect(opened.code).toBe(0);
    expect(opened.stderr).toBe('');
    const fresh = LINK.exec(opened.stdout)?.[1];
    expect(opened.stdout).toBe(`Hearth UI: ${fresh}\n`);
    expect(new URL(fresh!).origin).toBe(new URL(first!).origin);
    expect(fresh).not.toBe(first);

    const viaFresh = await tryLink(fresh!);
    try {
      expect(viaFresh.loggedIn).toBe(true);
      expect(new URL(viaFresh.page.url()).hash).toBe(''); // the code left the address bar
      await screenshot(viaFresh.page, 'hearth-open-login');
    } finally {
      await viaFresh.close();
    }
    for (const link of [first!, fresh!]) {
      const again = await tryLink(link);
      try {
        expect(again.loggedIn).toBe(false);
        expect(again.refusal).toMatch(/This login link was already used\..*run `hearth open`/);
        if (link === first) await screenshot(again.page, 'hearth-open-old-link-refused');
      } finally {
        await again.close();
      }
    }
    // The background instance's log tells of each hand-out and of each refused second use.
    await waitFor(() => (log().match(/a login link was used a second time and refused/g) ?? []).length === 2, { what: 'two refusals in hearth.log' });
    expect(log()).toMatch(/hearth +\| a new login link was handed out \(hearth open\)$/m);

    // `hearth serve` again, on the stack it already serves: a new link too, not a second instance.
    const again = await hearth(['serve']);
    expect(again.code).toBe(0);
    const pid = Number(/running in the background \(pid (\d+)\)/.exec(served.stdout)?.[1]);
    expect(again.stdout).toMatch(new RegExp(`^hearth serve is already running this stack \\(pid ${pid}\\); a new one-time login:\\nHearth UI: http://127\\.0\\.0\\.1:\\d+/#code=[\\w-]{43}\\n$`));
    const third = await tryLink(LINK.exec(again.stdout)![1]!);
    try {
      expect(third.loggedIn).toBe(true);
    } finally {
      await third.close();
    }
  });

  test('`open` hands the opener only the path of a private, randomly named page, which logs a browser in once and then goes', async () => {
    const opened = await hearth(['open'], { PATH: `${bin}:${process.env.PATH}` });
    expect(opened.code).toBe(0);
    expect(opened.stderr).toBe('');
    const page = /^opened the Hearth UI in the browser \(a one-time login through (\.hearth\/login-[0-9a-f]{16}\.html)\)\n$/.exec(opened.stdout)?.[1];
    expect(page).toBeDefined();
    const path = join(dir, page!);
    // The opener was given that path, nothing else: no code on any command line.
    await waitFor(() => existsSync(join(bin, 'given')), { what: 'the opener to record its arguments' });
    expect(readFileSync(join(bin, 'given'), 'utf8')).toBe(`${path}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, '.hearth')).mode & 0o777).toBe(0o700);
    const link = /content="0;url=(http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]{43})"/.exec(readFileSync(path, 'utf8'))?.[1];
    expect(link).toBeDefined();

    // The developer's browser opens what the opener was given, and is in; the page is gone after.
    const viaPage = await tryLink(`file://${path}`);
    try {
      expect(viaPage.loggedIn).toBe(true);
      expect(new URL(viaPage.page.url()).hash).toBe('');
    } finally {
      await viaPage.close();
    }
    await waitFor(() => !existsSync(path), { what: 'the used login page to be removed' });
    const reused = await tryLink(link!);
    try {
      expect(reused.refusal).toMatch(/This login link was already used/);
    } finally {
      await reused.close();
    }

    // Two more, one of them never used: `hearth down` removes its page with the instance.
    await hearth(['open'], { PATH: `${bin}:${process.env.PATH}` });
    const unused = readFileSync(join(bin, 'given'), 'utf8').trim().split('\n').at(-1)!;
    expect(unused).not.toBe(path);
    expect(existsSync(unused)).toBe(true);
    expect((await hearth(['down'])).code).toBe(0);
    expect(existsSync(unused)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
