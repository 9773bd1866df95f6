// The one stack the desktop app is showing: opens it through the stack host, mirrors its state for
// the tray and IPC validation, fans its events out, and stands in for the supervisor while the stack
// file cannot be loaded (the UI then shows the errors and the session retries when the file changes).
//
// No Electron import: index.ts passes the real openStackHost and a file watcher; tests pass fakes.
import { basename, dirname } from 'node:path';
import type { CommandArgs, CommandName, CommandResult, EventName, HearthEvents, ReloadResult, Unsubscribe } from '../../shared/contract';
import type { ConfigIssue, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';
import type { OpenStackOptions, StackHost } from '../host/stack-host';
import type { SupervisorListener } from '../supervisor/api';

export interface StackSessionDeps {
  openHost(opts: OpenStackOptions): Promise<StackHost>;
  /** Call `onChange` when `file` changes; returns a stop function. Used only while the file is broken. */
  watchFile(file: string, onChange: () => void): () => void;
  now(): number;
  /** The `shutdown` command (`hearth down` through the control socket or the UI): quit the app. */
  onShutdown(): void;
  /** Issues of a failed open, when the error carries them (StackLoadError.issues). */
  issuesOf(error: unknown, file: string): ConfigIssue[];
}

export type OpenResult = { ok: true; host: StackHost } | { ok: false; issues: ConfigIssue[] };

export interface SessionView {
  file: string | null;
  stack: StackInfo | null;
  services: ServiceStatus[];
}

export interface StackSession {
  /** Stop the current stack (if any) and open `file`. Calls are serialised. */
  open(file: string): Promise<OpenResult>;
  /** Run an already-validated command. */
  invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  snapshot(): StackSnapshot;
  /** Like Supervisor.subscribe: the listener gets a snapshot first, then changes; survives stack switches. */
  subscribe(listener: SupervisorListener): Unsubscribe;
  view(): SessionView;
  knownServices(): ReadonlySet<string>;
  /** Every port allocated to a service of the current stack (for openExternal validation). */
  ports(): number[];
  /** Stop every service and release everything. Idempotent. */
  close(): Promise<void>;
}

function failedStackInfo(file: string, issues: ConfigIssue[]): StackInfo {
  return { name: basename(dirname(file)), file, dir: dirname(file), config_errors: issues, loaded_at: null, snooze_warn_after_secs: 0 };
}

export function createStackSession(deps: StackSessionDeps): StackSession {
  let host: StackHost | null = null;
  let unsubscribeHost: Unsubscribe | null = null;
  let stopWatching: (() => void) | null = null;
  let file: string | null = null;
  let stack: StackInfo | null = null;
  const services = new Map<string, ServiceStatus>();
  const listeners = new Set<SupervisorListener>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const mirror = <E extends EventName>(event: E, payload: HearthEvents[E]) => {
    if (event === 'snapshot') {
      const snap = payload as StackSnapshot;
      stack = snap.stack;
      services.clear();
      for (const s of snap.services) services.set(s.name, s);
    } else if (event === 'service') {
      const s = payload as ServiceStatus;
      services.set(s.name, s);
    } else if (event === 'service_removed') {
      services.delete((payload as { name: string }).name);
    } else if (event === 'stack') {
      stack = payload as StackInfo;
    }
  };

  const emit: SupervisorListener = (event, payload) => {
    mirror(event, payload);
    for (const listener of [...listeners]) {
      try {
        listener(event, payload);
      } catch {
        // One broken consumer (e.g. a tray update racing app exit) must not starve the others.
      }
    }
  };

  const snapshot = (): StackSnapshot => {
    if (host) return host.supervisor.snapshot();
    return { stack, services: [], logs: [], now: deps.now() };
  };

  const release = async () => {
    stopWatching?.();
    stopWatching = null;
    unsubscribeHost?.();
    unsubscribeHost = null;
    const old = host;
    host = null;
    if (old) await old.close();
  };

  const doOpen = async (target: string): Promise<OpenResult> => {
    await release();
    if (closed) return { ok: false, issues: [] };
    file = target;
    try {
      const opened = await deps.openHost({ file: target, control: true, watch: true });
      if (closed) {
        await opened.close();
        return { ok: false, issues: [] };
      }
      host = opened;
      // The supervisor calls back synchronously with its snapshot, which resets the mirror. The window's
      // meters and the tray's memory total show CPU/RSS for as long as the app runs.
      unsubscribeHost = opened.supervisor.subscribe(emit, { resources: true });
      // `hearth down` in a terminal closes the host through the control socket: the app follows it,
      // as any host process does. A close we asked for ourselves (switch, quit) clears `host` first.
      // (Guarded: older StackHost versions had no `closed`.)
      if (opened.closed) {
        void opened.closed.then(() => {
          if (host === opened && !closed) {
            host = null;
            deps.onShutdown();
          }
        });
      }
      return { ok: true, host: opened };
    } catch (error) {
      const issues = deps.issuesOf(error, target);
      stack = failedStackInfo(target, issues);
      services.clear();
      emit('snapshot', snapshot());
      // Try again as soon as the user saves a fix.
      stopWatching = deps.watchFile(target, () => {
        if (file === target && !host) void open(target);
      });
      return { ok: false, issues };
    }
  };

  const open = (target: string): Promise<OpenResult> => {
    const next = queue.then(() => doOpen(target));
    queue = next.catch(() => undefined);
    return next;
  };

  const invoke = async <C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> => {
    if (command === 'shutdown') {
      deps.onShutdown();
      return { stopping: true } as CommandResult<C>;
    }
    if (host) return host.supervisor.invoke(command, args);
    switch (command) {
      case 'status':
        return snapshot() as CommandResult<C>;
      case 'logs':
        return { lines: [], partial: [] } as CommandResult<'logs'> as CommandResult<C>;
      case 'clear_logs':
        return { cleared: [] } as CommandResult<'clear_logs'> as CommandResult<C>;
      case 'reload': {
        if (!file) throw new Error('no stack is open');
        const result = await open(file);
        const reload: ReloadResult = result.ok
          ? { ok: true, errors: [], added: [...services.keys()], removed: [], changed: [] }
          : { ok: false, errors: result.issues, added: [], removed: [], changed: [] };
        return reload as CommandResult<C>;
      }
      default:
        throw new Error(file ? `${command}: the stack file has errors; fix them first (nothing is running)` : `${command}: no stack is open`);
    }
  };

  return {
    open,
    invoke,
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      listener('snapshot', snapshot());
      return () => listeners.delete(listener);
    },
    view: () => ({ file, stack, services: [...services.values()] }),
    knownServices: () => new Set(services.keys()),
    ports: () => [...services.values()].flatMap((s) => Object.values(s.ports)),
    async close() {
      closed = true;
      await queue;
      await release();
    },
  };
}
