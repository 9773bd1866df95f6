// `hearth attach SERVICE`: follow one service's output and type into its stdin, as `overmind connect`
// and `docker attach` do: answer a debugger stopped at a breakpoint (pdb, binding.pry, node inspect's
// REPL), drive a REPL. Detaching (Ctrl-C, Ctrl-D) leaves the service running and its stdin open, so
// one can attach again. What is typed goes as the terminal sends it: a line at a time.
import type { Readable } from 'node:stream';
import { checksCanKill } from '../../../shared/snooze';
import type { ServiceStatus } from '../../../shared/types';
import type { ControlClient } from '../../control/client';
import { AttachPrinter } from '../attach-printer';
import { historyThenLive } from '../follow-lines';
import { formatLogLine, prefixWidth, sanitizeLogText } from '../format';
import { CliError, withInstance } from '../instance';
import { nextInterrupt, type CliContext } from '../io';
import { LineOutput } from '../output';
import { selectServices } from '../select-services';
import type { CommandSpec } from './types';

/** Lines of the service's recent output shown first: the breakpoint's location, the REPL's last answer. */
const HISTORY_LINES = 20;
/** The contract's limit for one `input` command (a paste can be longer). */
const MAX_INPUT_CHARS = 64 * 1024;

async function attach(ctx: CliContext, service: string): Promise<number> {
  const input = ctx.io.in;
  if (!input) throw new CliError('attach needs a standard input to read from');
  return withInstance(ctx, async (client) => {
    const status = only(service, (await client.invoke('status', {})).services);
    if (status.pid === null) throw new CliError(`${service} is ${status.state}: it has no process to attach to (\`hearth start ${service}\`)`);

    const out = new LineOutput(ctx.io.out);
    const width = prefixWidth([service]);
    const printer = new AttachPrinter(
      out,
      (line) => formatLogLine(line, width, ctx.palette, false),
      (text) => sanitizeLogText(text, ctx.palette.enabled),
    );
    // The note goes first: what follows may end in a prompt ("(Pdb) ") that the cursor should stay after.
    ctx.io.err.write(`${attachedNote(status)}\n`);
    await historyThenLive(client, {
      history: () => client.invoke('logs', { service, tail: HISTORY_LINES }),
      keep: (line) => line.service === service,
      print: (lines) => printer.lines(lines),
      partial: (partial) => printer.partial(partial),
    });

    const interrupt = nextInterrupt(ctx.io);
    // A terminal echoes what is typed, Enter included: the cursor leaves the prompt it was after.
    const echoes = (input as { isTTY?: boolean }).isTTY === true;
    const ended = forwardInput(input, client, service, (message) => ctx.io.err.write(`${message}\n`), () => echoes && printer.typed());
    try {
      const why = await Promise.race([interrupt.promise.then(() => 'detached' as const), ended, client.closed.then(() => 'closed' as const)]);
      await out.flushed();
      ctx.io.err.write(why === 'closed' ? 'the hearth instance stopped\n' : `detached; ${service} keeps running\n`);
      return 0;
    } finally {
      interrupt.dispose();
      input.pause();
    }
  });
}

function attachedNote(status: ServiceStatus): string {
  const lines = [`attached to ${status.name} (pid ${status.pid}): what you type goes to its stdin; Ctrl-C or Ctrl-D detaches`];
  // A process paused at a breakpoint stops answering its health checks, and is killed for it.
  if (checksCanKill(status)) {
    lines.push(`  stopping at a breakpoint? \`hearth snooze ${status.name}\` first, or its health checks will get it killed`);
  }
  return lines.join('\n');
}

/** Sends everything read from `input` to the service until the input ends; resolves 'detached' then. */
function forwardInput(
  input: Readable,
  client: ControlClient,
  service: string,
  warn: (message: string) => void,
  typed: () => void,
): Promise<'detached'> {
  input.setEncoding('utf8');
  // One command at a time, in order: typed lines must arrive as typed.
  let sending: Promise<unknown> = Promise.resolve();
  input.on('data', (chunk: string) => {
    if (chunk.includes('\n')) typed();
    for (let i = 0; i < chunk.length; i += MAX_INPUT_CHARS) {
      const data = chunk.slice(i, i + MAX_INPUT_CHARS);
      sending = sending.then(() => client.invoke('input', { service, data }).catch((error: Error) => warn(`not sent: ${error.message}`)));
    }
  });
  input.resume();
  return new Promise((resolve) => input.once('end', () => void sending.then(() => resolve('detached'))));
}

/** The one process `service` names: an instance, not a replicated group. */
function only(service: string, services: readonly ServiceStatus[]): ServiceStatus {
  const { selected, unknown, known } = selectServices(services, [service]);
  if (unknown.length > 0) throw new CliError(`unknown service "${service}" (services: ${known})`);
  if (selected.length > 1) throw new CliError(`"${service}" has ${selected.length} instances; name one of them: ${selected.map((s) => s.name).join(', ')}`);
  return selected[0]!;
}

export const attachCommand: CommandSpec = {
  summary: "follow a service's output and type into its stdin (a debugger's prompt, a REPL)",
  usage: 'attach [-f FILE] SERVICE',
  help: [
    '  Shows its last lines and follows its output; each line you type is sent to its stdin.',
    '  Ctrl-C or Ctrl-D detaches and leaves the service running (its stdin stays open).',
    '  A prompt without a newline ("(Pdb) ") shows once the service has been quiet for 0.1 s.',
  ],
  positionals: { min: 1, max: 1, name: 'SERVICE' },
  run: (ctx, _values, [service]) => attach(ctx, service!),
};
