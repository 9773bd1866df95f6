// TEST HARNESS: an in-memory Supervisor (no processes) for the hosts in front of the real one: the
// control socket, the CLI and the web host are tested over real sockets against it. It keeps a
// snapshot, fans events out as the interface promises (snapshot first, synchronously), records every
// invoke and answers it from a handler a test can replace. The default handler changes state and
// emits like the real supervisor, so a command's effect reaches subscribers and later snapshots.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents, Unsubscribe } from '../../shared/contract';
import type { LogLine, LogStream, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';
import type { SubscribeOptions, Supervisor, SupervisorListener } from '../../electron/supervisor/api';
import { serviceStatus, stackInfo } from './status-fixtures';

export interface RecordedInvoke {
  command: CommandName;
  args: unknown;
}

/** Answers an invoke; a throw or a rejected promise rejects it, a promise that never settles hangs it. */
export type InvokeHandler = (command: CommandName, args: unknown) => unknown;

export interface HarnessOptions {
  /** The stack file (default: the fixtures' /tmp/demo/hearth.yaml). */
  file?: string;
  /** Services present from the start, stopped (default: api, db). */
  services?: string[];
  /** Stamps log lines, snapshots and starts; the CLI formats times against the real clock. */
  clock?: () => number;
}

/** Lines kept, like the real ring: a flood in a backpressure test must not grow memory without end. */
const KEPT_LINES = 1_000;

/** A running service (one http port), as a test emits it. */
export function runningStatus(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return serviceStatus(name, { state: 'RUNNING', pid: 1234, ports: { http: 20001 }, started_at: 1_000, last_restart_reason: 'initial', run: 1, ...overrides });
}

export class HarnessSupervisor implements Supervisor {
  readonly file: string;
  readonly services = new Map<string, ServiceStatus>();
  /** The kept log tail, oldest first: what `logs` answers and the snapshot carries. */
  readonly lines: LogLine[] = [];
  readonly invokes: RecordedInvoke[] = [];
  stack: StackInfo;
  closed = false;
  /** How many watchResources() are held right now. */
  resourceWatchers = 0;
  /** What the default handler answers to `reload`. */
  reloadResult: CommandResult<'reload'> = { ok: true, errors: [], added: [], removed: [], changed: [] };
  private readonly listeners = new Set<SupervisorListener>();
  private readonly clock: () => number;
  private readonly defaultHandler: InvokeHandler = (command, args) => this.answer(command, args as Record<string, unknown>);
  private handler = this.defaultHandler;
  private seq = 0;

  constructor({ file = stackInfo().file, services = ['api', 'db'], clock = Date.now }: HarnessOptions = {}) {
    this.file = file;
    this.clock = clock;
    for (const name of services) this.services.set(name, serviceStatus(name));
    this.stack = stackInfo({ file, dir: file.replace(/\/[^/]*$/, ''), loaded_at: clock(), snooze_warn_after_secs: 3600 });
  }

  watchResources(): () => void {
    this.resourceWatchers++;
    let released = false;
    return () => {
      if (!released) this.resourceWatchers--;
      released = true;
    };
  }

  /** Patch a service's status (a new one if unknown) and emit it. */
  setService(name: string, patch: Partial<ServiceStatus>): ServiceStatus {
    const next = { ...(this.services.get(name) ?? serviceStatus(name)), ...patch };
    this.emit('service', next);
    return next;
  }

  /** Emit one log line. */
  log(service: string, text: string, stream: LogStream = 'stdout'): LogLine {
    const line = this.line(service, text, stream);
    this.emit('logs', { lines: [line] });
    return line;
  }

  /** Emit `count` lines in events of `batch` lines (a chatty stack sends small arrays); returns them. */
  emitLogs(service: string, count: number, { batch = 100, text = (i: number) => `line ${i}` } = {}): LogLine[] {
    const all: LogLine[] = [];
    for (let start = 0; start < count; start += batch) {
      const lines: LogLine[] = [];
      for (let i = start; i < Math.min(count, start + batch); i++) lines.push(this.line(service, text(i)));
      all.push(...lines);
      this.emit('logs', { lines });
    }
    return all;
  }

  /** Fold the event into the state (so later snapshots agree with it), then push it to every subscriber. */
  emit<E extends EventName>(event: E, payload: HearthEvents[E]): void {
    this.fold(event, payload);
    for (const listener of [...this.listeners]) listener(event, payload);
  }

  /** Replace how invokes are answered; null restores the default. */
  onInvoke(handler: InvokeHandler | null): void {
    this.handler = handler ?? this.defaultHandler;
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  // A copy: the host under test must not be able to change the harness's state through it.
  snapshot(): StackSnapshot {
    return structuredClone({ stack: this.stack, services: [...this.services.values()], logs: this.lines, now: this.clock() });
  }

  subscribe(listener: SupervisorListener, opts: SubscribeOptions = {}): Unsubscribe {
    const unwatch = opts.resources ? this.watchResources() : null;
    listener('snapshot', this.snapshot());
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      unwatch?.();
    };
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    this.invokes.push({ command, args });
    return (await this.handler(command, args)) as CommandResult<C>;
  }

  // Listeners stay: a test asserting "0 listeners" after a host closed must see the host's own unsubscribe.
  async close(): Promise<void> {
    this.closed = true;
  }

  private line(service: string, text: string, stream: LogStream = 'stdout'): LogLine {
    return { seq: ++this.seq, service, run: this.services.get(service)?.run ?? 0, ts: this.clock(), stream, text };
  }

  private fold(event: EventName, payload: unknown): void {
    switch (event) {
      case 'service': {
        const status = payload as ServiceStatus;
        this.services.set(status.name, status);
        break;
      }
      case 'service_removed':
        this.services.delete((payload as HearthEvents['service_removed']).name);
        break;
      case 'stack':
        this.stack = payload as StackInfo;
        break;
      case 'logs':
        this.lines.push(...(payload as HearthEvents['logs']).lines);
        if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
        break;
      case 'logs_cleared': {
        const { service } = payload as HearthEvents['logs_cleared'];
        const kept = service === null ? [] : this.lines.filter((line) => line.service !== service);
        this.lines.splice(0, this.lines.length, ...kept);
        break;
      }
    }
  }

  /** The real supervisor's error for an unknown name, which the CLI and sockets relay as text. */
  private known(name: string): ServiceStatus {
    const found = this.services.get(name);
    if (!found) throw new Error(`no service named "${name}" in this stack`);
    return found;
  }

  private targets(names: unknown): string[] {
    const list = (names as string[] | undefined) ?? [];
    for (const name of list) this.known(name);
    return list.length ? list : [...this.services.keys()];
  }

  private answer(command: CommandName, args: Record<string, unknown>): unknown {
    switch (command) {
      case 'start':
      case 'restart': {
        const services = this.targets(args.services);
        for (const [i, name] of services.entries()) this.setService(name, { state: 'RUNNING', pid: 40000 + i, started_at: this.clock() });
        return { services };
      }
      case 'stop': {
        const services = this.targets(args.services);
        for (const name of services) this.setService(name, { state: 'STOPPED', pid: null, started_at: null });
        return { services };
      }
      case 'snooze': {
        const service = this.known(args.service as string).name;
        const until = typeof args.for_secs === 'number' ? this.clock() + args.for_secs * 1000 : null;
        this.setService(service, { snoozed: true, snoozed_since: this.clock(), snooze_until: until });
        return { service, until };
      }
      case 'unsnooze': {
        const service = this.known(args.service as string).name;
        this.setService(service, { snoozed: false, snoozed_since: null, snooze_until: null });
        return { service };
      }
      case 'logs': {
        const service = args.service as string | undefined;
        // As in the real supervisor, a replicated group's name stands for its instances (api.0, api.1, …).
        const names = service === undefined ? null : this.services.has(service) ? [service] : [...this.services.keys()].filter((n) => n.startsWith(`${service}.`));
        if (service !== undefined && names!.length === 0) this.known(service);
        const matching = this.lines.filter((line) => !names || names.includes(line.service));
        const tail = typeof args.tail === 'number' ? args.tail : matching.length;
        return { lines: tail === 0 ? [] : matching.slice(-tail) };
      }
      case 'clear_logs': {
        const service = (args.service as string | undefined) ?? null;
        const cleared = service ? [this.known(service).name] : [...this.services.keys()];
        this.emit('logs_cleared', { service });
        return { cleared };
      }
      case 'status':
        return this.snapshot();
      case 'log_file':
        return { path: `${this.known(args.service as string).sandbox}/current.log` };
      case 'reload':
        return this.reloadResult;
      case 'shutdown':
        return { stopping: true };
    }
  }
}
