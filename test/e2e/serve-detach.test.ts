// `hearth serve -d`: the UI served from the background. The foreground prints the UI address and returns;
// the page works in Chromium; `hearth down` ends it with nothing left (examples/shop, a fresh copy).
import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { launchBrowser, openUi, waitForBadge } from './browser';
import { REPO, SHOP_SERVICES } from './serve';

const run = promisify(execFile);
const HEARTH = join(REPO, 'bin/hearth.js');

let browser: Browser;
let temp: ReturnType<typeof makeTempDir>;
let dir: string;
const hearth = (...args: string[]) => run(process.execPath, [HEARTH, '-f', join(dir, 'hearth.yaml'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
const leftovers = () => SHOP_SERVICES.flatMap((s) => pidsWithEnv(`HEARTH_SANDBOX=${join(dir, '.hearth', 'sandbox', s)}`));

beforeAll(async () => {
  browser = await launchBrowser();
  temp = makeTempDir('hd-');
  dir = join(temp.dir, 'shop');
  cpSync(join(REPO, 'examples/shop'), dir, { recursive: true, filter: (src) => !src.includes('/.hearth') });
});

afterAll(async () => {
  await browser?.close();
  await hearth('down').catch(() => undefined);
  for (const pid of leftovers()) process.kill(pid, 'SIGKILL');
  temp?.cleanup();
});

describe('hearth serve -d (examples/shop)', () => {
  test('a background instance that fails after the checks (its UI port taken) says why, and leaves nothing', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const failed = await hearth('serve', '-d', '--port', String(port)).then(
        () => null,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stdout).toBe('');
      expect(failed?.stderr).toBe(
        `hearth in the background exited with code 1; the end of .hearth/hearth.log:\ncannot start the UI server: port ${port} on 127.0.0.1 is already in use; pick another with --port or use 0 for any free port\n`,
      );
      expect(leftovers()).toEqual([]);
    } finally {
      holder.close();
    }
  });

  test('prints the UI address and returns; the UI works; hearth down stops it all', async () => {
    const { stdout, stderr } = await hearth('serve', '-d');
    expect(stderr).toBe('');
    const url = /^Hearth UI: (http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+)$/m.exec(stdout)?.[1];
    const pid = Number(/running in the background \(pid (\d+)\)/.exec(stdout)?.[1]);
    expect(url).toBeDefined();
    expect(isAlive(pid)).toBe(true);

    const ui = await openUi(browser, url!);
    for (const name of ['api', 'web']) await waitForBadge(ui.page, name, ['healthy']);
    await ui.page.close();
    // The background log has the address and the state changes, with their times.
    const log = readFileSync(join(dir, '.hearth', 'hearth.log'), 'utf8');
    expect(log).toContain(`Hearth UI: ${url}`);
    expect(log).toMatch(/^\d\d:\d\d:\d\d\.\d{3} hearth +\| api is RUNNING \(healthy\)$/m);

    expect((await hearth('down')).stdout).toContain('stopped');
    // `down` returns once the instance's socket is gone (every service stopped); its process exits right after.
    await waitFor(() => !isAlive(pid), { what: `hearth (pid ${pid}) to exit after down` });
    expect(leftovers()).toEqual([]);
  });
});
