// Built-in defaults, in exactly one place. They are Apache Aurora's (HealthCheckConfig,
// HttpLifecycleConfig, Process) so a stack file reads the same as an Aurora job would.
// Precedence when resolving a service: BUILTIN_DEFAULTS < the stack's `defaults:` < the service.
import type { HealthCheckConfig, LifecycleConfig, LogConfig, StackLogConfig } from './types';

export type HealthTimings = Omit<HealthCheckConfig, 'probe'>;
export type LifecycleTimings = Omit<LifecycleConfig, 'http'>;

export interface BuiltinDefaults {
  port_range: [number, number];
  snooze_warn_after_secs: number;
  health_check: HealthTimings;
  http_check: { port: string; endpoint: string; expected_response: string | null; expected_response_code: number };
  /** Port name a probe or lifecycle uses when none is given, and whose presence implies an HTTP check. */
  health_port: string;
  lifecycle: LifecycleTimings;
  lifecycle_http: { graceful_shutdown_endpoint: string; shutdown_endpoint: string };
  autostart: boolean;
  service: boolean;
  max_failures: number;
  min_duration: number;
  max_backoff_secs: number;
  cwd: string;
  logs: LogConfig;
  /** The flag before the command line when the stack names a `shell:` without one. */
  shell_argument: string;
  /** The stack's own `logs:` (bounds over all services). */
  stack_logs: StackLogConfig;
  /** Quiet time after the last file change before a `watch:` restart. */
  watch_debounce_ms: number;
  /** Always ignored by `watch:` (any path segment with one of these names). */
  watch_ignored_dirs: readonly string[];
}

export const BUILTIN_DEFAULTS: Readonly<BuiltinDefaults> = Object.freeze({
  port_range: [20000, 29999],
  snooze_warn_after_secs: 1800,
  health_check: {
    initial_interval_secs: 15,
    interval_secs: 10,
    max_consecutive_failures: 0,
    min_consecutive_successes: 1,
    timeout_secs: 1,
  },
  http_check: { port: 'health', endpoint: '/health', expected_response: 'ok', expected_response_code: 0 },
  health_port: 'health',
  // kill_mode group: every process of the tree gets the stop signal, as Hearth always did (mixed is opt-in).
  lifecycle: { graceful_shutdown_wait_secs: 5, stop_signal: 'SIGTERM', shutdown_wait_secs: 5, kill_mode: 'group' },
  lifecycle_http: { graceful_shutdown_endpoint: '/quitquitquit', shutdown_endpoint: '/abortabortabort' },
  autostart: true,
  service: true,
  max_failures: 1,
  min_duration: 5,
  max_backoff_secs: 60,
  // Relative to the stack file's folder; kept relative (and as a template) until spawn time.
  cwd: '.',
  shell_argument: '-c',
  // ring_bytes: 5,000 lines of 100 characters take ~1.1 MB, so it bounds services with long lines.
  logs: { max_bytes: 10 * 1024 * 1024, keep: 3, ring_lines: 5000, ring_bytes: 4 * 1024 * 1024, max_line_bytes: 64 * 1024 },
  stack_logs: { total_ring_bytes: 64 * 1024 * 1024 },
  watch_debounce_ms: 300,
  // .hearth holds the sandboxes and log files: watching it would restart a service on its own output.
  watch_ignored_dirs: ['.hearth', 'node_modules', '.git'],
} satisfies BuiltinDefaults);

/** Field-wise merge where later layers win and `undefined` means "not set here". */
export function layer<T extends object>(base: T, ...overrides: Array<Partial<T> | undefined>): T {
  const out = { ...base };
  for (const o of overrides) {
    if (!o) continue;
    for (const key of Object.keys(o) as Array<keyof T>) {
      const v = o[key];
      if (v !== undefined) out[key] = v as T[keyof T];
    }
  }
  return out;
}
