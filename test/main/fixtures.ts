// Realistic ServiceStatus values for the desktop-shell tests.
import type { HealthView, ServiceStatus } from '../../shared/types';

const health: HealthView = {
  status: 'healthy',
  consecutive_successes: 5,
  consecutive_failures: 0,
  checks: 12,
  phase: 'running',
  grace_checks: 2,
  start_deadline_checks: 6,
  history: [],
  settings: {
    kind: 'http',
    target: 'GET http://127.0.0.1:20001/health',
    initial_interval_secs: 5,
    interval_secs: 2,
    max_consecutive_failures: 3,
    min_consecutive_successes: 1,
    timeout_secs: 1,
  },
};

export function makeStatus(name: string, overrides: Partial<ServiceStatus> = {}, healthOverrides: Partial<HealthView> = {}): ServiceStatus {
  return {
    name,
    state: 'RUNNING',
    pid: 4242,
    restarts: 0,
    ports: { http: 20001 },
    sandbox: `/home/dev/shop/.hearth/${name}`,
    snoozed: false,
    snoozed_since: null,
    snooze_until: null,
    health: { ...health, ...healthOverrides },
    service: true,
    depends_on: [],
    started_at: 1_700_000_000_000,
    next_attempt_at: null,
    backoff_ms: 0,
    flaps: 0,
    failures: 0,
    max_failures: 1,
    last_exit: null,
    last_restart_reason: 'initial',
    error: null,
    cmd: `node ${name}.js`,
    run: 1,
    ...overrides,
  };
}
