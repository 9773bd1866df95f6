// One service instance: spawns its process, drains its output into the ring and the log file, runs its
// health checks, and applies the restart policy when it exits. Decisions are delegated to the pure
// modules (health/machine, restart-policy); this class only wires them to processes, timers and files.
import { mkdirSync } from 'node:fs';
import type { LogLine, LogStream, PartialLine, RestartReason, ServiceSignal, ServiceState, ServiceStatus } from '../../shared/types';
import type { Clock, Timer } from './clock';
import type { ServiceConfig } from './config/types';
import { templateServiceRefs } from './config/templates';
import { applyCheck, healthSettings, healthView, initialHealth, type HealthMachineState } from './health/machine';
import { probeTarget, runProbe, type ResolvedProbe } from './health/probes';
import { nextCheckDelay } from './grid';
import { decideOnExit, initialRestartState, type RestartState } from './restart-policy';
import { readSnooze, removeSnooze, sameInfo, snoozeExpired, watchSnooze, writeSnooze, type SnoozeInfo } from './snooze';
import { spawnProcess, type ChildExit, type ChildHandle } from './process/spawn';
import { groupLeftovers, signalMain, stopTree } from './process/kill-tree';
import type { SplitBatch } from './logs/line-splitter';
import { OUTPUT_STREAMS, RunOutput } from './logs/run-output';
import { LogRing } from './logs/log-ring';
import { RotatingLogFile } from './logs/log-file';
import { loadEnvFiles } from './config/env-file';
import { logDirOf } from './layout';
import { renderFor, serviceEnv, serviceWorkDir } from './service-env';
import { formatExit } from '../../shared/format-exit';
import { formatSize } from '../../shared/format-size';
import type { TreeUsage } from './resources/proc-usage';
import { applySample, initialResources, noProcess, type ResourceState } from './resources/resource-state';

/** What the runner needs from its supervisor. */
export interface RunnerContext {
  clock: Clock;
  stackDir: string;
  sandbox: string;
  /** Ports of every service (service -> name -> port), current. */
  ports(): Record<string, Record<string, number>>;
  /** Give the service fresh ports (after EADDRINUSE). */
  reallocatePorts(service: string): Promise<void>;
  /** Reserves `count` consecutive stack-wide sequence numbers; returns the first. */
  nextSeq(count: number): number;
  /** Lines of one output chunk (or one supervisor line), in order. */
  onLines(lines: LogLine[]): void;
  /** Output paused mid-line (a prompt): see HearthEvents.partial_line. */
  onPartial(partial: PartialLine): void;
  onChange(): void;
  recordPid(service: string, pid: number, startTime: number | null): void;
  forgetPid(pid: number): void;
}

/** Output that means "the port was taken": the child is restarted on a fresh port. */
const PORT_IN_USE = /EADDRINUSE|address already in use/i;
const RECENT_OUTPUT_LINES = 20;

export class ServiceRunner {
  private state: ServiceState = 'STOPPED';
  private child: ChildHandle | null = null;
  /** The current (or last) run's output streams. */
  private output: { run: number; streams: RunOutput } | null = null;
  private run = 0;
  private restarts = 0;
  private restartState: RestartState = initialRestartState();
  private health: HealthMachineState;
  private healthTimer: Timer | null = null;
  private restartTimer: Timer | null = null;
  private nextAttemptAt: number | null = null;
  private wanted = false;
  private stopping = false;
  private killedForHealth = false;
  private lastExit: ServiceStatus['last_exit'] = null;
  private lastReason: RestartReason | null = null;
  /** e.g. the changed file of a 'file-changed' restart; null for reasons that say it all. */
  private lastDetail: string | null = null;
  /** Values of the env files as read at the last start (shell health checks use the same). */
  private fileEnv: Record<string, string> = {};
  private resources: ResourceState = initialResources();
  private error: string | null = null;
  private waitingFor: string | null = null;
  private recentOutput: string[] = [];
  /** The "does it daemonize itself?" hint was given (once per service is enough). */
  private hintedForeground = false;
  private snooze: SnoozeInfo = { snoozed: false, since: null, until: null };
  /** Fires when a timed snooze is due to end (nothing polls for it). */
  private snoozeEndTimer: Timer | null = null;
  /** The end time of a timed snooze whose file could not be removed (reported once). */
  private unremovableUntil: number | null = null;
  private renderedCmd = '';
  private readonly ring: LogRing;
  private readonly file: RotatingLogFile;
  private unwatchSnooze: () => void;
  /** Serializes start/stop/restart so interleaved commands never leave two processes running. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    public cfg: ServiceConfig,
    private readonly ctx: RunnerContext,
  ) {
    this.health = initialHealth(cfg.health_check);
    this.ring = new LogRing(cfg.logs.ring_lines);
    this.file = new RotatingLogFile({
      dir: logDirOf(ctx.sandbox),
      name: cfg.name,
      maxBytes: cfg.logs.max_bytes,
      keep: cfg.logs.keep,
      // The file's `error` is part of status: both its coming and its going are changes.
      onError: () => this.ctx.onChange(),
      onRecover: () => this.ctx.onChange(),
    });
    this.refreshSnooze();
    // A `touch`/`rm` in a terminal shows in the UI at once, and the read before every check stays the
    // authority. Nothing polls: an idle service costs no wake-ups (the watch itself polls only while
    // the sandbox folder is missing).
    this.unwatchSnooze = this.watchSnoozeFile();
    this.renderedCmd = this.render(cfg.cmd);
  }

  get name(): string {
    return this.cfg.name;
  }
  get logPath(): string {
    return this.file.path;
  }
  get currentState(): ServiceState {
    return this.state;
  }
  get isWanted(): boolean {
    return this.wanted;
  }

  // ---- commands (serialized) ----

  /**
   * Mark the service wanted; the supervisor launches it once its dependencies are met. Resolves with
   * whether this set it going: false when a process is already up or a restart is already scheduled.
   */
  async requestStart(): Promise<boolean> {
    let started = false;
    await this.enqueue(async () => {
      this.wanted = true;
      if (this.child || this.state === 'RESTARTING') return;
      this.restartState = initialRestartState();
      this.setState('PENDING');
      started = true;
    });
    return started;
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(reason: RestartReason = 'manual', detail: string | null = null): Promise<void> {
    return this.enqueue(async () => {
      if (detail !== null) this.system(`${reason.replaceAll('-', ' ')}: ${detail}; restarting`);
      await this.stopNow();
      this.wanted = true;
      this.restartState = initialRestartState();
      this.lastReason = reason;
      this.lastDetail = detail;
      this.setState('PENDING');
    });
  }

  /** Called by the supervisor when a PENDING service's dependencies are met. */
  launchIfPending(): Promise<void> {
    return this.enqueue(async () => {
      if (this.wanted && this.state === 'PENDING' && !this.child) this.launch(this.lastReason ?? 'initial');
    });
  }

  setWaitingFor(text: string | null): void {
    if (this.waitingFor === text) return;
    this.waitingFor = text;
    this.ctx.onChange();
  }

  /** Passes `data` to the current process's stdin; false when there is no process to take it. */
  sendInput(data: string): boolean {
    return this.child?.write(data) ?? false;
  }

  /**
   * `hearth signal` (see signalMain for which processes get it); the pids signalled, none when it has no
   * process. What a process does then is up to it: an exit it causes is not a stop, and the restart policy
   * decides (supervisorctl's way).
   */
  signal(signal: ServiceSignal): number[] {
    const child = this.child;
    if (!child?.pid) return [];
    const sent = signalMain(child, signal);
    if (sent.length > 0) {
      const what = child.viaShell && sent[0] !== child.pid ? ` (started by /bin/sh, pid ${child.pid})` : '';
      this.system(`${signal} sent to pid ${sent.join(', ')}${what} (hearth signal)`);
    }
    return sent;
  }

  snoozeFor(forSecs: number | undefined): number | null {
    const until = forSecs ? this.ctx.clock.now() + forSecs * 1000 : null;
    mkdirSync(this.ctx.sandbox, { recursive: true });
    writeSnooze(this.ctx.sandbox, until);
    this.system(until ? `health checks snoozed for ${Math.round(forSecs ?? 0)}s` : 'health checks snoozed');
    this.refreshSnooze();
    return until;
  }

  unsnooze(): void {
    removeSnooze(this.ctx.sandbox);
    this.system('health checks resumed (snooze removed)');
    this.refreshSnooze();
  }

  /** A supervisor-side note in this service's log (e.g. what `watch:` is watching). */
  note(text: string): void {
    this.system(text);
  }

  /** Absolute working folder (the rendered cwd, relative ones against the stack folder). */
  workDir(): string {
    return serviceWorkDir(this.cfg, this.ctx.ports(), this.ctx.stackDir);
  }

  /** Root of the process tree to measure, or null when there is no process. */
  get rootPid(): number | null {
    return this.child && !this.child.spawnError ? this.child.pid : null;
  }

  /** Whether the current process was sampled before, so the next sample can tell its CPU%. */
  get hasResourceBaseline(): boolean {
    return this.resources.prev !== null;
  }

  /** One /proc sample of the tree (null: no process). Warns once each time RSS crosses resources.ram. */
  applyResources(usage: TreeUsage | null, at: number, clockTicks: number): void {
    if (usage === null || usage.members.length === 0) {
      const next = noProcess(this.resources);
      if (next !== this.resources) {
        this.resources = next;
        this.ctx.onChange();
      }
      return;
    }
    const limit = this.cfg.resources.ram_bytes;
    const { state, crossed } = applySample(this.resources, { at, usage, limit, clockTicks });
    this.resources = state;
    if (crossed === 'over' && limit !== null) {
      this.system(`memory ${formatSize(usage.rssBytes)} is over resources.ram ${formatSize(limit)} (warning only: the service keeps running)`);
    } else if (crossed === 'under' && limit !== null) {
      this.system(`memory back under resources.ram ${formatSize(limit)} (${formatSize(usage.rssBytes)})`);
    }
    this.ctx.onChange();
  }

  clearLogs(): void {
    this.ring.clear();
  }

  tail(n: number): LogLine[] {
    return this.ring.tail(n);
  }

  /** The running process's unfinished lines, whole (a prompt waiting for input). */
  partialLines(): PartialLine[] {
    if (!this.output) return [];
    const { run, streams } = this.output;
    return streams.pending().map(({ stream, text }) => ({ service: this.cfg.name, stream, run, offset: 0, text }));
  }

  /** Replace the definition (reload); the caller restarts the service if it was running. */
  updateConfig(cfg: ServiceConfig): void {
    this.cfg = cfg;
    this.renderedCmd = this.render(cfg.cmd);
  }

  async dispose(): Promise<void> {
    this.unwatchSnooze();
    this.snoozeEndTimer?.cancel();
    await this.stop();
    await this.file.close();
  }

  status(): ServiceStatus {
    const settings = this.cfg.health_check ? healthSettings(this.cfg.health_check, probeTarget(this.probe(true))) : null;
    return {
      name: this.cfg.name,
      state: this.state,
      pid: this.child?.pid ?? null,
      restarts: this.restarts,
      ports: { ...(this.ctx.ports()[this.cfg.name] ?? {}) },
      sandbox: this.ctx.sandbox,
      snoozed: this.snooze.snoozed,
      snoozed_since: this.snooze.since,
      snooze_until: this.snooze.until,
      health: healthView(this.health, settings, this.snooze.snoozed),
      service: this.cfg.service,
      depends_on: Object.keys(this.cfg.depends_on),
      started_at: this.child ? this.child.startedAt : null,
      next_attempt_at: this.state === 'RESTARTING' ? this.nextAttemptAt : null,
      backoff_ms: this.restartState.backoffMs,
      flaps: this.restartState.flaps,
      failures: this.restartState.failures,
      max_failures: this.cfg.max_failures,
      last_exit: this.lastExit,
      last_restart_reason: this.lastReason,
      last_restart_detail: this.lastDetail,
      resources: this.resources.view,
      error: this.error ?? (this.state === 'PENDING' ? this.waitingFor : null) ?? (this.file.error ? `log file: ${this.file.error}` : null),
      cmd: this.renderedCmd,
      group: this.cfg.group,
      autostart: this.cfg.autostart,
      instance: this.cfg.instance,
      run: this.run,
    };
  }

  // ---- internals ----

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setState(state: ServiceState): void {
    this.state = state;
    this.ctx.onChange();
  }

  private setError(message: string | null): void {
    if (this.error === message) return;
    this.error = message;
    this.ctx.onChange();
  }

  /**
   * Whether this service's process was given a port of `service` (`{{services.api.ports[http]}}` in its
   * command, cwd or env): rendered at start, so it keeps the old number until it restarts. (Health
   * probes are rendered at each check and need nothing.)
   */
  usesPortsOf(service: string): boolean {
    const templates = [this.cfg.cmd, this.cfg.cwd, ...Object.values(this.cfg.env)];
    return templates.some((t) => templateServiceRefs(t).some((ref) => ref.service === service));
  }

  /** A process is up, started with what its templates rendered to at the time. */
  get hasProcess(): boolean {
    return this.child !== null;
  }

  private render(template: string): string {
    return renderFor(this.cfg, this.ctx.ports(), template);
  }

  private watchSnoozeFile(): () => void {
    return watchSnooze(this.ctx.sandbox, (info) => this.refreshSnooze(info));
  }

  /** Takes in what the snooze file says now; a timed snooze past its end is removed right here. */
  private refreshSnooze(info = readSnooze(this.ctx.sandbox)): void {
    if (snoozeExpired(info, this.ctx.clock.now())) {
      try {
        removeSnooze(this.ctx.sandbox);
        this.system('timed snooze ended; health checks resumed');
      } catch (error) {
        // Not ours to force (permissions): the file still pauses checks, as it would for Aurora. Said once per end time.
        if (this.unremovableUntil !== info.until) this.system(`timed snooze ended, but the snooze file cannot be removed (${(error as Error).message}): health checks stay paused until it is`);
        this.unremovableUntil = info.until;
      }
      info = readSnooze(this.ctx.sandbox); // not re-checked: a file we cannot remove must not loop
    }
    if (!sameInfo(info, this.snooze)) {
      this.snooze = info;
      this.armSnoozeEnd();
      this.ctx.onChange();
    }
  }

  /** One timer at the end of a timed snooze, re-armed whenever the file changes (e.g. extended). */
  private armSnoozeEnd(): void {
    this.snoozeEndTimer?.cancel();
    this.snoozeEndTimer = null;
    const until = this.snooze.snoozed ? this.snooze.until : null;
    if (until === null) return;
    const left = until - this.ctx.clock.now();
    if (left <= 0) return; // over already (a file that could not be removed): nothing left to time
    // A timer may fire a hair before the wall clock reaches `until`; refreshSnooze then re-arms.
    this.snoozeEndTimer = this.ctx.clock.after(left + 1, () => {
      this.snoozeEndTimer = null;
      this.refreshSnooze();
      if (!this.snoozeEndTimer) this.armSnoozeEnd();
    });
  }

  private launch(reason: RestartReason): void {
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.nextAttemptAt = null;
    this.killedForHealth = false;
    this.recentOutput = [];
    let cmd: string;
    let cwd: string;
    let env: NodeJS.ProcessEnv;
    try {
      // mkdirSync returns the first folder it created, undefined when the sandbox was there already.
      if (mkdirSync(this.ctx.sandbox, { recursive: true }) !== undefined) {
        // The watch falls back to slow polling while the folder is missing: watch the new folder now.
        this.unwatchSnooze();
        this.unwatchSnooze = this.watchSnoozeFile();
      }
      cmd = this.render(this.cfg.cmd);
      cwd = this.workDir();
      // Re-read at every start, so an edited .env applies on the next restart.
      this.fileEnv = loadEnvFiles(this.cfg.env_files);
      env = this.childEnv();
    } catch (err) {
      this.setError(`cannot start: ${(err as Error).message}`);
      this.setState('FAILED');
      return;
    }
    this.renderedCmd = cmd;
    if (this.run > 0) this.restarts += 1;
    this.run += 1;
    const run = this.run;
    this.lastReason = reason;
    this.error = null;
    this.health = initialHealth(this.cfg.health_check);
    const service = this.cfg.name;
    const output = new RunOutput(this.cfg.logs.max_line_bytes, this.ctx.clock, (stream, offset, text) =>
      this.ctx.onPartial({ service, stream, run, offset, text }),
    );
    this.output = { run, streams: output };
    const child = spawnProcess({
      cmd,
      cwd,
      env,
      onOutput: (stream, chunk) => {
        this.lines(stream, output.push(stream, chunk), run);
        // Backpressure instead of dropping: stop reading until the log file caught up.
        if (this.file.congested && !paused) {
          paused = true;
          child.pause();
          this.file.onDrain(() => {
            paused = false;
            child.resume();
          });
        }
      },
    });
    let paused = false;
    this.child = child;
    if (child.spawnError) {
      this.setError(child.spawnError.message);
      this.system(child.spawnError.message);
    } else {
      this.ctx.recordPid(this.cfg.name, child.pid, child.startTime);
      this.system(`started pid ${child.pid} (run ${run}${reason === 'initial' ? '' : `, ${reason}`}): ${cmd}`);
    }
    this.setState(this.cfg.health_check ? 'STARTING' : 'RUNNING');
    void child.exited.then((exit) => {
      for (const stream of OUTPUT_STREAMS) this.lines(stream, output.end(stream), run);
      void this.enqueue(() => this.onExit(run, child, exit));
    });
    this.scheduleHealth(run);
  }

  /** The environment of the next process (see serviceEnv for the precedence). */
  private childEnv(): NodeJS.ProcessEnv {
    return serviceEnv(this.cfg, this.ctx.ports(), this.ctx.sandbox, this.fileEnv);
  }

  private async onExit(run: number, child: ChildHandle, exit: ChildExit): Promise<void> {
    if (this.child !== child || run !== this.run) return;
    // One reading of the clock: the exit's time and the next attempt's (now + backoff) must agree exactly.
    const now = this.ctx.clock.now();
    this.processGone(child, exit, now);
    this.healthTimer?.cancel();
    this.healthTimer = null;
    const how = formatExit(exit);
    if (!this.stopping) await this.stopLeftovers(child, how);
    if (this.stopping || !this.wanted) {
      this.system(`${how} (stopped)`);
      this.setState('STOPPED');
      return;
    }
    const portInUse = this.recentOutput.some((l) => PORT_IN_USE.test(l));
    const reason: RestartReason = this.killedForHealth
      ? 'unhealthy'
      : portInUse
        ? 'port-in-use'
        : this.cfg.service
          ? 'exited'
          : 'failed';
    const { state, decision } = decideOnExit(this.restartState, {
      exitCode: exit.code,
      signal: this.killedForHealth ? null : exit.signal,
      ranMs: now - child.startedAt,
      service: this.cfg.service,
      maxFailures: this.cfg.max_failures,
      minDurationSecs: this.cfg.min_duration,
      maxBackoffSecs: this.cfg.max_backoff_secs,
      stopRequested: false,
      now,
    });
    this.restartState = state;
    switch (decision.action) {
      case 'finish':
        this.system(`${how}: finished`);
        this.wanted = false;
        this.setState('FINISHED');
        return;
      case 'fail':
        this.system(`${how}: failed (${state.failures} of max_failures ${this.cfg.max_failures})`);
        this.wanted = false;
        this.setState('FAILED');
        return;
      case 'stop':
        this.setState('STOPPED');
        return;
      case 'restart': {
        if (portInUse) {
          await this.ctx.reallocatePorts(this.cfg.name);
          this.system('port in use: restarting on a fresh port');
        }
        const wait = decision.delayMs;
        this.lastDetail = null;
        this.system(wait > 0 ? `${how}; restarting in ${fmtSecs(wait)} (crash loop, backoff)` : `${how}; restarting`);
        if (wait > 0 && exit.code === 0 && this.cfg.service && !this.hintedForeground) {
          // supervisord's classic: a server that forks into the background and exits 0 at once.
          this.hintedForeground = true;
          this.system('a service that exits with code 0 right away may be daemonizing itself: Hearth needs it to stay in the foreground (e.g. redis-server --daemonize no, nginx -g "daemon off;")');
        }
        if (wait <= 0) {
          this.launch(reason);
          return;
        }
        this.nextAttemptAt = decision.at;
        this.lastReason = reason;
        this.setState('RESTARTING');
        this.restartTimer = this.ctx.clock.after(wait, () => {
          void this.enqueue(async () => {
            if (this.wanted && this.state === 'RESTARTING' && !this.child) this.launch(reason);
          });
        });
      }
    }
  }

  /**
   * The process exited on its own but left others running in its group: stop them as a stop does (its
   * stop_signal, then SIGKILL after shutdown_wait_secs) before the next run, which would otherwise find its port taken, and so that
   * nothing runs on unsupervised after the stack is stopped.
   */
  private async stopLeftovers(child: ChildHandle, how: string): Promise<void> {
    const left = groupLeftovers(child);
    if (left.length === 0) return;
    const one = left.length === 1;
    this.system(`${how} and left ${left.length} process${one ? '' : 'es'} running in its group (${left.join(', ')}): stopping ${one ? 'it' : 'them'}`);
    await stopTree(child, { lifecycle: this.cfg.lifecycle, onPhase: (m) => this.system(m) });
  }

  private async stopNow(): Promise<void> {
    this.wanted = false;
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.healthTimer?.cancel();
    this.healthTimer = null;
    // Stopped on purpose (a stop, a manual restart, a reload): the last run's verdict says nothing about
    // the next one, and a stopped or pending service shown "healthy" would be wrong. An instance killed
    // for failing its checks does not come through here, so its "unhealthy" stays while it restarts.
    this.health = initialHealth(this.cfg.health_check);
    const child = this.child;
    if (!child) {
      if (this.state !== 'FINISHED' && this.state !== 'FAILED' && this.state !== 'STOPPED') this.setState('STOPPED');
      return;
    }
    this.stopping = true;
    this.setState('STOPPING');
    try {
      const lifecyclePort = this.cfg.lifecycle.http ? this.ctx.ports()[this.cfg.name]?.[this.cfg.lifecycle.http.port] : undefined;
      await stopTree(child, { lifecycle: this.cfg.lifecycle, httpPort: lifecyclePort, onPhase: (m) => this.system(m) });
      const exit = await child.exited;
      // onExit runs on the queue after this op; settle the state here so stop() resolves STOPPED.
      if (this.child === child) {
        this.processGone(child, exit);
        // The log's last word on this run (onExit, which would say it, now finds the child gone).
        if (!child.spawnError) this.system(`${formatExit(exit)} (stopped)`);
      }
      this.setState('STOPPED');
    } finally {
      this.stopping = false;
    }
  }

  /** The current process exited (or was stopped): what it was is history, and its pid is no longer ours. */
  private processGone(child: ChildHandle, exit: ChildExit, at = this.ctx.clock.now()): void {
    this.child = null;
    this.resources = noProcess(this.resources); // not the last sample's figures until the next sample
    this.lastExit = { code: exit.code, signal: exit.signal, at };
    if (child.pid) this.ctx.forgetPid(child.pid);
  }

  private scheduleHealth(run: number): void {
    const hc = this.cfg.health_check;
    if (!hc) return;
    // On the shared grid (grid.ts): every service's check (and the status flush after) shares one wake-up.
    this.healthTimer = this.ctx.clock.after(nextCheckDelay(this.ctx.clock.now(), hc.interval_secs * 1000), () => void this.check(run));
  }

  /** The concrete probe; `forDisplay` skips building the child environment, which only a real check needs. */
  private probe(forDisplay = false): ResolvedProbe {
    const probe = this.cfg.health_check!.probe;
    const ports = this.ctx.ports()[this.cfg.name] ?? {};
    switch (probe.kind) {
      case 'http':
        return {
          kind: 'http',
          port: ports[probe.port]!,
          endpoint: probe.endpoint,
          expected_response: probe.expected_response,
          expected_response_code: probe.expected_response_code,
        };
      case 'tcp':
        return { kind: 'tcp', port: ports[probe.port]! };
      case 'shell':
        return { kind: 'shell', command: this.render(probe.shell_command), cwd: this.workDir(), env: forDisplay ? {} : this.childEnv() };
    }
  }

  private async check(run: number): Promise<void> {
    const hc = this.cfg.health_check;
    if (!hc || run !== this.run || !this.child) return;
    // The snooze file is looked at before every check, so `touch`/`rm` in a terminal takes effect at the next one.
    this.refreshSnooze();
    let result: 'success' | 'failure' | 'snoozed';
    let detail: string | undefined;
    if (this.snooze.snoozed) {
      result = 'snoozed';
    } else {
      const r = await runProbe(this.probe(), hc.timeout_secs * 1000);
      result = r.ok ? 'success' : 'failure';
      detail = r.detail;
    }
    if (run !== this.run || !this.child) return;
    const { state, verdict } = applyCheck(this.health, { at: this.ctx.clock.now(), result, detail });
    this.health = state;
    switch (verdict) {
      case 'became-healthy':
        this.system('healthy');
        this.setState('RUNNING');
        break;
      case 'unhealthy':
      case 'failed-start':
        this.system(verdict === 'unhealthy' ? `unhealthy after ${state.consecutive_failures} consecutive failures (${detail ?? 'check failed'}): killing` : `failed to become healthy within ${state.checks} checks (${detail ?? ''}): killing`);
        this.killedForHealth = true;
        this.ctx.onChange();
        void this.killForHealth(this.child);
        return;
      default:
        this.ctx.onChange();
    }
    this.scheduleHealth(run);
  }

  private async killForHealth(child: ChildHandle): Promise<void> {
    // Aurora kills an unhealthy instance; being a service, the exit then restarts it by policy.
    await stopTree(child, { lifecycle: this.cfg.lifecycle, onPhase: (m) => this.system(m) });
  }

  /** One chunk's lines to the ring, the file and the UIs: work per chunk, one small object per line. */
  private lines(stream: LogStream, { texts, truncated, ascii }: SplitBatch, run: number): void {
    const n = texts.length;
    if (n === 0) return;
    if (stream !== 'system') {
      this.recentOutput.push(...(n > RECENT_OUTPUT_LINES ? texts.slice(n - RECENT_OUTPUT_LINES) : texts));
      if (this.recentOutput.length > RECENT_OUTPUT_LINES) this.recentOutput.splice(0, this.recentOutput.length - RECENT_OUTPUT_LINES);
    }
    const ts = this.ctx.clock.now();
    const service = this.cfg.name;
    let seq = this.ctx.nextSeq(n);
    const out = new Array<LogLine>(n);
    for (let i = 0; i < n; i++) out[i] = { seq: seq++, service, run, ts, stream, text: texts[i]! };
    for (const i of truncated) out[i]!.truncated = true;
    this.ring.pushAll(out);
    this.file.writeLines(ts, stream, texts, ascii);
    this.ctx.onLines(out);
  }

  private system(text: string): void {
    this.lines('system', { texts: [text], truncated: [], ascii: false }, this.run);
  }
}

function fmtSecs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
