// `hearth logs`: the tail of the in-memory ring, and with --follow every new line until Ctrl-C.
import type { LogLine } from '../../../shared/types';
import { formatSystemLine, prefixWidth } from '../format';
import { LogBlockFormatter } from '../log-block';
import { durationOption } from '../duration';
import { CliError, withInstance } from '../instance';
import { NotRunningError } from '../../control/client';
import { nextInterrupt, type CliContext } from '../io';
import { historyThenLive } from '../follow-lines';
import { logsFromFiles } from '../logs-from-files';
import { LineOutput } from '../output';
import type { CommandSpec, OptionValues } from './types';

const DEFAULT_TAIL = 100;
/** With --since and no -n: enough for a busy window, bounded for reading the files of a stopped stack. */
const SINCE_TAIL = 10_000;

function parseTail(value: string | boolean | undefined, since: boolean): number {
  if (value === undefined) return since ? SINCE_TAIL : DEFAULT_TAIL;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) > 1_000_000) throw new CliError(`hearth logs: -n wants a number of lines (0 to 1000000), not "${text}"`, 2);
  return Number(text);
}

export const logsCommand: CommandSpec = {
  summary: 'print recent log lines (all services, or one)',
  usage: 'logs [-f FILE] [SERVICE] [-n N] [--since DURATION] [--follow] [-t]',
  help: [
    `  -n N       lines to show from the end (default ${DEFAULT_TAIL}; ${SINCE_TAIL} with --since)`,
    '  --since DURATION   only lines from the last DURATION, e.g. 10m, 1h30m',
    '  --follow   keep printing new lines until Ctrl-C (-f is the stack file, so there is no short form)',
    '  -t, --timestamps   print the time of each line (local, to the millisecond) before it',
    '  stderr lines are marked with a red bar (with "!" when colours are off)',
    '  with no instance running, the last lines of the log files in .hearth/sandbox/ (not with --follow)',
  ],
  options: { lines: { type: 'string', short: 'n' }, since: { type: 'string' }, follow: { type: 'boolean' }, timestamps: { type: 'boolean', short: 't' } },
  positionals: { max: 1, name: 'SERVICE' },
  run: async (ctx, values, [service]) => {
    const since = parseSince(values.since);
    const tail = parseTail(values.lines, since !== null);
    // The service, or every instance of a replicated group (`pool` is pool.0, pool.1, …; names have no dots).
    const wanted = (name: string): boolean => service === undefined || name === service || name.startsWith(`${service}.`);
    try {
      return await followOrTail(ctx, values, service, tail, wanted, since);
    } catch (error) {
      if (!(error instanceof NotRunningError) || values.follow) throw error;
      const found = await logsFromFiles(ctx.file.path, wanted, tail);
      if (found === null) throw error;
      const lines = fromSince(found, since);
      ctx.io.err.write(`no hearth instance is running: the last lines of the log files in .hearth/sandbox/\n`);
      const out = new LineOutput(ctx.io.out);
      const width = prefixWidth(lines.map((l) => l.service).concat(service ?? []));
      const blocks = new LogBlockFormatter(ctx.palette, values.timestamps === true);
      out.batches(lines, (slice) => blocks.format(slice, width));
      await out.flushed();
      return 0;
    }
  },
};

/** `--since 10m` as the earliest time to show (epoch ms), or null. */
function parseSince(value: OptionValues[string]): number | null {
  const secs = durationOption(value, 'logs', 'since');
  return secs === null ? null : Date.now() - secs * 1000;
}

/** The lines at or after `since` (all when it is null), from the instance's ring or from the files alike. */
function fromSince(lines: LogLine[], since: number | null): LogLine[] {
  return since === null ? lines : lines.filter((line) => line.ts >= since);
}

/** From the running instance: its ring's tail, then with --follow every new line. */
function followOrTail(
  ctx: CliContext,
  values: OptionValues,
  service: string | undefined,
  tail: number,
  wanted: (name: string) => boolean,
  since: number | null,
): Promise<number> {
  return withInstance(ctx, async (client) => {
    const { palette } = ctx;
    const timestamps = values.timestamps === true;
    let width = prefixWidth(service ? [service] : []);
    const out = new LineOutput(ctx.io.out, undefined, (count) =>
      formatSystemLine(`… ${count} lines dropped (output too slow)`, width, palette, timestamps ? Date.now() : undefined),
    );
    /** In one write: a history of 100,000 lines is one write, not 100,000. */
    const blocks = new LogBlockFormatter(palette, timestamps);
    const print = (lines: readonly LogLine[]): void => out.batches(lines, (slice) => blocks.format(slice, width));
    const history = async (): Promise<LogLine[]> => {
      const { lines } = await client.invoke('logs', { service, tail });
      return fromSince(lines, since);
    };

    if (!values.follow) {
      const lines = await history();
      width = prefixWidth(lines.map((l) => l.service).concat(service ?? []));
      print(lines);
      await out.flushed();
      return 0;
    }
    await historyThenLive(client, {
      history: async () => ({ lines: await history() }),
      keep: (line) => wanted(line.service),
      print,
      onSnapshot: (snapshot) => (width = prefixWidth(snapshot.services.map((s) => s.name).filter(wanted))),
    });

    const interrupt = nextInterrupt(ctx.io);
    try {
      const why = await Promise.race([interrupt.promise.then(() => 'interrupt' as const), client.closed.then(() => 'closed' as const)]);
      await out.flushed();
      if (why === 'closed') ctx.io.err.write('the hearth instance stopped\n');
      return 0;
    } finally {
      interrupt.dispose();
    }
  });
}
