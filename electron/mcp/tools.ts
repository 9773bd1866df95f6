// The Model Context Protocol tools of `hearth mcp`: the contract's commands an agent needs, with the same
// argument schemas (shared/contract.ts) and so the same validation as every other boundary; a tool's
// arguments are parsed again by the control server before the supervisor sees them.
// As a namespace: bundled (bin/cli-bundle.js), esbuild then keeps only what is used ({ z } keeps all of zod).
import * as z from 'zod';
import { commandArgs, serviceNameSchema, type CommandArgs, type CommandName, type CommandResult } from '../../shared/contract';
import type { LogLine, ServiceStatus } from '../../shared/types';

/** What the tools need of the running stack: the control socket's invoke, and a wait on its events. */
export interface HearthLink {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  /** Resolves when the services are ready (or one gave up, or the time ran out), with the verdict. */
  waitReady(services: string[], timeoutMs: number): Promise<{ ready: boolean; lines: string[] }>;
}

export interface ToolDef {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject;
  readOnly: boolean;
  run(link: HearthLink, args: Record<string, unknown>): Promise<unknown>;
}

/** A status an agent can read: the fields that explain a service, not every figure the UI draws. */
export function briefStatus(s: ServiceStatus): Record<string, unknown> {
  return {
    name: s.name,
    state: s.state,
    health: s.health.status,
    phase: s.health.phase,
    consecutive_failures: s.health.consecutive_failures,
    last_check: s.health.last_detail ?? null,
    pid: s.pid,
    restarts: s.restarts,
    last_restart_reason: s.last_restart_reason,
    last_exit: s.last_exit,
    ports: s.ports,
    snoozed: s.snoozed,
    snooze_reason: s.snooze_reason ?? null,
    capture: s.capture ?? null,
    captures: (s.captures ?? []).map((c) => ({ kind: c.kind, file: c.file, bytes: c.bytes, duration_ms: c.duration_ms, open_with: c.open_with })),
    error: s.error,
    cmd: s.cmd,
  };
}

const MAX_PATTERN = 200;

/** `search`: a case-insensitive substring, or a /regular expression/ (bounded, so no pathological input). */
export function lineMatcher(search: string | undefined): (line: LogLine) => boolean {
  if (!search) return () => true;
  const re = /^\/(.+)\/([imsu]*)$/.exec(search);
  if (re) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(re[1]!, re[2]!.includes('i') ? re[2] : `${re[2]}i`);
    } catch (error) {
      throw new Error(`search: ${(error as Error).message}`, { cause: error });
    }
    return (l) => pattern.test(l.text);
  }
  const needle = search.toLowerCase();
  return (l) => l.text.toLowerCase().includes(needle);
}

const logsArgs = z
  .object({
    service: serviceNameSchema.optional(),
    tail: z.number().int().min(1).max(5000).optional().describe('how many of the newest matching lines (default 200)'),
    search: z.string().max(MAX_PATTERN).optional().describe('only lines containing this text (case-insensitive), or matching /a regex/'),
  })
  .strict();

const waitArgs = z
  .object({
    services: z.array(serviceNameSchema).max(256).optional().describe('default: every service that is wanted'),
    timeout_secs: z.number().positive().max(600).optional().describe('default 60'),
  })
  .strict();

function command<C extends CommandName>(name: C, title: string, description: string, readOnly: boolean, shape?: (r: CommandResult<C>) => unknown): ToolDef {
  return {
    name,
    title,
    description,
    input: commandArgs[name] as unknown as z.ZodObject,
    readOnly,
    run: async (link, args) => {
      const result = await link.invoke(name, args as CommandArgs<C>);
      return shape ? shape(result) : result;
    },
  };
}

export const TOOLS: ToolDef[] = [
  command('status', 'Stack status', 'Every service: state, health, pid, restarts, ports, snooze, captures.', true, (s) => ({
    stack: s.stack?.name ?? null,
    config_errors: s.stack?.config_errors ?? [],
    services: s.services.map(briefStatus),
  })),
  {
    name: 'logs',
    title: 'Service logs',
    description: "The newest log lines of a service (or all), optionally only those matching a search; supervisor lines say what Hearth did.",
    input: logsArgs,
    readOnly: true,
    run: async (link, raw) => {
      const args = logsArgs.parse(raw);
      const match = lineMatcher(args.search);
      const { lines } = await link.invoke('logs', { ...(args.service ? { service: args.service } : {}), tail: args.search ? 100_000 : (args.tail ?? 200) });
      const kept = lines.filter(match).slice(-(args.tail ?? 200));
      return { lines: kept.map((l) => `${new Date(l.ts).toISOString()} ${l.service} ${l.stream === 'system' ? '[hearth]' : l.stream}: ${l.text}`) };
    },
  },
  command('health_history', 'Health history', "A service's health checks per run: each probe's result and latency, the grace window m, start deadline n, failure run vs max_consecutive_failures, snooze and capture windows, starts, kills and exits.", true),
  command('start', 'Start services', 'Start services (and what they depend on); none named: the whole stack.', false),
  command('stop', 'Stop services', 'Stop services; none named: the whole stack.', false),
  command('restart', 'Restart services', 'Restart services; none named: the whole stack.', false),
  command('snooze', 'Snooze health checks', 'Pause the health checks of a service (its .healthchecksnooze), optionally for for_secs.', false),
  command('unsnooze', 'Resume health checks', 'Remove the snooze of a service.', false),
  command('capture_tools', 'What can be captured', 'Which captures (cpu, heap, core, threads) the service allows, with what tool, and why a missing one is missing.', true),
  command('capture', 'Capture a service', 'Snooze the service, take a CPU profile / heap snapshot / core dump / thread dump, unsnooze; returns the file and how to open it.', false),
  command('captures', 'List captures', "A service's capture files, newest first, with size and duration.", true),
  {
    name: 'wait_healthy',
    title: 'Wait until healthy',
    description: 'Wait until the services are up (RUNNING past their health checks, jobs FINISHED); fails fast on a crash loop or failed job.',
    input: waitArgs,
    readOnly: true,
    run: async (link, raw) => {
      const args = waitArgs.parse(raw);
      return link.waitReady(args.services ?? [], (args.timeout_secs ?? 60) * 1000);
    },
  },
];
