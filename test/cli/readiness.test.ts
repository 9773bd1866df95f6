// The "is the stack up?" decision behind `hearth wait` and `hearth up --wait`, from statuses alone.
import { describe, expect, it } from 'vitest';
import { checkReadiness } from '../../electron/cli/readiness';
import type { ServiceStatus } from '../../shared/types';
import { healthView, serviceStatus } from '../helpers/status-fixtures';

const HTTP_CHECK = { kind: 'http' as const, target: 'GET http://localhost:1/health', initial_interval_secs: 1, interval_secs: 1, max_consecutive_failures: 0, min_consecutive_successes: 2, timeout_secs: 1 };
const running = (name: string, more: Partial<ServiceStatus> = {}): ServiceStatus => serviceStatus(name, { state: 'RUNNING', pid: 10, ...more });
const job = (name: string, more: Partial<ServiceStatus> = {}): ServiceStatus => serviceStatus(name, { service: false, ...more });

describe('checkReadiness', () => {
  it('is done when every service runs and every job finished', () => {
    const r = checkReadiness([running('api'), job('migrate', { state: 'FINISHED' })]);
    expect(r).toMatchObject({ done: true, targets: ['api', 'migrate'], ready: ['api', 'migrate'], waiting: [], failed: [] });
  });

  it('waits for a job that is still running: a job is ready once it finished', () => {
    const r = checkReadiness([running('api'), job('migrate', { state: 'RUNNING', pid: 11 })]);
    expect(r.done).toBe(false);
    expect(r.ready).toEqual(['api']);
    expect(r.waiting).toEqual([{ name: 'migrate', state: 'RUNNING (a job: ready once it finishes)' }]);
  });

  it('waits for a service still passing its checks, and says how far it got', () => {
    const health = healthView({ status: 'unknown', phase: 'warming', consecutive_successes: 1, settings: HTTP_CHECK, last_detail: 'HTTP 200' });
    const r = checkReadiness([serviceStatus('api', { state: 'STARTING', pid: 10, health })]);
    expect(r.done).toBe(false);
    expect(r.waiting).toEqual([{ name: 'api', state: 'STARTING (1/2 checks ok, last: HTTP 200)' }]);
  });

  it('keeps waiting through a health kill (it restarts), but not for a service someone stopped', () => {
    const killing = serviceStatus('api', { state: 'STOPPING', stop_reason: 'unhealthy', pid: 10 });
    expect(checkReadiness([killing])).toMatchObject({ done: false, targets: ['api'], failed: [], waiting: [{ name: 'api', state: 'STOPPING' }] });
    expect(checkReadiness([serviceStatus('api', { state: 'STOPPING', pid: 10 })], ['api']).failed).toEqual([{ name: 'api', why: 'stopping: start it with `hearth start api`' }]);
  });

  it('keeps waiting through a restart, but gives up on a crash loop', () => {
    const exited = { code: 1, signal: null, at: 0 };
    expect(checkReadiness([serviceStatus('api', { state: 'RESTARTING', flaps: 1, restarts: 1, last_exit: exited })]).failed).toEqual([]);
    const loop = checkReadiness([serviceStatus('api', { state: 'RESTARTING', flaps: 2, restarts: 3, last_exit: exited })]);
    expect(loop.done).toBe(false);
    expect(loop.failed).toEqual([{ name: 'api', why: 'in a crash loop (exited with code 1), restarted 3 times' }]);
  });

  it('gives up on a failed job, with its exit', () => {
    const r = checkReadiness([job('migrate', { state: 'FAILED', last_exit: { code: 3, signal: null, at: 0 } })]);
    expect(r.failed).toEqual([{ name: 'migrate', why: 'FAILED (exited with code 3)' }]);
  });

  it('without names waits for what is wanted: stopped services are not waited for', () => {
    const r = checkReadiness([running('api'), serviceStatus('docs'), serviceStatus('old', { state: 'STOPPING', pid: 12 })]);
    expect(r).toMatchObject({ done: true, targets: ['api'] });
  });

  it('is done with nothing to wait for when everything is stopped', () => {
    expect(checkReadiness([serviceStatus('api')])).toMatchObject({ done: true, targets: [] });
  });

  it('gives up on a named service that is stopped: nothing will start it', () => {
    const r = checkReadiness([running('api'), serviceStatus('docs')], ['docs']);
    expect(r.targets).toEqual(['docs']);
    expect(r.failed).toEqual([{ name: 'docs', why: 'stopped: start it with `hearth start docs`' }]);
  });

  it('gives up on a service waiting for a dependency that gave up, however deep', () => {
    const services = [
      job('migrate', { state: 'FAILED', last_exit: { code: 1, signal: null, at: 0 } }),
      serviceStatus('api', { state: 'PENDING', depends_on: ['migrate'] }),
      serviceStatus('web', { state: 'PENDING', depends_on: ['api'] }),
    ];
    const r = checkReadiness(services, ['web']);
    expect(r.failed).toEqual([{ name: 'web', why: 'waiting for api, which is waiting for migrate, which is FAILED (exited with code 1)' }]);
    // A dependency still on its way is just waited for.
    const fine = checkReadiness([job('migrate', { state: 'RUNNING', pid: 3 }), serviceStatus('api', { state: 'PENDING', depends_on: ['migrate'] })], ['api']);
    expect(fine.failed).toEqual([]);
    expect(fine.waiting).toEqual([{ name: 'api', state: 'PENDING' }]);
  });

  it('takes a group name for every instance of a replicated service', () => {
    const services = [running('pool.0', { group: 'pool', instance: 0 }), serviceStatus('pool.1', { state: 'STARTING', pid: 4, group: 'pool', instance: 1 }), running('api')];
    const r = checkReadiness(services, ['pool']);
    expect(r.targets).toEqual(['pool.0', 'pool.1']);
    expect(r.waiting.map((w) => w.name)).toEqual(['pool.1']);
    expect(checkReadiness(services, ['pool.0']).done).toBe(true);
  });

  it('refuses a name the stack does not have, listing the ones it has', () => {
    expect(() => checkReadiness([running('api'), running('pool.0', { group: 'pool' })], ['apx'])).toThrow('no service named apx in this stack (it has api, pool)');
  });
});
