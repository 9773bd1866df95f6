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
import { ALREADY_RUNNING_HINT, openHost } from './open-host';
import { handOutLogin, NoWebUiError } from './open';
import { openInBrowser } from '../open-browser';
import { CODE_TTL_MS } from '../../web/auth';
import { hearthDirOf } from '../../supervisor/layout';
import { probeControlSocket } from '../../control/probe';
import { controlSocketPath } from '../../control/socket-path';
import { connectInstance } from '../instance';
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

async function serveInBackground(ctx: CliContext, port: number | undefined, open: boolean): Promise<number> {
  // The background instance opens the browser itself: only it can write the login page with a code of its own.
  const { pid, log, url } = await startInBackground(ctx, ['serve', ...(port !== undefined ? ['--port', String(port)] : []), ...(open ? ['--open'] : [])]);
  const out = new LineOutput(ctx.io.out);
  out.line(`Hearth UI: ${url ?? '(see the log)'}`);
  for (const line of backgroundStartedLines(pid, log)) out.line(line);
  await out.flushed();
  return 0;
}

/**
 * `hearth serve` on a stack some instance already runs: a fresh login to its web UI (opened with --open),
 * or, when that instance has none (`hearth up`), a refusal that says what to run instead.
 */
async function serveRunning(ctx: CliContext, port: number | undefined, open: boolean): Promise<number> {
  const client = await connectInstance(ctx);
  const pid = client.info.pid;
  try {
    return await handOutLogin(ctx, client, {
      print: !open,
      before: (url) => [
        `hearth serve is already running this stack (pid ${pid}); a new one-time login${open ? ', opened in the browser' : ''}:`,
        ...(port !== undefined && port !== 0 && String(port) !== url.port ? [`  (its UI is on port ${url.port}; --port ${port} applies when it starts)`] : []),
      ],
    });
  } catch (error) {
    if (error instanceof NoWebUiError) {
      throw new CliError(`hearth is already running this stack (pid ${pid}) without a web UI\n  \`hearth down\`, then \`hearth serve\`, for the UI in a browser; ${ALREADY_RUNNING_HINT.trim()}`);
    }
    throw error;
  } finally {
    client.close();
  }
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
    `  tab, once, within ${CODE_TTL_MS / 60_000} minutes; press Enter here, or run \`hearth open\`, for another.`,
    '  On a stack already served (say by `serve -d`), prints a new login link instead (--open: opens it).',
    '  Ctrl-C stops every service; a second Ctrl-C kills them at once.',
  ],
  options: { port: { type: 'string' }, open: { type: 'boolean' }, detach: { type: 'boolean', short: 'd' }, [BACKGROUND_FLAG]: { type: 'boolean' } },
  run: async (ctx, values) => {
    const port = parsePort(values.port);
    // A stack already served (`serve -d` earlier): a fresh login to its UI, as `hearth open` gives.
    if (values[BACKGROUND_FLAG] !== true && (await probeControlSocket(controlSocketPath(dirname(ctx.file.path)))).live) {
      return serveRunning(ctx, port, values.open === true);
    }
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
    const stateDir = hearthDirOf(dirname(ctx.file.path));
    // `hearth open` (and `hearth serve` run again) get their logins from here, over the control socket.
    host.serveWebLogin(({ page }) => {
      printer?.system('a new login link was handed out (hearth open)');
      return page ? web.loginPage(stateDir) : { url: web.loginUrl(), page: null };
    });
    if (values.open) {
      const { page } = web.loginPage(stateDir);
      void openInBrowser(page, ctx.io.env).then((opened) => {
        if (!opened.ok) printer?.system(`cannot open a browser (${opened.opener}: ${opened.why}): open the link above`);
      });
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
      return await runUntilStopped(host, ctx, printer, out, () => {
        host.serveWebLogin(null); // no logins minted for a web host on its way out
        return web.close();
      });
    } finally {
      host.serveWebLogin(null);
      input?.off('data', onKey);
      input?.pause();
      unsubscribe();
      printer.dispose();
    }
  },
};
