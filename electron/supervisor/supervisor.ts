// The stack supervisor: owns one ServiceRunner per service, allocates ports, orders starts by
// dependencies, applies reloads, and broadcasts state and batched log lines to subscribers.
import { join } from 'node:path';
import type { CommandArgs, CommandName, CommandResult, CommandResults, ReloadResult } from '../../shared/contract';
import type { LogLine, PartialLine, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';
import type { SubscribeOptions, Supervisor, SupervisorListener } from './api';
import { systemClock, type Clock } from './clock';
import { diffStacks } from './config/diff';
import { loadStackFile } from './config/load';
import type { LoadResult, StackConfig } from './config/types';
import { firstUnmet, stopLevels, waitingText, withDependencies, type DepView } from './dependencies';
import { hearthDirOf, portsFileOf, sandboxDirOf } from './layout';
import { LogBudget } from './logs/log-ring';
import { PortAllocator } from './ports';
import { PidRegistry } from './pid-registry';
import { ServiceRunner } from './runner/service-runner';
import { ResourceMonitor } from './resources/monitor';
import { defaultPlatform } from './process/platform/select';
import type { ProcessPlatform } from './process/platform/types';
import { StackWatches } from './watch/stack-watches';
import { readCapture } from './capture/read-capture';
import { NO_WEB_UI } from '../control/errors';

export interface SupervisorOptions {
  stack: StackConfig;
  clock?: Clock;
  /** How `reload` reads the stack file (default: loadStackFile of stack.file). */
  load?: (file: string) => Promise<LoadResult>;
  /** Called by the `shutdown` command (the host stops everything and exits). Default: close(). */
  onShutdown?: () => void;
  /** How often CPU/RSS of every process tree is sampled (default 2000 ms; 0 = never). */
  resourceIntervalMs?: number;
  /** The process backend every spawn, signal and tree walk goes through (default: this system's). */
  platform?: ProcessPlatform;
}

/** Lines of all services a new subscriber gets with its snapshot. */
const SNAPSHOT_LOG_LINES = 5000;
/** Log lines are batched: one `logs` event per this many ms at most, never one per line. */
const LOG_FLUSH_MS = 15;
/**
 * …or sooner, once this many lines wait: during a flood, 15 ms hold tens of thousands of lines, and
 * every young-generation GC would copy them (and the chunks their texts point into) while they wait.
 */
const LOG_FLUSH_LINES = 4096;
const RESOURCE_INTERVAL_MS = 2000;

export function hearthDir(stack: StackConfig): string {
  return hearthDirOf(stack.dir);
}

export function sandboxOf(stack: StackConfig, service: string): string {
  return sandboxDirOf(stack.dir, service);
}

export async function createSupervisor(opts: SupervisorOptions): Promise<Supervisor> {
  const { supervisor, init } = prepareSupervisor(opts);
  await init();
  return supervisor;
}

/**
 * A supervisor whose ports are not allocated yet: `init` allocates them and makes the runners. The host
 * serves its control socket first (so a second instance is refused), reaps what a crashed run left, and
 * only then calls `init`: the orphans held the ports this run reuses. Commands wait for `init`.
 */
export function prepareSupervisor(opts: SupervisorOptions): { supervisor: Supervisor; init(): Promise<void> } {
  const sup = new StackSupervisor(opts);
  return { supervisor: sup, init: () => sup.init() };
}

class StackSupervisor implements Supervisor {
  private stack: StackConfig;
  private info: StackInfo;
  private readonly clock: Clock;
  private readonly platform: ProcessPlatform;
  private readonly runners = new Map<string, ServiceRunner>();
  private readonly listeners = new Set<SupervisorListener>();
  private readonly ports: Record<string, Record<string, number>> = {};
  private readonly allocator: PortAllocator;
  /**
   * Opened at the first spawn, not before: the host reaps what a crashed run recorded in pids.json after
   * creating the supervisor and before starting services, and this run's registry must not inherit those entries.
   */
  private registry: PidRegistry | null = null;
  private seq = 0;
  /** Lines not yet sent to subscribers, one array per output chunk (flattened once per flush). */
  private pendingLogs: LogLine[][] = [];
  private pendingLines = 0;
  private readonly dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly monitor: ResourceMonitor;
  private readonly watches: StackWatches;
  /** The bytes of log lines every service's ring may hold together (the stack's `logs.total_ring_bytes`). */
  private readonly logBudget: LogBudget;
  private closed: Promise<void> | null = null;

  constructor(private readonly opts: SupervisorOptions) {
    this.stack = opts.stack;
    this.clock = opts.clock ?? systemClock;
    this.platform = opts.platform ?? defaultPlatform();
    this.info = this.stackInfo([]);
    this.info.loaded_at = this.clock.now();
    this.allocator = new PortAllocator({ range: this.stack.port_range, stateFile: portsFileOf(this.stack.dir), seed: this.stack.dir });
    this.logBudget = new LogBudget(this.stack.logs.total_ring_bytes);
    this.monitor = new ResourceMonitor({
      intervalMs: opts.resourceIntervalMs ?? RESOURCE_INTERVAL_MS,
      clock: this.clock,
      sampler: this.platform.usageSampler(),
      runners: () => this.runners.values(),
      // Every service's new sample goes out in the same flush: one batch per tick, not a trickle.
      onSampled: () => this.flush(),
      needed: () => [...this.runners.values()].some((r) => r.cfg.resources.ram_bytes !== null),
    });
    this.watches = new StackWatches({
      clock: this.clock,
      hearthDir: hearthDir(this.stack),
      runner: (name) => this.runners.get(name),
      onRestarted: () => this.schedule(),
    });
  }

  get file(): string {
    return this.stack.file;
  }

  private resolveReady!: () => void;
  /** Resolves once init() made the runners; commands (from the control socket, meanwhile) wait for it. */
  private readonly ready = new Promise<void>((resolve) => (this.resolveReady = resolve));

  async init(): Promise<void> {
    try {
      for (const cfg of Object.values(this.stack.services)) await this.allocatePorts(cfg.name);
      await this.allocator.save();
      for (const cfg of Object.values(this.stack.services)) this.addRunner(cfg.name);
      this.monitor.update();
    } finally {
      this.resolveReady(); // a failed init is the host's to report; nothing waits for it forever
    }
  }

  // ---- Supervisor interface ----

  subscribe(listener: SupervisorListener, { resources = false }: SubscribeOptions = {}): () => void {
    // Watching first: its first sample is then already in the snapshot.
    const unwatch = resources ? this.monitor.watch() : null;
    // Emit what is pending to existing subscribers first, so the snapshot and the stream that follows
    // neither overlap nor leave a gap.
    this.flush();
    listener('snapshot', this.snapshot());
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      unwatch?.();
    };
  }

  watchResources(): () => void {
    return this.monitor.watch();
  }

  snapshot(): StackSnapshot {
    return {
      stack: { ...this.info },
      services: [...this.runners.values()].map((r) => r.status()),
      logs: this.mergedTail(SNAPSHOT_LOG_LINES, [...this.runners.keys()]),
      partial: this.partialLines([...this.runners.keys()]),
      now: this.clock.now(),
    };
  }

  private partialLines(names: readonly string[]): PartialLine[] {
    return names.flatMap((n) => this.runners.get(n)?.partialLines() ?? []);
  }

  async invoke<C extends CommandName>(command: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
    const handler = this.handlers[command] as (a: CommandArgs<C>) => Promise<CommandResult<C>>;
    await this.ready;
    try {
      return await handler(args);
    } finally {
      // Subscribers see the effect of a command (a failed one too) before its caller gets the answer.
      this.flush();
    }
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.monitor.stop();
      await this.watches.closeAll();
      await this.stopAll();
      await Promise.all([...this.runners.values()].map((r) => r.dispose()));
      this.registry?.flush();
      this.flush();
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.listeners.clear();
    })();
    return this.closed;
  }

  // ---- commands ----

  private readonly handlers: { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResults[C]> } = {
    start: async ({ services }) => {
      const explicit = new Set(services?.length ? this.names(services) : this.stackSet());
      const started: string[] = [];
      for (const name of withDependencies([...explicit], this.graph())) {
        // A dependency pulled in (not named) that already finished has done its work: a migration job
        // must not run again because a service that depends on it was started.
        const runner = this.runner(name);
        if (!explicit.has(name) && runner.currentState === 'FINISHED') continue;
        if (await runner.requestStart()) started.push(name);
      }
      this.schedule();
      return { services: started };
    },
    stop: async ({ services }) => {
      const names = services?.length ? this.names(services) : [...this.runners.keys()];
      for (const level of stopLevels(names, this.graph())) await Promise.all(level.map((n) => this.runner(n).stop()));
      return { services: names };
    },
    restart: async ({ services }) => {
      const names = services?.length ? this.names(services) : this.stackSet();
      if (!services?.length) await this.stopAll();
      await Promise.all(names.map((n) => this.runner(n).restart('manual')));
      this.schedule();
      return { services: names };
    },
    // A replicated group's name snoozes every instance (each has its own snooze file).
    snooze: async ({ service, for_secs }) => {
      let until: number | null = null;
      for (const name of this.names([service])) until = this.runner(name).snoozeFor(for_secs);
      return { service, until };
    },
    unsnooze: async ({ service }) => {
      for (const name of this.names([service])) this.runner(name).unsnooze();
      return { service };
    },
    input: async ({ service, data }) => {
      const runner = this.runner(service); // an instance: a group's name is refused with the list of its instances
      if (!runner.sendInput(data)) throw new Error(`${service} has no running process to send input to`);
      return { service, bytes: Buffer.byteLength(data) };
    },
    signal: async ({ services, signal }) => {
      const sent: Array<{ service: string; pid: number }> = [];
      for (const name of this.names(services)) {
        for (const pid of await this.runner(name).signal(signal)) sent.push({ service: name, pid });
      }
      if (sent.length === 0) throw new Error(`${services.join(', ')}: no running process to send ${signal} to`);
      return { sent };
    },
    reload: async () => this.reload(),
    clear_logs: async ({ service }) => {
      const names = service ? [this.runner(service).name] : [...this.runners.keys()];
      for (const n of names) this.runner(n).clearLogs();
      this.emit('logs_cleared', { service: service ?? null });
      return { cleared: names };
    },
    // A replicated group's name gives its instances' lines together, as `docker compose logs web` does.
    logs: async ({ service, tail }) => {
      const names = this.names(service ? [service] : undefined);
      return { lines: this.mergedTail(tail ?? 200, names), partial: this.partialLines(names) };
    },
    status: async () => {
      await this.monitor.sampleIfStale(); // nobody may be watching: a one-off `hearth status` still gets figures
      return this.snapshot();
    },
    log_file: async ({ service }) => ({ path: this.runner(service).logPath }),
    // One instance: a capture is of one process (a group's name is refused with the list of its instances).
    capture: async ({ service, kind, for_secs }) => ({ capture: await this.runner(service).captures.capture(kind, for_secs) }),
    capture_cancel: async ({ service }) => ({ service, cancelled: this.runner(service).captures.cancel() }),
    capture_tools: async ({ service }) => this.runner(service).captures.tools(),
    captures: async ({ service, limit }) => ({ service, captures: this.runner(service).captures.list(limit ?? 100) }),
    capture_read: async ({ service, name }) => readCapture(this.runner(service).captures.list(Infinity), name),
    health_history: async ({ service }) => ({ service, runs: this.runner(service).healthHistory() }),
    debug: async ({ service }) => ({ service, ...(await this.runner(service).captures.debug()) }),
    debug_end: async ({ service }) => ({ service, ended: this.runner(service).captures.endDebug() }),
    shutdown: async () => {
      setImmediate(() => (this.opts.onShutdown ? this.opts.onShutdown() : void this.close()));
      return { stopping: true };
    },
    // The web host mints logins, not the supervisor: the control server answers this one itself.
    web_login: async () => {
      throw new Error(NO_WEB_UI);
    },
  };

  // ---- internals ----

  /** The last n lines of these services together, in the order they were logged (seq). */
  private mergedTail(n: number, names: string[]): LogLine[] {
    if (names.length === 1) return this.runner(names[0]!).tail(n);
    const lines = names.flatMap((name) => this.runner(name).tail(n));
    lines.sort((a, b) => a.seq - b.seq);
    return lines.slice(-n);
  }

  /** Service names as given, a replicated group's name (`api`) standing for all its instances. */
  private names(services: string[] | undefined): string[] {
    if (!services?.length) return [...this.runners.keys()];
    const out: string[] = [];
    for (const s of services) {
      const instances = this.runners.has(s) ? [s] : this.instancesOf(s);
      if (instances.length === 0) this.runner(s); // throws the "unknown service" error
      out.push(...instances);
    }
    return [...new Set(out)];
  }

  /**
   * What "all" means to start and restart: every service but those with `autostart: false`, which join
   * only while someone has started them (they are wanted), as `hearth up` runs the stack.
   */
  private stackSet(): string[] {
    return [...this.runners.values()].filter((r) => r.cfg.autostart || r.isWanted).map((r) => r.name);
  }

  private instancesOf(group: string): string[] {
    return [...this.runners.values()].filter((r) => r.cfg.group === group).map((r) => r.name);
  }

  private runner(name: string): ServiceRunner {
    const r = this.runners.get(name);
    if (r) return r;
    const instances = this.instancesOf(name);
    if (instances.length) throw new Error(`"${name}" has ${instances.length} instances; name one of them: ${instances.join(', ')}`);
    throw new Error(`unknown service "${name}" (services: ${[...this.runners.keys()].join(', ')})`);
  }

  private graph(): Record<string, string[]> {
    const g: Record<string, string[]> = {};
    for (const r of this.runners.values()) g[r.name] = Object.keys(r.cfg.depends_on);
    return g;
  }

  private async stopAll(): Promise<void> {
    const names = [...this.runners.keys()];
    for (const level of stopLevels(names, this.graph())) await Promise.all(level.map((n) => this.runner(n).stop()));
  }

  private pids(): PidRegistry {
    this.registry ??= new PidRegistry(join(hearthDir(this.stack), 'pids.json'), this.platform.name);
    return this.registry;
  }

  private addRunner(name: string): ServiceRunner {
    const cfg = this.stack.services[name]!;
    const runner = new ServiceRunner(cfg, {
      clock: this.clock,
      platform: this.platform,
      stackDir: this.stack.dir,
      sandbox: sandboxOf(this.stack, name),
      ports: () => this.ports,
      reallocatePorts: (service) => this.reallocatePorts(service),
      nextSeq: (count) => {
        const first = this.seq + 1;
        this.seq += count;
        return first;
      },
      onLines: (lines) => {
        this.pendingLogs.push(lines);
        this.pendingLines += lines.length;
        if (this.pendingLines >= LOG_FLUSH_LINES) this.flushLogs(); // logs only: no scheduling from inside a runner
        else this.scheduleFlush();
      },
      logBudget: this.logBudget,
      onPartial: (partial) => {
        this.flushLogs(); // the lines before it go out first
        this.emit('partial_line', partial);
      },
      onChange: () => {
        this.dirty.add(name);
        this.scheduleFlush();
      },
      recordPid: (service, pid, startTime) => this.pids().record(service, pid, startTime),
      forgetPid: (pid) => this.pids().forget(pid),
    });
    this.runners.set(name, runner);
    this.dirty.add(name);
    this.watches.sync(runner);
    return runner;
  }

  private async allocatePorts(service: string): Promise<void> {
    const cfg = this.stack.services[service]!;
    const ports: Record<string, number> = {};
    for (const [portName, preferred] of Object.entries(cfg.ports)) {
      ports[portName] = await this.allocator.allocate(`${service}.${portName}`, preferred);
    }
    this.ports[service] = ports;
  }

  private async reallocatePorts(service: string): Promise<void> {
    const cfg = this.runners.get(service)?.cfg;
    if (!cfg) return;
    const before = { ...this.ports[service] };
    for (const [portName, preferred] of Object.entries(cfg.ports)) {
      if (preferred !== null) continue; // a pinned port cannot move
      this.ports[service]![portName] = await this.allocator.reallocate(`${service}.${portName}`);
    }
    await this.allocator.save();
    // Not awaited: this runs inside the service's own restart, and the others restart on their own queues.
    void this.restartUsersOfMoved(service, before);
  }

  /**
   * After `service`'s ports moved, restarts the running services that were given the old numbers in
   * their command, cwd or env: they would go on calling a port nobody listens on.
   */
  private async restartUsersOfMoved(service: string, before: Record<string, number>): Promise<void> {
    const now = this.ports[service] ?? {};
    const moved = Object.keys(before).filter((name) => now[name] !== undefined && now[name] !== before[name]);
    if (moved.length === 0) return;
    const detail = moved.map((name) => `${service}.${name} moved to ${now[name]}`).join(', ');
    const users = [...this.runners.values()].filter((r) => r.name !== service && r.hasProcess && r.usesPortsOf(service));
    await Promise.all(users.map((r) => r.restart('config-changed', detail)));
    if (users.length > 0) this.schedule();
  }

  private async reload(): Promise<ReloadResult> {
    const result = await (this.opts.load ?? loadStackFile)(this.stack.file);
    if (!result.ok) {
      // Keep the running stack exactly as it is; only report.
      this.info = { ...this.info, config_errors: result.errors };
      this.emit('stack', { ...this.info });
      return { ok: false, errors: result.errors, added: [], removed: [], changed: [] };
    }
    const next = result.stack;
    const diff = diffStacks(this.stack, next);
    this.logBudget.setLimit(next.logs.total_ring_bytes);
    const wasWanted = new Set([...this.runners.values()].filter((r) => r.isWanted || r.currentState !== 'STOPPED').map((r) => r.name));
    this.stack = next;
    for (const name of diff.removed) {
      const runner = this.runners.get(name)!;
      await this.watches.close(name);
      await runner.dispose();
      this.runners.delete(name);
      for (const portName of Object.keys(runner.cfg.ports)) this.allocator.release(`${name}.${portName}`);
      delete this.ports[name];
      this.emit('service_removed', { name });
    }
    // A changed service keeps the ports it holds (see PortAllocator.allocate); a pinned port that changed
    // changes the fingerprint of every service given it, so those restart as changed too.
    for (const name of [...diff.added, ...diff.changed]) await this.allocatePorts(name);
    await this.allocator.save();
    for (const name of diff.changed) {
      const runner = this.runner(name);
      runner.updateConfig(next.services[name]!);
      if (wasWanted.has(name)) await runner.restart('config-changed');
      this.dirty.add(name);
    }
    for (const name of diff.unchanged) {
      this.runner(name).updateConfig(next.services[name]!);
      this.dirty.add(name); // what the status shows of the definition (autostart, depends_on) may have changed
    }
    // watch: is not in the fingerprint: a changed watch section re-arms without a restart.
    for (const name of [...diff.changed, ...diff.unchanged]) this.watches.sync(this.runner(name));
    for (const name of diff.added) {
      const runner = this.addRunner(name);
      if (wasWanted.size > 0 && runner.cfg.autostart) await runner.requestStart();
    }
    this.monitor.update(); // a resources.ram limit may have come or gone
    this.info = { ...this.stackInfo([]), loaded_at: this.clock.now() };
    this.emit('stack', { ...this.info });
    this.schedule();
    return { ok: true, errors: [], added: diff.added, removed: diff.removed, changed: diff.changed };
  }

  private stackInfo(errors: StackInfo['config_errors']): StackInfo {
    return {
      name: this.stack.name,
      file: this.stack.file,
      dir: this.stack.dir,
      config_errors: errors,
      loaded_at: null,
      snooze_warn_after_secs: this.stack.snooze_warn_after_secs,
    };
  }

  /** Launch PENDING services whose dependencies are met; tell the others what they wait for. */
  private schedule(): void {
    // Called after every batch of changes: with nothing waiting to start, skip building every status.
    if (![...this.runners.values()].some((r) => r.isWanted && r.currentState === 'PENDING')) return;
    const views: Record<string, DepView> = {};
    const statuses = new Map<string, ServiceStatus>();
    for (const r of this.runners.values()) {
      const s = r.status();
      statuses.set(r.name, s);
      views[r.name] = { state: s.state, health: s.health.status };
    }
    for (const r of this.runners.values()) {
      if (r.currentState !== 'PENDING' || !r.isWanted) continue;
      const unmet = firstUnmet(r.cfg.depends_on, views);
      if (unmet) {
        r.setWaitingFor(waitingText(unmet, statuses.get(unmet.name)?.state));
      } else {
        r.setWaitingFor(null);
        void r.launchIfPending();
      }
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, LOG_FLUSH_MS);
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.flushLogs();
    if (this.dirty.size) {
      const names = [...this.dirty];
      this.dirty.clear();
      for (const name of names) {
        const r = this.runners.get(name);
        if (r) this.emit('service', r.status());
      }
      if (!this.closed) this.schedule();
    }
  }

  private flushLogs(): void {
    if (!this.pendingLogs.length) return;
    const chunks = this.pendingLogs;
    this.pendingLogs = [];
    this.pendingLines = 0;
    this.emit('logs', { lines: chunks.length === 1 ? chunks[0]! : concatAll(chunks) });
  }

  private emit: SupervisorListener = (event, payload) => {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // A failing UI must never take the supervisor down.
      }
    }
  };
}

/** The arrays one after the other, in one preallocated array (Array.prototype.flat is far slower). */
function concatAll<T>(arrays: readonly T[][]): T[] {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Array<T>(n);
  let k = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) out[k++] = a[i]!;
  return out;
}
