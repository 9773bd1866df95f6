// The TEST HARNESS host: a HearthApi in memory. It records every invoke (after validating the args
// with the shared contract, as the real adapters do), lets a test emit events, and answers commands
// with canned or test-supplied results. One of the three adapters of shared/contract.ts.
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  HearthApi,
  HearthEvents,
  Unsubscribe,
} from '../../shared/contract';
import { parseCommand } from '../../shared/contract';
import type { StackSnapshot } from '../../shared/types';

export interface Invocation {
  command: CommandName;
  args: unknown;
}

type Handler<C extends CommandName> = (args: CommandArgs<C>) => CommandResult<C> | Promise<CommandResult<C>>;
type Handlers = { [C in CommandName]?: Handler<C> };

export class HarnessHost implements HearthApi {
  readonly host = 'test';
  readonly invocations: Invocation[] = [];
  readonly opened: string[] = [];
  /** Answer to `status` (and the snapshot replayed to late `snapshot` subscribers, if set). */
  snapshot: StackSnapshot | null = null;
  private readonly handlers: Handlers = {};
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  /** Override the result of one command. */
  handle<C extends CommandName>(command: C, handler: Handler<C>): void {
    (this.handlers as Record<string, unknown>)[command] = handler;
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    const parsed = parseCommand<C>(command, args);
    this.invocations.push({ command, args: parsed.args });
    const handler = this.handlers[command] as Handler<C> | undefined;
    if (handler) return handler(parsed.args);
    return this.defaultResult(command, parsed.args);
  }

  on<E extends EventName>(event: E, listener: (payload: HearthEvents[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: HearthEvents[E]): void {
    if (event === 'snapshot') this.snapshot = payload as StackSnapshot;
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (p: HearthEvents[E]) => void)(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  }

  /** Invocations of one command, args only. */
  calls(command: CommandName): unknown[] {
    return this.invocations.filter((i) => i.command === command).map((i) => i.args);
  }

  private defaultResult<C extends CommandName>(command: C, args: CommandArgs<C>): CommandResult<C> {
    const a = args as Record<string, unknown>;
    const names = (a.services as string[] | undefined) ?? [];
    const results: { [K in CommandName]: () => CommandResult<K> } = {
      start: () => ({ services: names }),
      stop: () => ({ services: names }),
      restart: () => ({ services: names }),
      snooze: () => ({ service: a.service as string, until: typeof a.for_secs === 'number' ? Date.now() + a.for_secs * 1000 : null }),
      unsnooze: () => ({ service: a.service as string }),
      input: () => ({ service: a.service as string, bytes: String(a.data).length }),
      signal: () => ({ sent: [] }),
      reload: () => ({ ok: true, errors: [], added: [], removed: [], changed: [] }),
      clear_logs: () => ({ cleared: a.service ? [a.service as string] : [] }),
      logs: () => ({ lines: [], partial: [] }),
      status: () => {
        if (!this.snapshot) throw new Error('harness: no snapshot yet');
        return this.snapshot;
      },
      log_file: () => ({ path: `/tmp/${String(a.service)}.log` }),
      capture: () => {
        throw new Error('harness: no capture result set');
      },
      capture_cancel: () => ({ service: a.service as string, cancelled: false }),
      capture_tools: () => ({ service: a.service as string, pid: null, runtime: null, methods: [] }),
      captures: () => ({ service: a.service as string, captures: [] }),
      capture_read: () => {
        throw new Error('harness: no capture to read');
      },
      health_history: () => ({ service: a.service as string, runs: [] }),
      debug: () => {
        throw new Error('harness: no debugger');
      },
      debug_end: () => ({ service: a.service as string, ended: false }),
      shutdown: () => ({ stopping: true }),
      web_login: () => {
        throw new Error('harness: web_login is for the control socket only'); // parseCommand refuses it first
      },
    };
    return (results[command] as () => CommandResult<C>)();
  }
}
