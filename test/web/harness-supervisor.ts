// A test-harness Supervisor: the contract's in-memory adapter. Holds a snapshot, fans events out to
// subscribers exactly as the interface promises (snapshot first, synchronously), records every invoke
// and answers it from an overridable handler. The web host under test cannot tell it from the real one.
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents, Unsubscribe } from '../../shared/contract';
import type { LogLine, ServiceStatus, StackSnapshot } from '../../shared/types';
import type { Supervisor, SupervisorListener } from '../../electron/supervisor/api';
import { serviceStatus, stackInfo } from '../helpers/status-fixtures';

export interface RecordedInvoke {
  command: CommandName;
  args: unknown;
}

export type InvokeHandler = (command: CommandName, args: unknown) => unknown;

export interface HarnessSupervisor extends Supervisor {
  readonly invokes: RecordedInvoke[];
  readonly listenerCount: () => number;
  /** Push an event to every subscriber (and fold `service`/`logs` into the snapshot). */
  emit<E extends EventName>(event: E, payload: HearthEvents[E]): void;
  /** Emit `count` log lines for `service` in batches of `batch`; returns the lines. */
  emitLogs(service: string, count: number, opts?: { batch?: number; text?: (i: number) => string }): LogLine[];
  /** Replace how invokes are answered (throwing rejects the invoke); null restores the default. */
  onInvoke(handler: InvokeHandler | null): void;
  closed: boolean;
}

/** A running service (pid 1234, one http port) as the web host tests expect. */
export function makeStatus(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return serviceStatus(name, {
    state: 'RUNNING',
    pid: 1234,
    ports: { http: 20001 },
    started_at: 1_000,
    last_restart_reason: 'initial',
    run: 1,
    ...overrides,
  });
}

export function createHarnessSupervisor(services: string[] = ['api', 'db']): HarnessSupervisor {
  const listeners = new Set<SupervisorListener>();
  const snap: StackSnapshot = {
    stack: stackInfo({ loaded_at: 1_000, snooze_warn_after_secs: 3600 }),
    services: services.map((name) => makeStatus(name)),
    logs: [],
    now: 1_000,
  };
  let seq = 0;
  const invokes: RecordedInvoke[] = [];
  const defaultHandler: InvokeHandler = (command, args) => {
    const a = args as Record<string, unknown>;
    switch (command) {
      case 'status':
        return structuredClone(snap);
      case 'start':
      case 'stop':
      case 'restart':
        return { services: (a.services as string[] | undefined) ?? snap.services.map((s) => s.name) };
      case 'logs':
        return { lines: snap.logs.slice(-(Number(a.tail ?? snap.logs.length) || 0)) };
      default:
        return {};
    }
  };
  let handler = defaultHandler;

  const h: HarnessSupervisor = {
    file: '/tmp/demo/hearth.yaml',
    invokes,
    closed: false,
    listenerCount: () => listeners.size,
    async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      invokes.push({ command, args });
      return (await handler(command, args)) as CommandResult<C>;
    },
    subscribe(listener: SupervisorListener): Unsubscribe {
      listener('snapshot', structuredClone(snap));
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot: () => structuredClone(snap),
    async close() {
      h.closed = true;
      listeners.clear();
    },
    emit(event, payload) {
      if (event === 'service') {
        const status = payload as ServiceStatus;
        const i = snap.services.findIndex((s) => s.name === status.name);
        if (i >= 0) snap.services[i] = status;
        else snap.services.push(status);
      } else if (event === 'logs') {
        for (const line of (payload as HearthEvents['logs']).lines) snap.logs.push(line);
        // A bounded tail, like the real ring.
        if (snap.logs.length > 2_000) snap.logs.splice(0, snap.logs.length - 1_000);
      }
      for (const listener of [...listeners]) listener(event, payload);
    },
    emitLogs(service, count, { batch = 100, text = (i: number) => `line ${i}` } = {}) {
      const all: LogLine[] = [];
      for (let start = 0; start < count; start += batch) {
        const lines: LogLine[] = [];
        for (let i = start; i < Math.min(count, start + batch); i++) {
          seq += 1;
          lines.push({ seq, service, run: 1, ts: 1_000 + i, stream: 'stdout', text: text(i) });
        }
        all.push(...lines);
        h.emit('logs', { lines });
      }
      return all;
    },
    onInvoke(next) {
      handler = next ?? defaultHandler;
    },
  };
  return h;
}
