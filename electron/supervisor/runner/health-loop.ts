// The health checks of one service's current run: when to check, running the probe, and feeding each
// result into the pure verdict machine (../health/machine.ts), which alone decides healthy / unhealthy.
// This loop owns only the timing and the wiring; what a verdict does to the process (RUNNING, or a kill)
// is the runner's.
import type { HealthProbe, HealthView } from '../../../shared/types';
import type { Clock, Timer } from '../clock';
import type { HealthCheckConfig, ProbeConfig } from '../config/types';
import { applyCheck, healthSettings, healthView, initialHealth, type HealthMachineState } from '../health/machine';
import { probeTarget, runProbe, type ResolvedProbe } from '../health/probes';
import { firstCheck, stepSchedule, type ScheduleState } from '../health/check-schedule';
import { secs } from '../health/details';

export interface HealthLoopContext {
  clock: Clock;
  /** The current definition's check (a reload may change it), or null when it has none. */
  config(): HealthCheckConfig | null;
  /** The concrete probe, rendered now; `forDisplay` needs no child environment (status only). */
  probe(forDisplay: boolean): ResolvedProbe;
  /** Reads the snooze file now: true while checks are paused. */
  snoozed(): boolean;
  /** Whether run `run` still has its process (a result for a run that is over is dropped). */
  current(run: number): boolean;
  /** A line in the service's log. */
  note(text: string): void;
  /** The instance passed its checks: it is RUNNING. */
  onHealthy(): void;
  /** It failed them (unhealthy, or never became healthy), `why`: it must be killed. The loop has stopped. */
  onFailed(why: string): void;
  /** Every check, as the health history keeps it (result, latency, the streaks after it). */
  onProbe(probe: HealthProbe): void;
  /** The health view changed. */
  onChange(): void;
}

export class HealthLoop {
  private state: HealthMachineState;
  private timer: Timer | null = null;
  private schedule: ScheduleState | null = null;
  /** Aborts the check under way (a stop, or the next check due while it still runs). */
  private inFlight: AbortController | null = null;
  /** When the check under way started, and when it was due. */
  private inFlightSince = 0;
  private inFlightDue = 0;

  constructor(private readonly ctx: HealthLoopContext) {
    this.state = initialHealth(ctx.config());
  }

  /** Forgets the last run's verdict (a new run, or a stop on purpose). */
  reset(): void {
    this.state = initialHealth(this.ctx.config());
  }

  /** Checks `run` from now on (until cancel, a terminal verdict, or the run's end). */
  start(run: number): void {
    const hc = this.ctx.config();
    if (!hc) return;
    this.schedule = firstCheck(this.ctx.clock.now(), hc.interval_secs * 1000);
    this.arm(run);
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
    this.schedule = null;
    this.inFlight?.abort();
    this.inFlight = null;
  }

  view(snoozed: boolean): HealthView {
    const hc = this.ctx.config();
    const settings = hc ? healthSettings(hc, probeTarget(this.ctx.probe(true))) : null;
    return healthView(this.state, settings, snoozed);
  }

  /** The timer for the next due check (on the shared grid: every service's check shares one wake-up). */
  private arm(run: number): void {
    if (!this.schedule) return;
    this.timer = this.ctx.clock.after(Math.max(0, this.schedule.due - this.ctx.clock.now()), () => this.due(run));
  }

  private due(run: number): void {
    const hc = this.ctx.config();
    if (!hc || !this.schedule || !this.ctx.current(run)) return;
    const now = this.ctx.clock.now();
    const begun = this.inFlightSince;
    const dueAt = this.schedule.due;
    const step = stepSchedule(this.schedule, { type: 'due', now }, hc.interval_secs * 1000);
    this.schedule = step.state;
    if (step.abandon) {
      // Never two at once: the check still running is a timeout, and the next one starts on time.
      this.inFlight?.abort();
      this.inFlight = null;
      const detail = `timeout: still running when the next check was due (interval ${secs(hc.interval_secs * 1000)}, timeout_secs ${secs(hc.timeout_secs * 1000)})`;
      if (!this.apply(run, 'failure', detail, now - begun, this.inFlightDue)) return;
    }
    this.arm(run);
    void this.check(run, hc, dueAt);
  }

  private async check(run: number, hc: HealthCheckConfig, due: number): Promise<void> {
    // The snooze file is looked at before every check, so `touch`/`rm` in a terminal takes effect at the next one.
    if (this.ctx.snoozed()) {
      this.schedule = this.schedule && stepSchedule(this.schedule, { type: 'result' }, hc.interval_secs * 1000).state;
      this.apply(run, 'snoozed', undefined, null, due);
      return;
    }
    const abort = new AbortController();
    this.inFlight = abort;
    const begun = this.ctx.clock.now();
    this.inFlightSince = begun;
    this.inFlightDue = due;
    const r = await runProbe(this.ctx.probe(false), hc.timeout_secs * 1000, abort.signal);
    if (abort.signal.aborted) return; // abandoned (counted already) or cancelled
    this.inFlight = null;
    if (this.schedule) this.schedule = stepSchedule(this.schedule, { type: 'result' }, hc.interval_secs * 1000).state;
    this.apply(run, r.ok ? 'success' : 'failure', r.detail, this.ctx.clock.now() - begun, due);
  }

  /** One result into the verdict machine; false when the loop stopped (a terminal verdict, the run's end). */
  private apply(run: number, result: 'success' | 'failure' | 'snoozed', detail: string | undefined, latency: number | null, due: number): boolean {
    if (!this.ctx.current(run)) return false;
    const at = this.ctx.clock.now();
    const { state, verdict } = applyCheck(this.state, { at, result, detail });
    this.state = state;
    // As the machine recorded it ('ignored' for a failure in the grace window).
    const recorded = state.history[state.history.length - 1]?.result ?? result;
    this.ctx.onProbe({ at, due, result: recorded, latency_ms: latency, ...(detail !== undefined ? { detail } : {}), failures: state.consecutive_failures, successes: state.consecutive_successes });
    switch (verdict) {
      case 'became-healthy':
        this.ctx.note('healthy');
        this.ctx.onHealthy();
        break;
      case 'unhealthy':
      case 'failed-start':
        this.ctx.note(
          verdict === 'unhealthy'
            ? `unhealthy after ${state.consecutive_failures} consecutive failures (${detail ?? 'check failed'}): killing`
            : `failed to become healthy within ${state.checks} checks (${detail ?? ''}): killing`,
        );
        this.cancel();
        this.ctx.onFailed(
          verdict === 'unhealthy'
            ? `${state.consecutive_failures} consecutive failures (max_consecutive_failures ${state.max_consecutive_failures})`
            : `not healthy within ${state.checks} checks (n = ${state.start_deadline_checks})`,
        );
        return false;
      default:
        this.ctx.onChange();
    }
    return true;
  }
}

/** The concrete probe of `probe` with the service's ports; a shell check's command is rendered by `shell`. */
export function resolveProbe(
  probe: ProbeConfig,
  ports: Record<string, number>,
  shell: (template: string) => Omit<Extract<ResolvedProbe, { kind: 'shell' }>, 'kind'>,
): ResolvedProbe {
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
      return { kind: 'shell', ...shell(probe.shell_command) };
  }
}
