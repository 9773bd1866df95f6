// The one contract between the supervisor and every UI.
//
// Commands: name -> argument schema (validated on every host boundary: Electron IPC, web host,
// control socket) and result type. Events: name -> payload. The Electron preload, the web host
// and the test harness all implement `HearthApi` from this file; the renderer only sees `HearthApi`.
// As a namespace: bundled (bin/cli-bundle.js), esbuild then keeps only what is used ({ z } keeps all of zod).
import * as z from 'zod';
import type { CaptureInfo, CaptureTools, HealthRun, LogLine, PartialLine, ServiceStatus, StackInfo, StackSnapshot } from './types';
import { CAPTURE_KINDS, SERVICE_NAME_PATTERN, SERVICE_SIGNALS } from './types';
import type { DebugEngine } from './debug-hint';

export const serviceNameSchema = z
  .string()
  .max(64)
  .regex(SERVICE_NAME_PATTERN, 'not a service name ([a-z0-9][a-z0-9_-]*, or an instance such as api.0)');

const serviceList = z.array(serviceNameSchema).max(256);

/** Argument schemas, one per command. `.strict()` so unexpected fields are rejected, not ignored. */
export const commandArgs = {
  /** Start the named services (with their dependencies), or all when `services` is empty/absent. */
  start: z.object({ services: serviceList.optional() }).strict(),
  stop: z.object({ services: serviceList.optional() }).strict(),
  restart: z.object({ services: serviceList.optional() }).strict(),
  /** Create `.healthchecksnooze`; with `for_secs`, Hearth removes it when the time is up. */
  snooze: z
    .object({ service: serviceNameSchema, for_secs: z.number().positive().max(30 * 24 * 3600).optional() })
    .strict(),
  unsnooze: z.object({ service: serviceNameSchema }).strict(),
  /** Write text to a service's stdin (`hearth attach`: a debugger's prompt, a REPL); one instance, not a group. */
  input: z.object({ service: serviceNameSchema, data: z.string().min(1).max(64 * 1024) }).strict(),
  /**
   * Send a signal to the main process of each named service (a group: each instance that runs); for a command
   * run through /bin/sh, to what the shell started.
   */
  signal: z.object({ services: serviceList.min(1), signal: z.enum(SERVICE_SIGNALS) }).strict(),
  /** Re-read the stack file; on error the running stack is kept and the errors are reported. */
  reload: z.object({}).strict(),
  /** Forget the in-memory log ring (files on disk stay). No service = all. */
  clear_logs: z.object({ service: serviceNameSchema.optional() }).strict(),
  /** The last `tail` lines of a service (or all services), from the ring. */
  logs: z.object({ service: serviceNameSchema.optional(), tail: z.number().int().min(0).max(1_000_000).optional() }).strict(),
  status: z.object({}).strict(),
  /** Path of a service's current log file (for "open log file" actions). */
  log_file: z.object({ service: serviceNameSchema }).strict(),
  /**
   * Snooze the service (reason "capture"), capture its process with what its runtime offers, unsnooze, and
   * file the result under .hearth/captures/<service>/. `for_secs`: how long a CPU profile samples.
   */
  capture: z.object({ service: serviceNameSchema, kind: z.enum(CAPTURE_KINDS), for_secs: z.number().positive().max(600).optional() }).strict(),
  /** End the service's capture under way early (a CPU profile keeps what it sampled). */
  capture_cancel: z.object({ service: serviceNameSchema }).strict(),
  /** Which kinds of capture the service's process allows, with what, and why a missing one is missing. */
  capture_tools: z.object({ service: serviceNameSchema }).strict(),
  /** The service's captures, newest first. */
  captures: z.object({ service: serviceNameSchema, limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** One capture file's content (a flame graph's profile), by the name `captures` lists; at most 64 MiB. */
  capture_read: z.object({ service: serviceNameSchema, name: z.string().max(128).regex(/^[\w-][\w.-]*$/, 'not a capture file name') }).strict(),
  /**
   * `hearth debug`: open the Node inspector (or attach debugpy to a Python process) on a free port and snooze the service
   * (reason "debug") until a debugger has attached there and detached again.
   */
  debug: z.object({ service: serviceNameSchema }).strict(),
  /** End the service's debug session now (its snooze goes, the inspector closes). */
  debug_end: z.object({ service: serviceNameSchema }).strict(),
  /** The service's health history, per run (bounded): probes, grace, deadline, failure run, windows, restarts. */
  health_history: z.object({ service: serviceNameSchema }).strict(),
  /** Stop everything and exit the hosting process (`hearth down`). */
  shutdown: z.object({}).strict(),
  /**
   * `hearth open`: a fresh one-time login link to the instance's web UI (`hearth serve`). With `page`, also
   * a 0600 page in the stack's `.hearth/` that sends a browser on to it (what the opener is handed), removed
   * once its code is used. Control socket only (CONTROL_SOCKET_ONLY): whoever asks must already be the
   * owner, and no page, window or web client may mint itself logins.
   */
  web_login: z.object({ page: z.boolean().optional() }).strict(),
} as const;

export type CommandName = keyof typeof commandArgs;
export type CommandArgs<C extends CommandName> = z.infer<(typeof commandArgs)[C]>;

export interface ReloadResult {
  ok: boolean;
  errors: StackInfo['config_errors'];
  added: string[];
  removed: string[];
  changed: string[];
}

export interface CommandResults {
  /** What this start set going, dependencies included; what was already up (or a finished dependency) is left out. */
  start: { services: string[] };
  stop: { services: string[] };
  restart: { services: string[] };
  snooze: { service: string; until: number | null };
  unsnooze: { service: string };
  input: { service: string; bytes: number };
  /** The processes that got it (a shell's children: more than one); services with no process are left out (none at all is an error). */
  signal: { sent: Array<{ service: string; pid: number }> };
  reload: ReloadResult;
  clear_logs: { cleared: string[] };
  /** `partial`: the services' unfinished last lines (offset 0), which come after `lines`. */
  logs: { lines: LogLine[]; partial: PartialLine[] };
  status: StackSnapshot;
  log_file: { path: string };
  capture: { capture: CaptureInfo };
  capture_cancel: { service: string; cancelled: boolean };
  capture_tools: CaptureTools;
  captures: { service: string; captures: CaptureInfo[] };
  /** `text`: the file as UTF-8 (profiles are JSON or text), or base64 for a binary one (pprof). */
  capture_read: { capture: CaptureInfo; encoding: 'utf8' | 'base64'; data: string };
  health_history: { service: string; runs: HealthRun[] };
  /** engine: 'node-inspector' (a ws:// DevTools address) or 'debugpy' (a tcp:// DAP address). */
  debug: { service: string; url: string; port: number; engine: DebugEngine };
  debug_end: { service: string; ended: boolean };
  shutdown: { stopping: true };
  /** `url` carries the one-time code in its fragment; `page` (asked for) is the redirect file's path. */
  web_login: { url: string; page: string | null };
}
export type CommandResult<C extends CommandName> = CommandResults[C];

export const COMMAND_NAMES = Object.keys(commandArgs) as CommandName[];

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(commandArgs, value);
}

/**
 * Commands only the owner-only control socket carries. Every other boundary (Electron IPC, the web host's
 * HTTP API and WebSocket) refuses them, as parseCommand does unless told it runs on the control socket:
 * a web page or a window that could mint login codes would turn one session into any number of them.
 */
export const CONTROL_SOCKET_ONLY: ReadonlySet<CommandName> = new Set<CommandName>(['web_login']);

export interface ParseOptions {
  /** The caller is the control socket, which alone may carry CONTROL_SOCKET_ONLY commands. */
  controlSocket?: boolean;
}

/** Events pushed from the supervisor. A subscriber first receives `snapshot`, then changes. */
export interface HearthEvents {
  snapshot: StackSnapshot;
  /** One service changed (state, health check, snooze, ports…): the full new status. */
  service: ServiceStatus;
  /** A service was removed by a reload. */
  service_removed: { name: string };
  /** Stack-level info changed (reload succeeded or failed, name, errors). */
  stack: StackInfo;
  /** Log lines, batched (never one event per line). Ordered by seq. */
  logs: { lines: LogLine[] };
  /**
   * A service's output paused in the middle of a line (a prompt waiting for input): what was added to that
   * line since it was last told. Sent after the stream has been quiet for a moment, never per chunk; the
   * finished line still comes whole in `logs`. `hearth attach` shows it; the UIs do not.
   */
  partial_line: PartialLine;
  /** Lines were cleared from the ring. */
  logs_cleared: { service: string | null };
  /** The host connection state (web host only emits this locally in the renderer adapter). */
  connection: { connected: boolean; error?: string; /** Retrying cannot help: the page must log in again (web host). */ loggedOut?: boolean };
}
export type EventName = keyof HearthEvents;

export type Unsubscribe = () => void;

/** What a UI sees: `window.hearth` in the renderer. Implemented by each host adapter. */
export interface HearthApi {
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: HearthEvents[E]) => void): Unsubscribe;
  /** Open an http://localhost:PORT link of the stack (the host decides how; Electron checks it). */
  openExternal(url: string): Promise<void>;
  /** Which host this is, for display only ("electron" | "web" | "test"). */
  readonly host: string;
}

/** Validate a command name + raw args coming over any boundary. Throws a readable Error. */
export function parseCommand<C extends CommandName>(command: unknown, args: unknown, opts: ParseOptions = {}): { command: C; args: CommandArgs<C> } {
  if (!isCommandName(command)) throw new Error(`unknown command ${JSON.stringify(command)}`);
  if (CONTROL_SOCKET_ONLY.has(command) && opts.controlSocket !== true) {
    throw new Error(`${command}: only the control socket carries this command (run \`hearth open\` in a terminal)`);
  }
  const result = commandArgs[command].safeParse(args ?? {});
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first && first.path.length ? first.path.join('.') : 'args';
    throw new Error(`${command}: ${where}: ${first ? first.message : 'invalid arguments'}`);
  }
  return { command: command as C, args: result.data as CommandArgs<C> };
}

/** Wire frames used by the web host's WebSocket and the control socket (JSON, one per message/line). */
export type ClientFrame =
  | { type: 'invoke'; id: number; command: CommandName; args: unknown }
  /** `resources`: the subscriber shows CPU/RSS, so keep sampling while it is subscribed (control socket). */
  | { type: 'subscribe'; resources?: boolean };
export type ServerFrame =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: string }
  | { type: 'event'; event: EventName; payload: unknown };
