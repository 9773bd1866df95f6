// `hearth open [--print]`: back into the web UI of a running `hearth serve` (say `serve -d`, whose first link
// was used, expired or whose tab was closed) without restarting the stack. The running instance mints a
// fresh one-time login over the owner-only control socket (`web_login`, which no web page or window can
// ask for); the browser gets it through a 0600 page in `.hearth/`, as `serve --open` does, so nothing
// secret reaches a command line. `hearth serve` on a stack that already serves its UI does the same.
import { relative } from 'node:path';
import type { ControlClient } from '../../control/client';
import { NotRunningError } from '../../control/client';
import { NO_WEB_UI } from '../../control/errors';
import { CliError, connectInstance } from '../instance';
import type { CliContext } from '../io';
import { openInBrowser } from '../open-browser';
import { CODE_TTL_MS } from '../../web/auth';
import type { CommandSpec } from './types';

/** What to run instead when the instance has no web host (`hearth up`, or the Hearth app). */
export function noWebUiLines(pid: number, given: string): string[] {
  return [
    `no web UI: the hearth instance running ${given} (pid ${pid}) serves none (it was started with \`hearth up\`, or it is the Hearth app)`,
    '  start one with hearth serve: `hearth down`, then `hearth serve -d` (the app shows the same UI in its window)',
  ];
}

/** The instance runs the stack without a web host. */
export class NoWebUiError extends CliError {}

function isNoWebUi(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(NO_WEB_UI);
}

/**
 * Asks `client`'s instance for a one-time login and prints it (`print`) or hands the browser its page.
 * Returns the exit code; an instance without a web host throws a NoWebUiError saying what to run instead.
 */
export async function handOutLogin(ctx: CliContext, client: ControlClient, opts: { print: boolean; before?: (url: URL) => string[] }): Promise<number> {
  let login: { url: string; page: string | null };
  try {
    login = await client.invoke('web_login', opts.print ? {} : { page: true });
  } catch (error) {
    if (isNoWebUi(error)) throw new NoWebUiError(noWebUiLines(client.info.pid, ctx.file.given).join('\n'));
    throw error;
  }
  for (const line of opts.before?.(new URL(login.url)) ?? []) ctx.io.out.write(`${line}\n`);
  if (opts.print || !login.page) {
    ctx.io.out.write(`Hearth UI: ${login.url}\n`);
    return 0;
  }
  const shown = relative(ctx.io.cwd, login.page) || login.page;
  const opened = await openInBrowser(login.page, ctx.io.env);
  if (opened.ok) {
    ctx.io.out.write(`opened the Hearth UI in the browser (a one-time login through ${shown})\n`);
    return 0;
  }
  // The link still works: it is this terminal's to click, as `hearth serve` prints its own.
  ctx.io.err.write(`cannot open a browser (${opened.opener}: ${opened.why}); this one-time link logs one tab in:\n`);
  ctx.io.out.write(`Hearth UI: ${login.url}\n`);
  return 0;
}

export const openCommand: CommandSpec = {
  summary: 'open the web UI of the running `hearth serve` in the browser, with a fresh one-time login',
  usage: 'open [-f FILE] [--print]',
  help: [
    '  The running instance mints a new one-time login link over its owner-only control socket (no web page',
    '  or app window can ask for one); the browser is handed a private page in .hearth/ that sends it on, so',
    `  nothing secret is on a command line. Each link logs in one tab, once, within ${CODE_TTL_MS / 60_000} minutes.`,
    '  --print  print the link instead of opening a browser (another browser, or another machine over ssh -L)',
  ],
  options: { print: { type: 'boolean' } },
  run: async (ctx, values) => {
    let client: ControlClient;
    try {
      client = await connectInstance(ctx);
    } catch (error) {
      if (error instanceof NotRunningError) {
        throw new CliError(`no web UI: no hearth instance runs ${ctx.file.given}; start one with hearth serve: \`hearth serve -d -f ${ctx.file.given}\``);
      }
      throw error;
    }
    try {
      return await handOutLogin(ctx, client, { print: values.print === true });
    } finally {
      client.close();
    }
  },
};
