// Commands that change the running stack: start, stop, restart, snooze, unsnooze, signal, reload.
import type { ReloadResult } from '../../../shared/contract';
import { SERVICE_SIGNALS, type ServiceSignal } from '../../../shared/types';
import { formatClock } from '../../../shared/format-clock';
import { formatIssue } from '../../supervisor/config/issues';
import { durationOption, formatDuration } from '../duration';
import { CliError, withInstance } from '../instance';
import type { CliContext } from '../io';
import type { CommandSpec, OptionValues } from './types';

type Verb = 'start' | 'stop' | 'restart';
const ING: Record<Verb, string> = { start: 'starting', stop: 'stopping', restart: 'restarting' };

function lifecycle(verb: Verb, summary: string, namesRequired: boolean): CommandSpec {
  return {
    summary,
    usage: `${verb} [-f FILE] ${namesRequired ? '(SERVICE... | --all)' : '[SERVICE...]'}`,
    help: [
      namesRequired
        ? `  --all    ${verb} every service (names are required otherwise, so a slip does not ${verb} the whole stack)`
        : '  with no SERVICE (or --all), every service starts; dependencies start first',
    ],
    options: { all: { type: 'boolean' } },
    positionals: { max: 256, name: 'SERVICE' },
    run: (ctx, values, names) => {
      if (values.all && names.length > 0) throw new CliError(`hearth ${verb}: give service names or --all, not both`, 2);
      if (namesRequired && !values.all && names.length === 0) {
        throw new CliError(`hearth ${verb}: which services? Name them (hearth ${verb} api db) or use --all`, 2);
      }
      return withInstance(ctx, async (client) => {
        const result = await client.invoke(verb, { services: names.length ? names : undefined });
        ctx.io.out.write(`${actionSummary(verb, result.services, names)}\n`);
        return 0;
      });
    },
  };
}

/** `starting api, worker`; a start that found everything up says so instead of naming nothing. */
export function actionSummary(verb: Verb, acted: readonly string[], asked: readonly string[]): string {
  if (acted.length > 0) return `${ING[verb]} ${acted.join(', ')}`;
  if (verb !== 'start') return `${ING[verb]} (no services)`;
  return asked.length > 0 ? `nothing to start: ${asked.join(', ')} already running` : 'nothing to start: every service is already running or finished';
}

export const startCommand = lifecycle('start', 'start services (and what they depend on)', false);
export const stopCommand = lifecycle('stop', 'stop services', true);
export const restartCommand = lifecycle('restart', 'restart services', true);

export const snoozeCommand: CommandSpec = {
  summary: 'pause the health checks of a service (creates its .healthchecksnooze)',
  usage: 'snooze [-f FILE] SERVICE [--for DURATION]',
  help: ['  --for DURATION   e.g. 30s, 15m, 1h, 1h30m; without it the snooze lasts until `hearth unsnooze`'],
  options: { for: { type: 'string' } },
  positionals: { min: 1, max: 1, name: 'SERVICE' },
  run: (ctx, values, [service]) => {
    const forSecs = durationOption(values.for, 'snooze', 'for') ?? undefined;
    return withInstance(ctx, async (client) => {
      const result = await client.invoke('snooze', { service: service!, for_secs: forSecs });
      const until = result.until !== null
        ? ` until ${formatClock(result.until)} (${formatDuration((forSecs ?? 0) * 1000)})`
        : ' until `hearth unsnooze` (health checks are off)';
      ctx.io.out.write(`snoozed ${result.service}${until}\n`);
      return 0;
    });
  },
};

export const unsnoozeCommand: CommandSpec = {
  summary: 'resume the health checks of a service',
  usage: 'unsnooze [-f FILE] SERVICE',
  positionals: { min: 1, max: 1, name: 'SERVICE' },
  run: (ctx, _values, [service]) =>
    withInstance(ctx, async (client) => {
      const result = await client.invoke('unsnooze', { service: service! });
      ctx.io.out.write(`unsnoozed ${result.service}: health checks resume\n`);
      return 0;
    }),
};

export function formatReload(result: ReloadResult, cwd: string): string[] {
  if (!result.ok) {
    return ['reload failed; the running stack is unchanged:', ...result.errors.map((issue) => `  ${formatIssue(issue, cwd)}`)];
  }
  const parts = (['added', 'removed', 'changed'] as const)
    .filter((key) => result[key].length > 0)
    .map((key) => `${key} ${result[key].join(', ')}`);
  return [parts.length ? `reloaded: ${parts.join('; ')}` : 'reloaded: no changes'];
}

export const reloadCommand: CommandSpec = {
  summary: 're-read the stack file (on errors the running stack is kept)',
  usage: 'reload [-f FILE]',
  run: (ctx: CliContext, _values: OptionValues) =>
    withInstance(ctx, async (client) => {
      const result = await client.invoke('reload', {});
      const lines = formatReload(result, ctx.io.cwd);
      (result.ok ? ctx.io.out : ctx.io.err).write(`${lines.join('\n')}\n`);
      return result.ok ? 0 : 1;
    }),
};

/** `usr1`, `USR1`, `SIGUSR1` -> SIGUSR1, or null for a signal `hearth signal` does not send. */
export function parseSignal(text: string): ServiceSignal | null {
  const upper = text.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return (SERVICE_SIGNALS as readonly string[]).includes(name) ? (name as ServiceSignal) : null;
}

export const signalCommand: CommandSpec = {
  summary: "send a signal to services' processes (HUP to reload, USR1 for Node's inspector, QUIT for a thread dump)",
  usage: 'signal [-f FILE] SIGNAL SERVICE...',
  help: [
    `  SIGNAL   ${SERVICE_SIGNALS.map((s) => s.slice(3)).join(', ')} (with or without SIG, any case)`,
    "  It goes to each service's main process (the pid `hearth status` shows), as supervisorctl signal does; for",
    '  a command with shell syntax, to what /bin/sh started. A process that exits on it is not stopped: a',
    '  service restarts, a job restarts if that counts as failing.',
  ],
  positionals: { min: 2, max: 257, name: 'SIGNAL SERVICE', first: SERVICE_SIGNALS.map((s) => s.slice(3)) },
  run: (ctx, _values, [name, ...services]) => {
    const signal = parseSignal(name!);
    if (!signal) throw new CliError(`hearth signal: unknown signal "${name}" (one of ${SERVICE_SIGNALS.map((s) => s.slice(3)).join(', ')})`, 2);
    return withInstance(ctx, async (client) => {
      const { sent } = await client.invoke('signal', { services, signal });
      for (const { service, pid } of sent) ctx.io.out.write(`${signal} sent to ${service} (pid ${pid})\n`);
      return 0;
    });
  },
};
