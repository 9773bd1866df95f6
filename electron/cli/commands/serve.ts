// `hearth serve`: run the stack with the web UI instead of terminal logs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { APP_ROOT } from '../../host/app-root';
import { formatSystemLine, prefixWidth } from '../format';
import { CliError } from '../instance';
import type { CliContext } from '../io';
import { createLivePrinter, describeOrphans, runUntilStopped } from '../live';
import { LineOutput } from '../output';
import { BACKGROUND_FLAG, backgroundReady, backgroundStartedLines, startInBackground } from '../detach';
import { UI_BUILT_MARK, uiBuildOutdated } from '../ui-build';
import { openHost } from './open-host';
import { openLoginPage, type LoginPage } from '../../web/login-page';
import { hearthDirOf } from '../../supervisor/layout';
import type { CommandSpec } from './types';

export const RENDERER_DIR = join(APP_ROOT, 'out', 'renderer');

function parsePort(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new CliError(`hearth serve: --port wants a port number (0-65535), not "${text}"`, 2);
  return Number(text);
}

/**
 * Builds the renderer when it is missing (a fresh checkout) or older than its sources (after a pull or
 * an edit). Output is shown only on failure.
 */
async function ensureUiBuilt(ctx: CliContext): Promise<void> {
  const why = uiBuildOutdated(APP_ROOT);
  if (why === null) return;
  ctx.io.err.write(`building the UI (${why})…\n`);
  // vite's own entry run by this Node: no `npx` lookup, which on Windows is npx.cmd and needs a shell.
  const child = spawn(process.execPath, [join(APP_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], {
    cwd: APP_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-16_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      keep(Buffer.from(error.message));
      resolve(null);
    });
    child.on('close', (c) => resolve(c));
  });
  if (code !== 0 || !existsSync(join(APP_ROOT, UI_BUILT_MARK))) {
    throw new CliError(`building the UI failed (vite build --config renderer/vite.config.ts):\n${output.trimEnd()}`);
  }
}

/**
 * Hands `target` (the login page file: a path, nothing secret) to the platform's opener. Never the
 * login URL itself: any user on the machine can read another's command lines (`ps`, /proc/PID/cmdline).
 */
function openInBrowser(target: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', target]] : ['xdg-open', [target]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser opener: the URL is printed anyway
    child.unref();
  } catch {
    // same
  }
}

async function serveInBackground(ctx: CliContext, port: number | undefined, open: boolean): Promise<number> {
  // The background instance opens the browser itself: only it can write the login page with a code of its own.
  const { pid, log, url } = await startInBackground(ctx, ['serve', ...(port !== undefined ? ['--port', String(port)] : []), ...(open ? ['--open'] : [])]);
  const out = new LineOutput(ctx.io.out);
  out.line(`Hearth UI: ${url ?? '(see the log)'}`);
  for (const line of backgroundStartedLines(pid, log)) out.line(line);
  await out.flushed();
  return 0;
}

/** Lines `serve` prints about logins: a code used twice is a warning, someone else may have seen it. */
function loginLine(kind: 'login' | 'reused'): string {
  return kind === 'login'
    ? 'a browser tab logged in to the UI'
    : 'warning: a login link was used a second time and refused; if that was not you, someone else had the link: stop hearth serve and start it again';
}

export const serveCommand: CommandSpec = {
  summary: 'run the stack and serve the Hearth UI in the browser',
  usage: 'serve [-f FILE] [--port N] [--open] [-d]',
  help: [
    '  --port N   port of the UI on 127.0.0.1 (default: any free port)',
    '  --open     open the UI in the default browser (through a private file in .hearth/, never the link on a command line)',
    '  -d, --detach  run in the background (as `hearth up -d`): print the UI address and return;',
    '             its own lines go to .hearth/hearth.log; `hearth down` stops it',
    '  Prints a one-time login link and state changes; logs are in the UI. Each link logs in one browser',
    '  tab, once; press Enter here for another.',
    '  Ctrl-C stops every service; a second Ctrl-C kills them at once.',
  ],
  options: { port: { type: 'string' }, open: { type: 'boolean' }, detach: { type: 'boolean', short: 'd' }, [BACKGROUND_FLAG]: { type: 'boolean' } },
  run: async (ctx, values) => {
    const port = parsePort(values.port);
    await ensureUiBuilt(ctx); // here, not in the background: a build and its errors belong on this terminal
    if (values.detach) return serveInBackground(ctx, port, values.open === true);
    // Loaded lazily, like the host: the other commands never need the web server.
    const { startWebHost } = await import('../../web/server');
    const host = await openHost(ctx, { control: true, watch: true });
    let printer: ReturnType<typeof createLivePrinter> | null = null;
    let web: Awaited<ReturnType<typeof startWebHost>>;
    try {
      web = await startWebHost({ supervisor: host.supervisor, port, staticDir: RENDERER_DIR, onLogin: (e) => printer?.system(loginLine(e.kind)) });
    } catch (error) {
      await host.close();
      throw new CliError(`cannot start the UI server: ${(error as Error).message}`);
    }
    const { palette } = ctx;
    const out = new LineOutput(ctx.io.out, undefined, (count) => formatSystemLine(`… ${count} lines dropped`, prefixWidth([]), palette));
    out.line(`Hearth UI: ${web.url}`);
    let page: LoginPage | null = null;
    if (values.open) {
      page = openLoginPage(hearthDirOf(dirname(ctx.file.path)), web.loginUrl());
      openInBrowser(page.path);
    }
    // In the background its output is a log file: each line with its time.
    const timestamps = values[BACKGROUND_FLAG] === true;
    printer = createLivePrinter({ out, palette, logs: false, cwd: ctx.io.cwd, names: host.supervisor.snapshot().services.map((s) => s.name), timestamps });
    for (const line of describeOrphans(host.orphans)) printer.system(line);
    const unsubscribe = host.supervisor.subscribe(printer.listener);
    if (values[BACKGROUND_FLAG]) backgroundReady()?.({ url: web.url });
    // Enter (a newline on stdin) prints a fresh one-time link: another tab, another browser.
    const input = values[BACKGROUND_FLAG] ? undefined : ctx.io.in;
    const onKey = (chunk: Buffer | string): void => {
      const text = String(chunk);
      for (let i = 0; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') out.line(`Hearth UI: ${web.loginUrl()}`);
    };
    input?.on('data', onKey);
    try {
      return await runUntilStopped(host, ctx, printer, out, () => web.close());
    } finally {
      input?.off('data', onKey);
      input?.pause();
      page?.remove();
      unsubscribe();
      printer.dispose();
    }
  },
};
