// The one factory for contract status objects in tests (HealthView, ServiceStatus, StackInfo). Each
// suite's fixtures pass only what makes them different (a running service, a healthy check), so a
// field added to shared/types.ts is defaulted here once. Plain TS importing only shared/: the renderer
// tests are type-checked without Node types.
import type { HealthView, ServiceStatus, StackInfo } from '../../shared/types';

/** A service with no health check: status none, phase idle, nothing counted. */
export function healthView(overrides: Partial<HealthView> = {}): HealthView {
  return {
    status: 'none',
    consecutive_successes: 0,
    consecutive_failures: 0,
    checks: 0,
    phase: 'idle',
    grace_checks: 0,
    start_deadline_checks: 0,
    history: [],
    settings: null,
    ...overrides,
  };
}

/** A stopped, never-started service with no health check. */
export function serviceStatus(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    name,
    state: 'STOPPED',
    pid: null,
    restarts: 0,
    ports: {},
    sandbox: `/tmp/sandbox/${name}`,
    snoozed: false,
    snoozed_since: null,
    snooze_until: null,
    health: healthView(),
    service: true,
    depends_on: [],
    started_at: null,
    next_attempt_at: null,
    backoff_ms: 0,
    flaps: 0,
    failures: 0,
    max_failures: 1,
    last_exit: null,
    last_restart_reason: null,
    error: null,
    cmd: `run ${name}`,
    run: 0,
    ...overrides,
  };
}

/** A loaded stack with no config errors. */
export function stackInfo(overrides: Partial<StackInfo> = {}): StackInfo {
  return {
    name: 'demo',
    file: '/tmp/demo/hearth.yaml',
    dir: '/tmp/demo',
    config_errors: [],
    loaded_at: null,
    snooze_warn_after_secs: 1800,
    ...overrides,
  };
}
