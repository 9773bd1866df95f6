// Realistic ServiceStatus values for the desktop-shell tests: a running service with a healthy HTTP check.
import type { HealthView, ServiceStatus } from '../../shared/types';
import { healthView, serviceStatus } from '../helpers/status-fixtures';

const health: Partial<HealthView> = {
  status: 'healthy',
  consecutive_successes: 5,
  checks: 12,
  phase: 'running',
  grace_checks: 2,
  start_deadline_checks: 6,
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
  return serviceStatus(name, {
    state: 'RUNNING',
    pid: 4242,
    ports: { http: 20001 },
    sandbox: `/home/dev/shop/.hearth/${name}`,
    health: healthView({ ...health, ...healthOverrides }),
    started_at: 1_700_000_000_000,
    last_restart_reason: 'initial',
    cmd: `node ${name}.js`,
    run: 1,
    ...overrides,
  });
}
