// `hearth` command line: global options, dispatch to a subcommand, and one place that turns failures
// into a message and an exit code (0 ok, 1 failure, 2 usage error).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_ROOT } from '../host/app-root';
import { makePalette, shouldUseColor } from './color';
import { checkCommand } from './commands/check';
import { completionCommand } from './commands/completion';
import { downCommand } from './commands/down';
import { exportCommand } from './commands/export';
import { initCommand } from './commands/init';
import { logsCommand } from './commands/logs';
import { reloadCommand, restartCommand, signalCommand, snoozeCommand, startCommand, stopCommand, unsnoozeCommand } from './commands/actions';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { openCommand } from './commands/open';
import { portsCommand, statusCommand } from './commands/status';
import type { CommandSpec } from './commands/types';
import { upCommand } from './commands/up';
import { waitCommand } from './commands/wait';
import { attachCommand } from './commands/attach';
import { captureCommand } from './commands/capture';
import { debugCommand } from './commands/debug';
import { mcpCommand } from './commands/mcp';
import { CliError } from './instance';
import { processIo, type CliIo } from './io';

export const COMMANDS: Record<string, CommandSpec> = {
  up: upCommand,
  serve: serveCommand,
  open: openCommand,
  status: statusCommand,
  start: startCommand,
  stop: stopCommand,
  restart: restartCommand,
  snooze: snoozeCommand,
  unsnooze: unsnoozeCommand,
  logs: logsCommand,
  attach: attachCommand,
  signal: signalCommand,
  capture: captureCommand,
  debug: debugCommand,
  wait: waitCommand,
  run: runCommand,
  ports: portsCommand,
  reload: reloadCommand,
  down: downCommand,
  check: checkCommand,
  init: initCommand,
  export: exportCommand,
  mcp: mcpCommand,
  completion: completionCommand,
};

export const DEFAULT_STACK_FILE = 'hearth.yaml';

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'usage: hearth [-f FILE] COMMAND [ARGS]',
    '',
    'Keeps a local stack of services running (Aurora/Thermos semantics).',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`),
    '',
    'options:',
    `  -f, --file FILE  stack file (default ./${DEFAULT_STACK_FILE})`,
    '  -h, --help       help (also after a command: hearth logs --help)',
    '  --version        print the version',
    '',
    'Colours are used on a terminal unless NO_COLOR is set; FORCE_COLOR=1 forces them.',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [`usage: hearth ${spec.usage}`, '', `${spec.summary}.`, ...(spec.help?.length ? ['', ...spec.help] : []), '', `  -f, --file FILE  stack file (default ./${DEFAULT_STACK_FILE})`].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

type Global = { file?: string; help: boolean; version: boolean; command?: string; rest: string[] };

/** Options before the command name: -f/--file, -h/--help, --version. */
export function parseGlobal(argv: string[]): Global {
  const global: Global = { help: false, version: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') global.help = true;
    else if (arg === '--version') global.version = true;
    else if (arg === '-f' || arg === '--file') {
      const value = argv[++i];
      if (value === undefined) throw new CliError(`hearth: ${arg} needs a file name`, 2);
      global.file = value;
    } else if (arg.startsWith('--file=')) global.file = arg.slice('--file='.length);
    else if (arg.startsWith('-f') && arg.length > 2) global.file = arg.slice(2);
    else if (arg.startsWith('-')) throw new CliError(`hearth: unknown option ${arg}`, 2);
    else {
      global.command = arg;
      global.rest = argv.slice(i + 1);
      break;
    }
  }
  return global;
}

export async function main(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const fullIo: CliIo = { ...processIo(), ...io };
  const { out, err } = fullIo;
  try {
    const global = parseGlobal(argv);
    if (global.version) {
      out.write(`hearth ${version()}\n`);
      return 0;
    }
    if (!global.command) {
      (global.help ? out : err).write(`${usage()}\n`);
      return global.help ? 0 : 2;
    }
    const spec = Object.prototype.hasOwnProperty.call(COMMANDS, global.command) ? COMMANDS[global.command] : undefined;
    if (!spec) {
      err.write(`hearth: unknown command "${global.command}"\n\n${usage()}\n`);
      return 2;
    }
    const name = global.command;
    if (global.help) {
      out.write(`${commandHelp(spec)}\n`);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: global.rest,
        options: { ...spec.options, file: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliError(`hearth ${name}: ${(error as Error).message}\nusage: hearth ${spec.usage}`, 2);
    }
    if (parsed.values.help) {
      out.write(`${commandHelp(spec)}\n`);
      return 0;
    }
    const { min = 0, max = 0, name: what = 'argument' } = spec.positionals ?? {};
    if (parsed.positionals.length < min) throw new CliError(`hearth ${name}: missing ${what}\nusage: hearth ${spec.usage}`, 2);
    if (parsed.positionals.length > max) {
      const extra = parsed.positionals.slice(max).join(' ');
      throw new CliError(`hearth ${name}: unexpected argument${parsed.positionals.length - max > 1 ? 's' : ''} ${extra}\nusage: hearth ${spec.usage}`, 2);
    }
    const given = (parsed.values.file as string | undefined) ?? global.file ?? DEFAULT_STACK_FILE;
    const palette = makePalette(shouldUseColor(out.isTTY, fullIo.env));
    const values = parsed.values as Record<string, string | boolean | undefined>;
    return await spec.run({ io: fullIo, palette, file: { given, path: resolve(fullIo.cwd, given) } }, values, parsed.positionals);
  } catch (error) {
    // Expected failures (not running, unknown service, bad stack file…) are one readable message.
    if (error instanceof CliError) {
      err.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && !isProgrammingError(error)) {
      err.write(`${error.message}\n`);
      return 1;
    }
    err.write(`hearth: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** Errors that mean a bug in hearth: show the stack trace so it can be reported. */
function isProgrammingError(error: Error): boolean {
  return error instanceof TypeError || error instanceof ReferenceError || error instanceof RangeError || error instanceof SyntaxError;
}
