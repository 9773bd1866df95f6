// One service instance's lifecycle: start, stop, restart (serialized), the process of each run, and the
// restart policy when it exits. What the runner delegates, one file each:
//   output-fanout.ts     every line to the ring, the log file and the UIs
//   health-loop.ts       the checks of the current run (verdicts: ../health/machine.ts)
//   snooze-tracker.ts    the .healthchecksnooze file, watched
//   resource-tracker.ts  CPU/RSS of the tree, from the stack's sampler
//   health-history.ts    every run's probes, verdicts and snooze/capture windows (the health timeline)
//   child-stop.ts        leftovers of a run that exited, and a stopped process's late exit
//   lock-conflict.ts     a run that ended on a lock file another process holds
//   ../capture/          captures of the process, each under its own snooze (controller.ts)
// Decisions are pure modules (health/machine, restart-policy); this class wires them to processes and timers.
import { mkdirSync } from 'node:fs';
import type { HealthRun, LogLine, PartialLine, RestartReason, ServiceSignal, ServiceState, ServiceStatus } from '../../../shared/types';
import type { Clock, Timer } from '../clock';
import type { ServiceConfig } from '../config/types';
import { templateServiceRefs } from '../config/templates';
import { decideOnExit, initialRestartState, type RestartState } from '../restart-policy';
import { spawnProcess, type ChildExit, type ChildHandle } from '../process/spawn';
import { mainPids, signalMain, stopTree } from '../process/kill-tree';
import type { ProcessPlatform } from '../process/platform/types';
import { CaptureController } from '../capture/controller';
import { capturesDirOf } from '../layout';
import { HealthHistory } from './health-history';
import { settleLockConflict } from './lock-conflict';
import { exitWithin, stopLeftovers } from './child-stop';
import { loadEnvFiles } from '../config/env-file';
import { renderFor, serviceEnv, serviceWorkDir } from '../service-env';
import { formatExit } from '../../../shared/format-exit';
import type { TreeUsage } from '../resources/proc-usage';
import type { ResolvedProbe } from '../health/probes';
import type { LogBudget } from '../logs/log-ring';
import { OutputFanout } from './output-fanout';
import { HealthLoop, resolveProbe } from './health-loop';
import { SnoozeTracker } from './snooze-tracker';
import { ResourceTracker } from './resource-tracker';

/** What the runner needs from its supervisor. */
export interface RunnerContext {
  clock: Clock;
  /** Every spawn, signal and tree walk goes through it (process/platform/). */
  platform: ProcessPlatform;
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
  /** The bytes every service's ring may hold together. */
  logBudget: LogBudget;
  onChange(): void;
  recordPid(service: string, pid: number, startTime: number | null): void;
  forgetPid(pid: number): void;
}

/** Output that means "the port was taken": the child is restarted on a fresh port. */
const PORT_IN_USE = /EADDRINUSE|address already in use/i;

export class ServiceRunner {
  private state: ServiceState = 'STOPPED';
  private child: ChildHandle | null = null;
  /** The fallback from real pipes to socketpairs was logged (stdioNote). */
  private stdioNoted = false;
  private run = 0;
  private restarts = 0;
  private restartState: RestartState = initialRestartState();
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
  private error: string | null = null;
  private waitingFor: string | null = null;
  /** The "does it daemonize itself?" hint was given (once per service is enough). */
  private hintedForeground = false;
  private renderedCmd = '';
  private readonly out: OutputFanout;
  /** A line from Hearth in this service's log. */
  private readonly say = (text: string): void => this.out.system(text);
  private readonly snooze: SnoozeTracker;
  private readonly health: HealthLoop;
  private readonly resources: ResourceTracker;
  private readonly history = new HealthHistory();
  /** Captures of this service (cpu, heap, core, threads), each under its own snooze. */
  readonly captures: CaptureController;
  /** Serializes start/stop/restart so interleaved commands never leave two processes running. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    public cfg: ServiceConfig,
    private readonly ctx: RunnerContext,
  ) {
    const note = (text: string): void => this.out.system(text);
    const onChange = (): void => this.ctx.onChange();
    this.out = new OutputFanout(cfg, ctx);
    this.snooze = new SnoozeTracker({
      clock: ctx.clock,
      sandbox: ctx.sandbox,
      note,
      onChange: (before, after) => {
        const at = ctx.clock.now();
        if (before.snoozed && (!after.snoozed || after.reason !== before.reason)) this.history.record({ type: 'window-close', at, kind: 'snooze' });
        if (after.snoozed) this.history.record({ type: 'window-open', at, kind: 'snooze', ...(after.reason ? { detail: after.reason } : {}) });
        onChange();
      },
    });
    this.health = new HealthLoop({
      clock: ctx.clock,
      config: () => this.cfg.health_check,
      probe: (forDisplay) => this.probe(forDisplay),
      snoozed: () => this.snooze.check(),
      current: (run) => run === this.run && this.child !== null,
      note,
      onHealthy: () => {
        this.history.record({ type: 'event', event: { at: ctx.clock.now(), kind: 'healthy' } });
        this.setState('RUNNING');
      },
      onProbe: (probe) => this.history.record({ type: 'probe', probe }),
      onFailed: (why) => {
        this.history.record({ type: 'event', event: { at: ctx.clock.now(), kind: 'killed', detail: why } });
        this.killedForHealth = true;
        // STOPPING for the whole kill (up to shutdown_wait_secs before the SIGKILL): not RUNNING any more.
        this.setState('STOPPING');
        // Aurora kills an unhealthy instance; being a service, the exit then restarts it by policy.
        if (this.child) void stopTree(this.child, { lifecycle: this.cfg.lifecycle, platform: ctx.platform, onPhase: note });
      },
      onChange,
    });
    this.resources = new ResourceTracker(note, onChange);
    this.captures = new CaptureController({
      name: cfg.name,
      sandbox: ctx.sandbox,
      capturesDir: capturesDirOf(ctx.stackDir, cfg.name),
      clock: ctx.clock,
      platform: ctx.platform,
      target: () => this.captureTarget(),
      ports: () => ({ ...(this.ctx.ports()[this.cfg.name] ?? {}) }),
      note,
      tapOutput: (listener) => this.out.tap(listener),
      recentOutput: () => this.out.runLines(this.run),
      snoozeChanged: () => void this.snooze.check(),
      timeline: (input) => this.history.record(input),
      onChange,
    });
    // A capture snooze left by a Hearth that crashed mid-capture: nobody else would remove it.
    this.captures.recoverOrphanedSnooze();
    this.renderedCmd = this.render(cfg.cmd);
  }

  /** The health history of the last runs, oldest first. */
  healthHistory(): HealthRun[] {
    return this.history.runs;
  }

  /** The process a capture is of: the command's own (what /bin/sh started), or null without one. */
  private captureTarget(): { pid: number; run: number } | null {
    const child = this.child;
    if (!child || child.spawnError || !child.pid) return null;
    return { pid: mainPids(child, this.ctx.platform)[0] ?? child.pid, run: this.run };
  }

  get name(): string {
    return this.cfg.name;
  }
  get logPath(): string {
    return this.out.logPath;
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
      if (detail !== null) this.out.system(`${reason.replaceAll('-', ' ')}: ${detail}; restarting`);
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
      if (this.wanted && this.state === 'PENDING' && !this.child) await this.launch(this.lastReason ?? 'initial');
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
  async signal(signal: ServiceSignal): Promise<number[]> {
    const child = this.child;
    if (!child?.pid) return [];
    const sent = await signalMain(child, signal, this.ctx.platform);
    if (sent.length > 0) {
      const what = child.viaShell && sent[0] !== child.pid ? ` (started by /bin/sh, pid ${child.pid})` : '';
      this.out.system(`${signal} sent to pid ${sent.join(', ')}${what} (hearth signal)`);
    }
    return sent;
  }

  snoozeFor(forSecs: number | undefined): number | null {
    return this.snooze.snoozeFor(forSecs);
  }

  unsnooze(): void {
    this.snooze.unsnooze();
  }

  /** A supervisor-side note in this service's log (e.g. what `watch:` is watching). */
  note(text: string): void {
    this.out.system(text);
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
    return this.resources.hasBaseline;
  }

  /** One sample of the tree (null: no process). Warns once each time RSS crosses resources.ram. */
  applyResources(usage: TreeUsage | null, at: number, clockTicks: number): void {
    this.resources.apply(usage, at, clockTicks, this.cfg.resources.ram_bytes);
  }

  clearLogs(): void {
    this.out.clear();
  }

  tail(n: number): LogLine[] {
    return this.out.tail(n);
  }

  /** The running process's unfinished lines, whole (a prompt waiting for input). */
  partialLines(): PartialLine[] {
    return this.out.partialLines();
  }

  /** Replace the definition (reload); the caller restarts the service if it was running. */
  updateConfig(cfg: ServiceConfig): void {
    this.cfg = cfg;
    this.out.setLimits(cfg.logs);
    this.renderedCmd = this.render(cfg.cmd);
  }

  async dispose(): Promise<void> {
    await this.captures.dispose();
    this.snooze.dispose();
    await this.stop();
    await this.out.close();
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

  status(): ServiceStatus {
    const snooze = this.snooze.current;
    const fileError = this.out.fileError;
    return {
      name: this.cfg.name,
      state: this.state,
      pid: this.child?.pid || null, // 0: a start that failed has no process
      restarts: this.restarts,
      ports: { ...(this.ctx.ports()[this.cfg.name] ?? {}) },
      sandbox: this.ctx.sandbox,
      snoozed: snooze.snoozed,
      snoozed_since: snooze.since,
      snooze_until: snooze.until,
      snooze_reason: snooze.snoozed ? (snooze.reason ?? null) : null,
      capture: this.captures.current,
      captures: this.captures.recent(),
      health: this.health.view(snooze.snoozed),
      service: this.cfg.service,
      depends_on: Object.keys(this.cfg.depends_on),
      started_at: this.child?.pid ? this.child.startedAt : null,
      next_attempt_at: this.state === 'RESTARTING' ? this.nextAttemptAt : null,
      backoff_ms: this.restartState.backoffMs,
      flaps: this.restartState.flaps,
      failures: this.restartState.failures,
      max_failures: this.cfg.max_failures,
      last_exit: this.lastExit,
      last_restart_reason: this.lastReason,
      last_restart_detail: this.lastDetail,
      resources: this.resources.view,
      stop_reason: this.state === 'STOPPING' && this.killedForHealth && !this.stopping ? 'unhealthy' : null,
      error: this.error ?? (this.state === 'PENDING' ? this.waitingFor : null) ?? (fileError ? `log file: ${fileError}` : null),
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

  private render(template: string): string {
    return renderFor(this.cfg, this.ctx.ports(), template);
  }

  /** The environment of the next process (see serviceEnv for the precedence). */
  private childEnv(): NodeJS.ProcessEnv {
    return serviceEnv(this.cfg, this.ctx.ports(), this.ctx.sandbox, this.fileEnv);
  }

  /** The concrete probe; `forDisplay` skips building the child environment, which only a real check needs. */
  private probe(forDisplay: boolean): ResolvedProbe {
    return resolveProbe(this.cfg.health_check!.probe, this.ctx.ports()[this.cfg.name] ?? {}, (template) => ({
      command: this.render(template),
      cwd: this.workDir(),
      env: forDisplay ? {} : this.childEnv(),
      platform: this.ctx.platform,
      shell: this.cfg.shell,
    }));
  }

  private async launch(reason: RestartReason): Promise<void> {
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.nextAttemptAt = null;
    this.killedForHealth = false;
    let cmd: string;
    let cwd: string;
    let env: NodeJS.ProcessEnv;
    try {
      // mkdirSync returns the first folder it created, undefined when the sandbox was there already.
      // The snooze watch falls back to slow polling while the folder is missing: watch the new folder now.
      if (mkdirSync(this.ctx.sandbox, { recursive: true }) !== undefined) this.snooze.rewatch();
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
    this.health.reset();
    const startedAt = this.ctx.clock.now();
    this.history.record({ type: 'run-start', at: startedAt, run, reason, check: this.cfg.health_check });
    this.history.record({ type: 'event', event: { at: startedAt, kind: 'started', detail: reason } });
    let child: ChildHandle | null = null;
    const onOutput = this.out.beginRun(run, this.cfg.logs.max_line_bytes, () => child!);
    child = await spawnProcess({ cmd, cwd, env, onOutput, platform: this.ctx.platform, shell: this.cfg.shell });
    this.child = child;
    if (child.spawnError) {
      // It never ran: no "started" line, no RUNNING; its exit (127) goes through the restart policy as a
      // flap, so a command that cannot start backs off with the reason in status, instead of looping.
      this.setError(child.spawnError.message);
      this.out.system(child.spawnError.message);
    } else {
      const started = child;
      // The start time may still be being read (ps, CIM); the entry is only worth anything with it.
      void started.identified.then(() => {
        if (this.child === started) this.ctx.recordPid(this.cfg.name, started.pid, started.startTime);
      });
      this.out.system(`started pid ${child.pid} (run ${run}${reason === 'initial' ? '' : `, ${reason}`}): ${cmd}`);
      if (child.stdioNote && !this.stdioNoted) {
        this.stdioNoted = true; // once: it is the machine's, not the run's
        this.out.system(child.stdioNote);
      }
      this.setState(this.cfg.health_check ? 'STARTING' : 'RUNNING');
      this.health.start(run);
    }
    const exiting = child;
    // The exit is where the writer of its pipes changes: a line it left unfinished is not continued by a grandchild's.
    void exiting.exitSeen.then(() => this.out.breakRun(run));
    void exiting.exited.then((exit) => {
      this.out.endRun(run);
      void this.enqueue(() => this.onExit(run, exiting, exit));
    });
  }

  private async onExit(run: number, child: ChildHandle, exit: ChildExit): Promise<void> {
    if (this.child !== child || run !== this.run) return;
    // One reading of the clock: the exit's time and the next attempt's (now + backoff) must agree exactly.
    const now = this.ctx.clock.now();
    this.processGone(child, exit, now);
    this.history.record({ type: 'event', event: { at: now, kind: this.stopping ? 'stopped' : 'exited', detail: formatExit(exit) } });
    this.history.record({ type: 'run-end', at: now });
    this.health.cancel();
    const how = formatExit(exit);
    if (!this.stopping && !child.spawnError) await stopLeftovers(child, how, { lifecycle: this.cfg.lifecycle, platform: this.ctx.platform, say: this.say });
    if (this.stopping || !this.wanted) {
      this.out.system(`${how} (stopped)`);
      this.setState('STOPPED');
      return;
    }
    // The run ended on a lock file another process holds: say who, and wait for a zombie to go (lock-conflict.ts).
    const held = await settleLockConflict(this.out.runLines(run, 50), this.ctx.platform, this.say);
    if (held) this.setError(held);
    const portInUse = this.out.saidRecently(PORT_IN_USE);
    const reason: RestartReason = this.killedForHealth ? 'unhealthy' : portInUse ? 'port-in-use' : this.cfg.service ? 'exited' : 'failed';
    const { state, decision } = decideOnExit(this.restartState, {
      exitCode: exit.code,
      signal: this.killedForHealth ? null : exit.signal,
      ranMs: now - child.startedAt,
      service: this.cfg.service,
      maxFailures: this.cfg.max_failures,
      minDurationSecs: this.cfg.min_duration,
      maxBackoffSecs: this.cfg.max_backoff_secs,
      stopRequested: false,
      startFailed: child.spawnError !== null,
      now,
    });
    this.restartState = state;
    switch (decision.action) {
      case 'finish':
        this.out.system(`${how}: finished`);
        this.wanted = false;
        this.setState('FINISHED');
        return;
      case 'fail':
        this.out.system(`${how}: failed (${state.failures} of max_failures ${this.cfg.max_failures})`);
        this.wanted = false;
        this.setState('FAILED');
        return;
      case 'stop':
        this.setState('STOPPED');
        return;
      case 'restart': {
        if (portInUse) {
          await this.ctx.reallocatePorts(this.cfg.name);
          this.out.system('port in use: restarting on a fresh port');
        }
        const wait = decision.delayMs;
        this.lastDetail = null;
        this.out.system(wait > 0 ? `${how}; restarting in ${fmtSecs(wait)} (crash loop, backoff)` : `${how}; restarting`);
        if (wait > 0 && exit.code === 0 && this.cfg.service && !this.killedForHealth && !this.hintedForeground) {
          // supervisord's classic: a server that forks into the background and exits 0 at once. (Not one that
          // exited 0 on the stop signal of a health kill: that is a clean shutdown Hearth asked for.)
          this.hintedForeground = true;
          this.out.system('a service that exits with code 0 right away may be daemonizing itself: Hearth needs it to stay in the foreground (e.g. redis-server --daemonize no, nginx -g "daemon off;")');
        }
        if (wait <= 0) {
          await this.launch(reason);
          return;
        }
        this.nextAttemptAt = decision.at;
        this.lastReason = reason;
        this.setState('RESTARTING');
        this.restartTimer = this.ctx.clock.after(wait, () => {
          void this.enqueue(async () => {
            if (this.wanted && this.state === 'RESTARTING' && !this.child) await this.launch(reason);
          });
        });
      }
    }
  }

  private async stopNow(): Promise<void> {
    this.wanted = false;
    // A capture under way ends first (a CPU profile keeps what it has) and takes its snooze back.
    await this.captures.dispose();
    this.restartTimer?.cancel();
    this.restartTimer = null;
    this.health.cancel();
    // Stopped on purpose (a stop, a manual restart, a reload): the last run's verdict says nothing about
    // the next one, and a stopped or pending service shown "healthy" would be wrong. An instance killed
    // for failing its checks does not come through here, so its "unhealthy" stays while it restarts.
    this.health.reset();
    const child = this.child;
    if (!child) {
      if (this.state !== 'FINISHED' && this.state !== 'FAILED' && this.state !== 'STOPPED') this.setState('STOPPED');
      return;
    }
    this.stopping = true;
    this.setState('STOPPING');
    try {
      const lifecyclePort = this.cfg.lifecycle.http ? this.ctx.ports()[this.cfg.name]?.[this.cfg.lifecycle.http.port] : undefined;
      await stopTree(child, { lifecycle: this.cfg.lifecycle, platform: this.ctx.platform, httpPort: lifecyclePort, onPhase: this.say });
      const exit = await exitWithin(child, this.ctx.clock, this.say);
      // onExit runs on the queue after this op; settle the state here so stop() resolves STOPPED.
      if (this.child === child) {
        this.processGone(child, exit ?? { code: null, signal: null }, undefined, exit !== null);
        const at = this.ctx.clock.now();
        this.history.record({ type: 'event', event: { at, kind: 'stopped', detail: exit ? formatExit(exit) : 'no exit reported' } });
        this.history.record({ type: 'run-end', at });
        // The log's last word on this run (onExit, which would say it, now finds the child gone).
        if (!child.spawnError && exit) this.out.system(`${formatExit(exit)} (stopped)`);
      }
      this.setState('STOPPED');
    } finally {
      this.stopping = false;
    }
  }

  /** The current process exited (or was stopped): what it was is history, and its pid is no longer ours. */
  private processGone(child: ChildHandle, exit: ChildExit, at = this.ctx.clock.now(), gone = true): void {
    this.child = null;
    this.resources.clear(); // not the last sample's figures until the next sample
    this.lastExit = { code: exit.code, signal: exit.signal, at };
    if (child.pid && gone) this.ctx.forgetPid(child.pid);
  }
}

function fmtSecs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}
