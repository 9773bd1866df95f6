// `hearth up`: run the stack in the foreground, printing every log line until Ctrl-C.
import type { StackHost } from '../../host/stack-host';
import { formatSystemLine, prefixWidth } from '../format';
import type { CliContext } from '../io';
import { createLivePrinter, describeOrphans, runUntilStopped } from '../live';
import { LineOutput } from '../output';
import { openHost } from './open-host';
import type { CommandSpec } from './types';

/** The foreground part of `up` over an open host (kept separate so it can be driven by any StackHost). */
export async function runUp(host: StackHost, ctx: CliContext, { timestamps = false }: { timestamps?: boolean } = {}): Promise<number> {
  const { palette } = ctx;
  const out = new LineOutput(ctx.io.out, undefined, (count) =>
    formatSystemLine(palette.yellow(`… ${count} lines dropped (terminal too slow)`), prefixWidth([]), palette, timestamps ? Date.now() : undefined),
  );
  const names = host.supervisor.snapshot().services.map((s) => s.name);
  const printer = createLivePrinter({ out, palette, logs: true, cwd: ctx.io.cwd, names, timestamps });
  for (const line of describeOrphans(host.orphans)) printer.system(line);
  const unsubscribe = host.supervisor.subscribe(printer.listener);
  try {
    return await runUntilStopped(host, ctx, printer, out);
  } finally {
    unsubscribe();
  }
}

export const upCommand: CommandSpec = {
  summary: 'run the stack in this terminal, printing every log line',
  usage: 'up [-f FILE] [SERVICE...] [-t]',
  help: [
    '  with SERVICE names, only those (and what they depend on) start; the others can be started later',
    '  -t, --timestamps   print the time of each line (local, to the millisecond) before it',
    '  Ctrl-C stops every service gracefully; a second Ctrl-C kills them (SIGKILL) at once;',
    '  a third exits immediately. `hearth down` from another terminal stops it too.',
  ],
  options: { timestamps: { type: 'boolean', short: 't' } },
  positionals: { max: 256, name: 'SERVICE' },
  run: async (ctx, values, services) => {
    const host = await openHost(ctx, { control: true, watch: true, services: services.length ? services : undefined });
    return runUp(host, ctx, { timestamps: values.timestamps === true });
  },
};
