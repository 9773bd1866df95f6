// TEST HARNESS: an in-memory Supervisor (no processes). It implements the Supervisor interface so the
// control socket and the CLI can be tested over real sockets without the real supervisor. Tests drive
// it with `setService`, `log` and `emit`.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents, Unsubscribe } from '../../shared/contract';
import type { LogLine, LogStream, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';
import type { Supervisor, SupervisorListener } from '../../electron/supervisor/api';
import { serviceStatus, stackInfo } from '../helpers/status-fixtures';

// Re-exported: the CLI tests build their statuses from the same factory.
export { healthView, serviceStatus } from '../helpers/status-fixtures';

export class HarnessSupervisor implements Supervisor {
  readonly services = new Map<string, ServiceStatus>();
  readonly lines: LogLine[] = [];
  readonly calls: Array<{ command: CommandName; args: unknown }> = [];
  readonly stack: StackInfo;
  private readonly listeners = new Set<SupervisorListener>();
  private seq = 0;
  closed = false;
  /** What `reload` answers. */
  reloadResult: CommandResult<'reload'> = { ok: true, errors: [], added: [], removed: [], changed: [] };

  constructor(
    readonly file: string,
    names: string[] = ['api', 'db'],
    private readonly clock: () => number = Date.now,
  ) {
    for (const name of names) this.services.set(name, serviceStatus(name));
    this.stack = stackInfo({ name: 'test-stack', file, dir: file.replace(/\/[^/]*$/, ''), loaded_at: clock(), snooze_warn_after_secs: 3600 });
  }

  setService(name: string, patch: Partial<ServiceStatus>): ServiceStatus {
    const next = { ...(this.services.get(name) ?? serviceStatus(name)), ...patch };
    this.services.set(name, next);
    this.emit('service', next);
    return next;
  }

  log(service: string, text: string, stream: LogStream = 'stdout'): LogLine {
    const line: LogLine = { seq: ++this.seq, service, run: this.services.get(service)?.run ?? 0, ts: this.clock(), stream, text };
    this.lines.push(line);
    this.emit('logs', { lines: [line] });
    return line;
  }

  emit<E extends EventName>(event: E, payload: HearthEvents[E]): void {
    for (const listener of [...this.listeners]) listener(event, payload);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  snapshot(): StackSnapshot {
    return { stack: this.stack, services: [...this.services.values()], logs: this.lines.slice(-100), now: this.clock() };
  }

  subscribe(listener: SupervisorListener): Unsubscribe {
    this.listeners.add(listener);
    listener('snapshot', this.snapshot());
    return () => this.listeners.delete(listener);
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    this.calls.push({ command, args });
    return this.run(command, args as Record<string, unknown>) as CommandResult<C>;
  }

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

  private run(command: CommandName, args: Record<string, unknown>): unknown {
    switch (command) {
      case 'start':
      case 'restart': {
        const services = this.targets(args.services);
        for (const name of services) this.setService(name, { state: 'RUNNING', pid: 40000 + services.indexOf(name), started_at: this.clock() });
        return { services };
      }
      case 'stop': {
        const services = this.targets(args.services);
        for (const name of services) this.setService(name, { state: 'STOPPED', pid: null, started_at: null });
        return { services };
      }
      case 'snooze': {
        const service = args.service as string;
        this.known(service);
        const until = typeof args.for_secs === 'number' ? this.clock() + args.for_secs * 1000 : null;
        this.setService(service, { snoozed: true, snoozed_since: this.clock(), snooze_until: until });
        return { service, until };
      }
      case 'unsnooze': {
        const service = args.service as string;
        this.known(service);
        this.setService(service, { snoozed: false, snoozed_since: null, snooze_until: null });
        return { service };
      }
      case 'logs': {
        const service = args.service as string | undefined;
        if (service) this.known(service);
        const matching = this.lines.filter((line) => !service || line.service === service);
        const tail = typeof args.tail === 'number' ? args.tail : matching.length;
        return { lines: tail === 0 ? [] : matching.slice(-tail) };
      }
      case 'status':
        return this.snapshot();
      case 'log_file':
        return { path: `${this.known(args.service as string).sandbox}/current.log` };
      case 'reload':
        return this.reloadResult;
      case 'clear_logs':
        return { cleared: [] };
      case 'shutdown':
        return { stopping: true };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
