// Types that cross from the supervisor to every UI (CLI, web host, Electron renderer, tray).
// Plain TypeScript only: no Node, DOM or Electron imports may appear in shared/.
//
// Wire field names are snake_case on purpose: they follow Aurora's configuration vocabulary
// (`consecutive_failures`, `interval_secs`, ...) and are what `hearth status --json` prints.

/** Lifecycle state of one service instance, as `hearth status` reports it. */
export const SERVICE_STATES = [
  'PENDING', // waiting for dependencies or for `start`
  'STARTING', // process running, health not yet established (grace / min successes)
  'RUNNING', // process running and healthy (or running with no health check)
  'RESTARTING', // exited; waiting for the next attempt (see next_attempt_at)
  'STOPPING', // stop requested; SIGTERM sent, waiting for exit
  'STOPPED', // stopped explicitly (or never started)
  'FINISHED', // a job that exited 0
  'FAILED', // a job that used up max_failures, or failed its health start
] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/** Why a service is STOPPING without a stop having been asked for (see ServiceStatus.stop_reason). */
export type StopReason = 'unhealthy';

export const HEALTH_STATUSES = ['healthy', 'unhealthy', 'unknown', 'snoozed', 'none'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export type HealthCheckKind = 'http' | 'tcp' | 'shell';

/** Result of one health check, kept in a short history for the UI's streak strip. */
export type HealthCheckResult = 'success' | 'failure' | 'snoozed' | 'ignored';
export interface HealthCheckRecord {
  at: number; // epoch ms
  result: HealthCheckResult; // 'ignored' = a failure inside the grace period
  detail?: string; // e.g. "HTTP 500", "timeout after 1s", "connection refused"
}

/** The fully-defaulted Aurora HealthCheckConfig of a service (seconds, as in Aurora). */
export interface HealthCheckSettings {
  kind: HealthCheckKind;
  /** Human description of the probe target: "GET http://localhost:20001/health", "tcp localhost:20002", "sh: curl …". */
  target: string;
  initial_interval_secs: number;
  interval_secs: number;
  max_consecutive_failures: number;
  min_consecutive_successes: number;
  timeout_secs: number;
}

/** Where an instance stands in Aurora's grace / min-successes / max-failures arithmetic. */
export type HealthPhase =
  | 'grace' // within the first m = ceil(initial/interval) checks: failures are ignored
  | 'warming' // past grace, not yet min_consecutive_successes in a row; start fails after n checks
  | 'running' // reached RUNNING; more than max_consecutive_failures in a row kills it
  | 'failed' // unhealthy verdict reached (killed, or failed its start)
  | 'idle'; // no process / no checks yet

export interface HealthView {
  status: HealthStatus;
  consecutive_successes: number;
  consecutive_failures: number;
  /** Checks performed in this run (snoozed ones included). */
  checks: number;
  phase: HealthPhase;
  /** m = ceil(initial_interval_secs / interval_secs) */
  grace_checks: number;
  /** n = m + max_consecutive_failures + min_consecutive_successes */
  start_deadline_checks: number;
  /** Newest last; capped (see HEALTH_HISTORY_CAP). */
  history: HealthCheckRecord[];
  settings: HealthCheckSettings | null;
  last_detail?: string;
}

export const HEALTH_HISTORY_CAP = 40;

/** One probe in a run's health history: its result, how long it took, and the streaks after it. */
export interface HealthProbe {
  /** When its result came in (epoch ms). */
  at: number;
  /**
   * When the check was due on its schedule (checks are due exactly interval_secs apart, health/check-schedule.ts).
   * It started at `at - latency_ms`: how much later than `due` is how late the supervisor's timer fired.
   */
  due: number;
  result: HealthCheckResult;
  /** Milliseconds the probe took; null for a snoozed check (not performed). */
  latency_ms: number | null;
  detail?: string;
  /** consecutive_failures / consecutive_successes right after this probe. */
  failures: number;
  successes: number;
}

export type HealthEventKind = 'started' | 'healthy' | 'killed' | 'exited' | 'stopped';

/** Something Hearth did or saw in a run: the process started, became healthy, was killed for its checks, exited. */
export interface HealthEvent {
  at: number;
  kind: HealthEventKind;
  detail?: string;
}

/** A time span when checks were paused (a snooze) or a capture ran; `to` null while it lasts. */
export interface HealthWindow {
  kind: 'snooze' | 'capture';
  from: number;
  to: number | null;
  detail?: string;
}

/** Why Hearth did what it did in one run: every probe against the run's grace, deadline and failure limit. */
export interface HealthRun {
  run: number;
  started_at: number;
  ended_at: number | null;
  /** What started this run ('initial', 'unhealthy', …). */
  reason: RestartReason | null;
  interval_secs: number;
  initial_interval_secs: number;
  /** m: failures among the first m checks are forgiven. */
  grace_checks: number;
  /** n: not healthy within n checks fails the start. */
  start_deadline_checks: number;
  max_consecutive_failures: number;
  min_consecutive_successes: number;
  /** Oldest first; capped (HEALTH_PROBES_PER_RUN), the oldest dropped first. */
  probes: HealthProbe[];
  /** Probes dropped from the front to stay within the cap. */
  dropped_probes: number;
  events: HealthEvent[];
  windows: HealthWindow[];
}

/** Runs kept per service, and probes kept per run (an hour of 5 s checks). */
export const HEALTH_RUNS_KEPT = 5;
export const HEALTH_PROBES_PER_RUN = 720;

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: number; // epoch ms
}

/** Why the most recent (re)start happened; shown in the UI and status. */
export type RestartReason =
  | 'initial'
  | 'exited' // service exited (any code) and restarts by policy
  | 'failed' // job exited non-zero
  | 'unhealthy' // killed by health checks
  | 'port-in-use' // died with EADDRINUSE: restarted on a fresh port
  | 'manual' // restart command
  | 'config-changed' // reload changed its definition
  | 'file-changed'; // watch: a file changed

/** One resource sample of a service's whole process tree. */
export interface ResourceSample {
  at: number; // epoch ms
  /** CPU of the tree over the last interval; 100 = one core busy (can exceed 100 on several cores). */
  cpu_percent: number;
  /** Resident memory of every process in the tree, summed. */
  rss_bytes: number;
}

/** Per-service resource view (as the Thermos observer shows it), sampled from /proc every 2 s. */
export interface ServiceResources {
  cpu_percent: number;
  rss_bytes: number;
  /** Oldest first; capped (see RESOURCE_HISTORY_CAP). Kept across restarts of the service. */
  history: ResourceSample[];
  /** `resources.ram` of the service, or null. */
  ram_limit_bytes: number | null;
  /** RSS is above ram_limit_bytes (a warning: Hearth does not kill for it). */
  over_ram: boolean;
}

export const RESOURCE_HISTORY_CAP = 60;

/** What `hearth capture` takes: a CPU profile, a heap snapshot, a core dump, or every thread's stack. */
export const CAPTURE_KINDS = ['cpu', 'heap', 'core', 'threads'] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** What runs in a service's main process, as read from the process itself (its executable, argv, a Go build id). */
export type CaptureRuntime = 'node' | 'python' | 'go' | 'jvm' | 'native';

/** How a capture file is read: the formats the flame graph (speedscope) opens, and the rest. */
export type CaptureFormat = 'cpuprofile' | 'speedscope' | 'pprof' | 'perf-script' | 'heapsnapshot' | 'core' | 'text';

/** One finished capture, as listed in status and the UI (its file is under .hearth/captures/<service>/). */
export interface CaptureInfo {
  service: string;
  kind: CaptureKind;
  /** The tool that made it: node-inspector, py-spy, pprof, perf, gcore, gdb, sigquit. */
  engine: string;
  format: CaptureFormat;
  /** Absolute path of the file. */
  file: string;
  /** File name alone (<time>-<kind>.<ext>): what the UI and the web host name it by. */
  name: string;
  bytes: number;
  started_at: number;
  duration_ms: number;
  pid: number;
  /**
   * Which process that is and why: "node (pid 12)", or "node (pid 12), under npm (pid 10) → sh (pid 11)"
   * when the service's command is a wrapper (npm start, npx, yarn, a shell) that runs the app as a child.
   */
  target?: string;
  run: number;
  /** The command (or place) that opens it outside Hearth, e.g. `gdb /usr/bin/node FILE`. */
  open_with: string;
  /** The UI can show it as a flame graph. */
  flame: boolean;
}

/** Whether a kind of capture can be taken of a service now, with what, and why not when it cannot. */
export interface CaptureMethod {
  kind: CaptureKind;
  engine: string | null;
  available: boolean;
  /** How it is taken, or why it is missing ("py-spy not found: pip install py-spy"). */
  detail: string;
}

export interface CaptureTools {
  service: string;
  pid: number | null;
  runtime: CaptureRuntime | null;
  methods: CaptureMethod[];
}

/** A capture (or a debugging session) under way: its service is snoozed with this reason until it ends. */
export interface CaptureRunning {
  kind: CaptureKind | 'debug';
  engine: string;
  started_at: number;
  /** When a timed capture ends; null for `hearth debug` (until the debugger detaches). */
  until: number | null;
  /** For `hearth debug`: where a debugger attaches, and whether one is attached now. */
  debug?: { url: string; port: number; attached: boolean };
}

export const CAPTURES_IN_STATUS = 10;

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  pid: number | null;
  restarts: number;
  ports: Record<string, number>;
  sandbox: string;
  snoozed: boolean;
  /** Epoch ms when the snooze file appeared (file mtime), or null. */
  snoozed_since: number | null;
  /** Epoch ms when a timed snooze ends, or null for an untimed one. */
  snooze_until: number | null;
  health: HealthView;
  /** true for a service, false for a job (`service: false`). */
  service: boolean;
  depends_on: string[];
  /** Epoch ms the current process started, or null. */
  started_at: number | null;
  /** Epoch ms of the next restart attempt while RESTARTING, or null. */
  next_attempt_at: number | null;
  /** Current backoff wait in ms (0 when not flapping). */
  backoff_ms: number;
  /** Consecutive short runs (flapping) — a crash loop when >= 2. */
  flaps: number;
  failures: number;
  max_failures: number;
  last_exit: ExitInfo | null;
  last_restart_reason: RestartReason | null;
  /**
   * What exactly caused the last restart, when there is more to say than the reason: for
   * 'file-changed', the changed path (relative to the service's cwd), e.g. "src/app.ts (+2 more)".
   * Always set by the supervisor; optional only so older producers still type-check.
   */
  last_restart_detail?: string | null;
  /**
   * CPU and memory of the process tree; null while the service has no process (or where /proc does
   * not exist). Always set by the supervisor; optional only so older producers still type-check.
   */
  resources?: ServiceResources | null;
  /** Why the snooze file is there when Hearth made it for something ('capture', 'debug'); null for a user's snooze. */
  snooze_reason?: string | null;
  /** The capture or debugging session under way, or null. */
  capture?: CaptureRunning | null;
  /** The newest captures of this service, newest first (at most CAPTURES_IN_STATUS). */
  captures?: CaptureInfo[];
  /**
   * Why a STOPPING service is being stopped when nobody asked for it: 'unhealthy' while it is killed for
   * failing its health checks (stop signal sent, SIGKILL after the grace; a service restarts after).
   * null otherwise. Always set by the supervisor; optional only so older producers still type-check.
   */
  stop_reason?: StopReason | null;
  /** A human-readable problem with this service (log folder unwritable, spawn error, …). */
  error: string | null;
  /** The command line after template substitution. */
  cmd: string;
  /**
   * The stack file's service key this instance belongs to (`api` for `api.0`; the name itself when
   * not replicated). Always set by the supervisor; optional only so older producers still type-check.
   */
  group?: string;
  /**
   * false (`autostart: false`): `hearth up` and Start all leave it stopped until it is started by name.
   * Always set by the supervisor; optional only so older producers still type-check.
   */
  autostart?: boolean;
  /** Instance index within the group (`{{thermos.instance}}`); 0 when not replicated. */
  instance?: number;
  /** Run counter: increments for every spawned process; log lines carry it. */
  run: number;
}

/** A problem in a stack file, with its position. Line and column are 1-based. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. "services.api.health_check.interval_secs". */
  path: string;
  message: string;
}

export interface StackInfo {
  name: string;
  file: string;
  dir: string;
  /** Errors of the last load or reload; a failed reload keeps the running stack. */
  config_errors: ConfigIssue[];
  /** Epoch ms of the last successful load. */
  loaded_at: number | null;
  /** Seconds after which an untimed snooze is flagged as forgotten (default 1800). */
  snooze_warn_after_secs: number;
}

/**
 * Signals `hearth signal` sends to a service's process (supervisorctl's `signal`, pm2's `sendSignal`): reload
 * a config (HUP), open Node's inspector (USR1), dump threads (QUIT), or kill it to see it come back.
 * Not STOP/CONT: a frozen process fails its checks and cannot be stopped cleanly.
 */
export const SERVICE_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGKILL', 'SIGWINCH'] as const;
export type ServiceSignal = (typeof SERVICE_SIGNALS)[number];

export type LogStream = 'stdout' | 'stderr' | 'system';
/** What a process writes (the supervisor's own lines are 'system'). */
export type OutputStream = Exclude<LogStream, 'system'>;

export interface LogLine {
  /** Stack-wide, strictly increasing sequence number. */
  seq: number;
  service: string;
  /** Process run number (ServiceStatus.run) the line came from; 0 for supervisor lines before any run. */
  run: number;
  ts: number; // epoch ms
  stream: LogStream;
  text: string;
  /** The line was longer than the cap and was cut; text ends where the cap is. */
  truncated?: boolean;
}

/**
 * The unfinished last line of a service's stdout or stderr: output that has not ended with a newline, such
 * as a debugger's "(Pdb) " prompt waiting for input. It becomes a LogLine, whole, once its newline comes.
 */
export interface PartialLine {
  service: string;
  stream: OutputStream;
  run: number;
  /** Where `text` starts in the unfinished line: characters of it that were told before (0 = from its start). */
  offset: number;
  text: string;
}

export interface StackSnapshot {
  stack: StackInfo | null;
  services: ServiceStatus[];
  /** Recent lines of every service (a bounded tail), oldest first. */
  logs: LogLine[];
  /** Unfinished last lines of running services (a prompt waiting for input), whole; absent means none. */
  partial?: PartialLine[];
  /** Epoch ms on the supervisor's clock when the snapshot was taken. */
  now: number;
}

/**
 * Allowed service names (also used for sandbox folder names, so no path tricks). A dot appears only
 * before an instance number: `api.0` is instance 0 of a service with `replicas:` (never `/`, never `..`).
 */
export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*(\.[0-9]{1,2})?$/;
