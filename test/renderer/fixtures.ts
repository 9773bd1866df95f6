// Builders for realistic contract objects with overridable fields.
import type { HealthView, LogLine, ServiceStatus, StackInfo, StackSnapshot } from '../../shared/types';
import { healthView, serviceStatus, stackInfo } from '../helpers/status-fixtures';

export const T0 = Date.UTC(2025, 0, 15, 9, 30, 0);

export function health(overrides: Partial<HealthView> = {}): HealthView {
  return healthView({
    status: 'healthy',
    consecutive_successes: 5,
    checks: 8,
    phase: 'running',
    grace_checks: 3,
    start_deadline_checks: 7,
    settings: {
      kind: 'http',
      target: 'GET http://localhost:20001/health',
      initial_interval_secs: 15,
      interval_secs: 5,
      max_consecutive_failures: 2,
      min_consecutive_successes: 2,
      timeout_secs: 1,
    },
    ...overrides,
  });
}

export function service(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return serviceStatus(name, {
    state: 'RUNNING',
    pid: 4242,
    sandbox: `/work/stack/.hearth/sandboxes/${name}`,
    health: health(),
    started_at: T0 - 65_000,
    last_restart_reason: 'initial',
    cmd: `./run-${name}`,
    run: 1,
    ...overrides,
  });
}

export function stack(overrides: Partial<StackInfo> = {}): StackInfo {
  return stackInfo({ file: '/work/stack/hearth.yaml', dir: '/work/stack', loaded_at: T0 - 120_000, ...overrides });
}

export function snapshot(services: ServiceStatus[], overrides: Partial<StackSnapshot> = {}): StackSnapshot {
  return { stack: stack(), services, logs: [], now: T0, ...overrides };
}

let seq = 0;
export function line(service: string, text: string, overrides: Partial<LogLine> = {}): LogLine {
  seq++;
  return { seq, service, run: 1, ts: T0 + seq, stream: 'stdout', text, ...overrides };
}

export function lines(service: string, n: number, make: (i: number) => string = (i) => `line ${i}`): LogLine[] {
  return Array.from({ length: n }, (_, i) => line(service, make(i)));
}
