// `hearth run SERVICE -- COMMAND`: a one-off command started as the service would be (foreman's `run`,
// `docker compose run`): in its working folder, with its env files, its `env:` rendered against the ports
// the running stack has now, PORT / HEARTH_PORT_*, and its sandbox. For migrations, a REPL, a test run
// against the live stack: `hearth run api -- npx prisma migrate dev`, `hearth run api 'psql $DATABASE_URL'`.
// With no instance running it works too, as foreman's does: the ports are the ones the stack will get
// (remembered in .hearth/ports.json, allocated and remembered now for a service that never ran).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { StackConfig } from '../../supervisor/config/types';
import type { StackPorts } from '../../supervisor/service-env';
import { NotRunningError } from '../../control/client';
import { portsFileOf, sandboxDirOf } from '../../supervisor/layout';
import { CliError, connectInstance } from '../instance';
import { groupNames } from '../select-services';
import type { CliContext } from '../io';
import { loadStack } from './open-host';
import type { CommandSpec } from './types';

/** The instance the command runs as: the name itself, or instance 0 of a replicated group. */
function instanceOf(stack: StackConfig, service: string): string {
  if (stack.services[service]) return service;
  if (stack.services[`${service}.0`]) return `${service}.0`;
  throw new CliError(`unknown service "${service}" (services: ${groupNames(Object.values(stack.services)).join(', ')})`);
}

/** The live stack's ports: what the templates of the service render against. */
async function livePorts(ctx: CliContext): Promise<StackPorts> {
  const client = await connectInstance(ctx);
  try {
    const snapshot = await client.invoke('status', {});
    return Object.fromEntries(snapshot.services.map((s) => [s.name, s.ports]));
  } finally {
    client.close();
  }
}

/**
 * With nothing running: the ports `hearth up` will give, as it allocates them (a service's remembered
 * port while it is free, a pinned number as is), saved so that `up` then keeps them.
 */
async function rememberedPorts(stack: StackConfig): Promise<StackPorts> {
  const { PortAllocator } = await import('../../supervisor/ports');
  const allocator = new PortAllocator({ range: stack.port_range, stateFile: portsFileOf(stack.dir), seed: stack.dir });
  const ports: StackPorts = {};
  for (const cfg of Object.values(stack.services)) {
    const own: Record<string, number> = (ports[cfg.name] = {});
    // A pinned port is its number even while something else holds it: the command may be what needs it.
    for (const [name, pinned] of Object.entries(cfg.ports)) own[name] = pinned ?? (await allocator.allocate(`${cfg.name}.${name}`, null));
  }
  await allocator.save();
  return ports;
}

async function stackPorts(ctx: CliContext, stack: StackConfig): Promise<StackPorts> {
  try {
    return await livePorts(ctx);
  } catch (error) {
    if (!(error instanceof NotRunningError)) throw error;
    return rememberedPorts(stack);
  }
}

async function runAs(ctx: CliContext, service: string, argv: string[]): Promise<number> {
  const { loadEnvFiles } = await import('../../supervisor/config/env-file');
  const { serviceEnv, serviceWorkDir } = await import('../../supervisor/service-env');
  const loaded = await loadStack(ctx);
  const cfg = loaded.stack.services[instanceOf(loaded.stack, service)]!;
  const ports = await stackPorts(ctx, loaded.stack);
  let env: NodeJS.ProcessEnv;
  try {
    env = serviceEnv(cfg, ports, sandboxDirOf(loaded.stack.dir, cfg.name), loadEnvFiles(cfg.env_files), ctx.io.env);
  } catch (error) {
    throw new CliError(`cannot run as ${cfg.name}: ${(error as Error).message}`);
  }
  const cwd = serviceWorkDir(cfg, ports, loaded.stack.dir);
  // One argument is a command line for the shell, as `cmd:` is ('echo $PORT' sees the service's PORT);
  // several are the program and its arguments, run as given.
  const { defaultPlatform } = await import('../../supervisor/process/platform/select');
  const sh = argv.length === 1 ? defaultPlatform().shell(argv[0]!, env, cfg.shell) : null;
  const [program, args] = sh ? [sh.file, sh.args] : [argv[0]!, argv.slice(1)];
  const child = spawn(program, args, { cwd, env, stdio: 'inherit', windowsVerbatimArguments: sh?.windowsVerbatimArguments });
  // Ctrl-C reaches the command from the terminal itself; hearth only waits for it and passes on its exit.
  const stayAlive = ctx.io.onInterrupt(() => undefined);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (error) => reject(new CliError(`cannot run ${program}: ${error.message}`, 127)));
      child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    });
  } finally {
    stayAlive();
  }
}

export const runCommand: CommandSpec = {
  summary: "run a one-off command as a service would run: its env, ports and folder",
  usage: 'run [-f FILE] SERVICE [--] COMMAND [ARGS...]',
  help: [
    '  The command gets what the service gets: its cwd, env files, `env:` with the running stack\'s ports,',
    '  PORT and HEARTH_PORT_*, HEARTH_SANDBOX. A replicated group runs as its instance 0 (or name api.1).',
    '  With no instance running, the ports are those the stack gets when it starts (.hearth/ports.json).',
    "  One COMMAND argument is a shell command line: hearth run api 'psql $DATABASE_URL'",
    '  Several are the program and its arguments: hearth run api -- npm test --watch',
    '  (put -- before a command that has options of its own). Exits with the command\'s exit code.',
  ],
  positionals: { min: 2, max: 100_000, name: 'SERVICE and COMMAND' },
  run: (ctx, _values, [service, ...argv]) => runAs(ctx, service!, argv),
};
