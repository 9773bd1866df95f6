// The resolved stack: what the loader returns after validation, with every default filled in
// (defaults are filled in exactly one place: ./defaults.ts). Templates are still unrendered here;
// they are rendered by ./templates.ts once ports are allocated.
import type { ConfigIssue, HealthCheckKind } from '../../../shared/types';
import type { KILL_MODES, STOP_SIGNALS } from './schema';

export interface ShellConfig {
  shell_command: string;
  shell_argument: string;
}

export type DependencyCondition = 'healthy' | 'started' | 'completed';
export type StopSignal = (typeof STOP_SIGNALS)[number];
export type KillMode = (typeof KILL_MODES)[number];

export interface HttpCheckConfig {
  kind: 'http';
  port: string; // port NAME
  endpoint: string;
  expected_response: string | null; // null = body not checked
  expected_response_code: number; // 0 = any non-error status
}
export interface TcpCheckConfig {
  kind: 'tcp';
  port: string;
}
export interface ShellCheckConfig {
  kind: 'shell';
  shell_command: string; // template
}
export type ProbeConfig = HttpCheckConfig | TcpCheckConfig | ShellCheckConfig;

export interface HealthCheckConfig {
  probe: ProbeConfig;
  initial_interval_secs: number;
  interval_secs: number;
  max_consecutive_failures: number;
  min_consecutive_successes: number;
  timeout_secs: number;
}

export interface LifecycleConfig {
  http: { port: string; graceful_shutdown_endpoint: string; shutdown_endpoint: string } | null;
  graceful_shutdown_wait_secs: number;
  /** First signal of the stop, to the group and every descendant. */
  stop_signal: StopSignal;
  shutdown_wait_secs: number; // stop_signal -> SIGKILL grace, always applies
  /** group: stop_signal to the group and what left it; mixed: to the group only, the rest SIGKILLed after the grace. */
  kill_mode: KillMode;
}

export interface LogConfig {
  /** Rotate a service's log file when it reaches this size. */
  max_bytes: number;
  /** Rotated files kept besides the current one. */
  keep: number;
  /** Lines kept in memory per service for the UI. */
  ring_lines: number;
  /** Bytes those lines may take (log-ring.ts lineBytes). */
  ring_bytes: number;
  /** Longer lines are cut and marked truncated. */
  max_line_bytes: number;
}

export interface StackLogConfig {
  /** Bytes every service's in-memory lines may take together. */
  total_ring_bytes: number;
}

/** A dotenv file, resolved: an absolute path, and whether a missing file is an error. */
export interface EnvFileRef {
  path: string;
  required: boolean;
}

/** Restart on change. Paths/globs are relative to the service's (rendered) cwd. */
export interface WatchConfig {
  paths: string[];
  /** User globs; .hearth, node_modules and .git are ignored on top of these. */
  ignore: string[];
  debounce_ms: number;
}

/** Resource thresholds: they only warn (Hearth never kills for them). */
export interface ResourcesConfig {
  /** RSS of the whole process tree above which the service is flagged, or null. */
  ram_bytes: number | null;
}

export interface ServiceConfig {
  /** The instance name: the stack file key, or `KEY.i` for instance i of a replicated service. */
  name: string;
  /** The stack file key this instance comes from. */
  group: string;
  /** Index within the group (`{{thermos.instance}}`); 0 when not replicated. */
  instance: number;
  /** How many instances the group has (`replicas:`, default 1). */
  replicas: number;
  cmd: string; // template, run with /bin/sh -c (plain words: started directly, see process/direct-exec.ts)
  cwd: string; // template; relative paths resolve against the stack folder
  env: Record<string, string>; // values are templates
  depends_on: Record<string, DependencyCondition>;
  /** Every port NAME the service owns (declared in `ports:` or used in any of its templates) -> preferred port or null. */
  ports: Record<string, number | null>;
  health_check: HealthCheckConfig | null;
  lifecycle: LifecycleConfig;
  /** false: left stopped by `hearth up` / Start all until it is named or a dependent starts. */
  autostart: boolean;
  service: boolean;
  max_failures: number;
  min_duration: number; // seconds
  max_backoff_secs: number;
  logs: LogConfig;
  /** The stack's env files, then the service's own, in precedence order (later wins). Read at every start. */
  env_files: EnvFileRef[];
  watch: WatchConfig | null;
  resources: ResourcesConfig;
  /** The stack's `shell:`, or null for the platform's own (/bin/sh -c; cmd.exe on Windows). */
  shell: ShellConfig | null;
  /** Stable fingerprint of the definition, for reload diffs. */
  fingerprint: string;
}

export interface StackConfig {
  name: string;
  file: string; // absolute
  dir: string; // absolute
  port_range: [number, number];
  snooze_warn_after_secs: number;
  /** Stack-level env files (also included at the front of every service's env_files). */
  env_files: EnvFileRef[];
  logs: StackLogConfig;
  services: Record<string, ServiceConfig>; // in file order
}

/** `warnings`: what may still be fine at run time but probably is not (a cwd that does not exist yet). */
export type LoadResult = { ok: true; stack: StackConfig; warnings?: ConfigIssue[] } | { ok: false; errors: ConfigIssue[] };

export type { HealthCheckKind };
