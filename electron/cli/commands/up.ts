// `hearth up`: run the stack in the foreground, printing every log line until Ctrl-C.
import type { StackHost } from '../../host/stack-host';
import { formatSystemLine, prefixWidth } from '../format';
import type { CliContext } from '../io';
import { createLivePrinter, describeOrphans, runUntilStopped } from '../live';
import { LineOutput } from '../output';
import { BACKGROUND_FLAG, backgroundReady, backgroundStartedLines, startInBackground } from '../detach';
import { CliError, connectInstance } from '../instance';
import { openHost } from './open-host';
import type { CommandSpec } from './types';
import { parseTimeout, waitUntilReady } from './wait';

/** The foreground part of `up` over an open host (kept separate so it can be driven by any StackHost). */
export async function runUp(
  host: StackHost,
  ctx: CliContext,
  { timestamps = false, logs = true, opened }: { timestamps?: boolean; logs?: boolean; opened?: () => void } = {},
): Promise<number> {
  const { palette } = ctx;
  const out = new LineOutput(ctx.io.out, undefined, (count) =>
    formatSystemLine(palette.yellow(`… ${count} lines dropped (terminal too slow)`), prefixWidth([]), palette, timestamps ? Date.now() : undefined),
  );
  const names = host.supervisor.snapshot().services.map((s) => s.name);
  const printer = createLivePrinter({ out, palette, logs, cwd: ctx.io.cwd, names, timestamps });
  for (const line of describeOrphans(host.orphans)) printer.system(line);
  const unsubscribe = host.supervisor.subscribe(printer.listener);
  opened?.();
  try {
    return await runUntilStopped(host, ctx, printer, out);
  } finally {
    unsubscribe();
    printer.dispose();
  }
}

/** `up -d [--wait]`: start the background instance, say how to reach it, and maybe wait for it. */
async function detach(ctx: CliContext, services: string[], wait: boolean, timeoutMs: number | null): Promise<number> {
  const { pid, log } = await startInBackground(ctx, ['up', ...services]);
  const out = new LineOutput(ctx.io.out);
  for (const line of backgroundStartedLines(pid, log)) out.line(line);
  await out.flushed();
  if (!wait) return 0;
  const client = await connectInstance(ctx);
  try {
    return await waitUntilReady(ctx, client, services, timeoutMs);
  } finally {
    client.close();
  }
}

export const upCommand: CommandSpec = {
  summary: 'run the stack in this terminal, printing every log line (-d: in the background)',
  usage: 'up [-f FILE] [SERVICE...] [-t] [-d [--wait [--timeout DURATION]]]',
  help: [
    '  with SERVICE names, only those (and what they depend on) start; the others can be started later',
    '  -t, --timestamps   print the time of each line (local, to the millisecond) before it',
    '  Ctrl-C stops every service gracefully; a second Ctrl-C kills them (SIGKILL) at once;',
    '  a third exits immediately. `hearth down` from another terminal stops it too.',
    '  -d, --detach       run in the background and return once the services were started; its own',
    '                     lines go to .hearth/hearth.log (the services\' output is in their log files);',
    '                     `hearth status`, `hearth logs --follow` and `hearth down` reach it as usual',
    '  --wait             with -d (implies it): also wait until the stack is ready, as `hearth wait`;',
    '                     exit 1 if it does not get there (it keeps running: `hearth down` stops it)',
    '  --timeout DURATION with --wait: give up waiting after this long, e.g. 2m',
  ],
  options: {
    timestamps: { type: 'boolean', short: 't' },
    detach: { type: 'boolean', short: 'd' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    [BACKGROUND_FLAG]: { type: 'boolean' },
  },
  positionals: { max: 256, name: 'SERVICE' },
  run: async (ctx, values, services) => {
    if (values.timeout !== undefined && !values.wait) throw new CliError('hearth up: --timeout goes with --wait', 2);
    const timeoutMs = parseTimeout(values.timeout, 'up');
    if (values.detach || values.wait) return detach(ctx, services, values.wait === true, timeoutMs);
    const background = values[BACKGROUND_FLAG] === true;
    const host = await openHost(ctx, { control: true, watch: true, services: services.length ? services : undefined });
    // In the background its output is a log file: state changes with their times, not every service line.
    if (background) return runUp(host, ctx, { timestamps: true, logs: false, opened: backgroundReady() ?? undefined });
    return runUp(host, ctx, { timestamps: values.timestamps === true });
  },
};
