// process-compose.yaml import: every documented mapping, checked on the StackConfig Hearth loads from
// the written file, and the list of what could not be mapped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { detectImportFormat, importStack } from '../../../electron/tools/import/import-stack';
import { processComposeToStack } from '../../../electron/tools/import/process-compose';

const FIXTURE = join(import.meta.dirname, '../fixtures/process-compose.yaml');
const TARGET = '/tmp/pc-import/hearth.yaml';

function imported(text: string): { stack: StackConfig; notes: string[]; yaml: string } {
  const result = importStack(text, 'process-compose.yaml', TARGET);
  const loaded = parseStack(result.yaml, TARGET);
  if (!loaded.ok) throw new Error(`written file does not load:\n${result.yaml}\n${JSON.stringify(loaded.errors, null, 2)}`);
  return { stack: loaded.stack, notes: result.notes.map((n) => `${n.where}: ${n.message}`), yaml: result.yaml };
}

describe('process-compose import', () => {
  const { stack, notes, yaml } = imported(readFileSync(FIXTURE, 'utf8'));
  const svc = (name: string) => stack.services[name]!;

  it('writes a file that loads, with every process as a service', () => {
    expect(Object.keys(stack.services)).toEqual(['db', 'migrate', 'api', 'seed', 'report']);
    expect(yaml).toMatch(/^# yaml-language-server: \$schema=/);
    expect(yaml).toContain('# The HTTP API\n  api:');
  });

  it('maps command, working_dir, environment (global then process) and vars', () => {
    expect(svc('db').cmd).toBe('postgres -D ./data -p 5432');
    expect(svc('db').cwd).toBe('./db');
    expect(svc('db').env).toEqual({ SHARED: '1', PGDATA: './data' });
    expect(svc('api').env).toEqual({ SHARED: '2', DB_URL: 'postgres://localhost:5432/app' });
    expect(svc('migrate').cmd).toBe('./migrate.sh hello');
  });

  it('maps depends_on conditions', () => {
    expect(svc('migrate').depends_on).toEqual({ db: 'healthy' });
    expect(svc('api').depends_on).toEqual({ migrate: 'completed', db: 'started' });
    expect(svc('seed').depends_on).toEqual({ migrate: 'completed' }); // process_completed
  });

  it('maps an exec readiness probe to a shell health check with every timing', () => {
    expect(svc('db').health_check).toEqual({
      probe: { kind: 'shell', shell_command: 'pg_isready -p 5432' },
      initial_interval_secs: 2,
      interval_secs: 3,
      timeout_secs: 2,
      min_consecutive_successes: 2,
      max_consecutive_failures: 4, // failure_threshold 5 - 1
    });
  });

  it('maps an http_get probe to an http check on a named port pinned to the literal port', () => {
    expect(svc('api').ports).toEqual({ http: 8080 });
    expect(svc('api').health_check).toEqual({
      probe: { kind: 'http', port: 'http', endpoint: '/ready', expected_response: null, expected_response_code: 200 },
      initial_interval_secs: 5,
      interval_secs: 4,
      timeout_secs: 3,
      min_consecutive_successes: 1,
      max_consecutive_failures: 5, // the liveness probe's failure_threshold 6 - 1
    });
  });

  it('maps availability to service / max_failures, and shutdown to stop_signal / shutdown_wait_secs', () => {
    expect([svc('db').service, svc('api').service]).toEqual([true, true]);
    expect([svc('migrate').service, svc('migrate').max_failures]).toEqual([false, 3]); // on_failure, max_restarts 2
    expect([svc('seed').service, svc('seed').max_failures]).toEqual([false, 1]); // exit_on_failure
    expect([svc('report').service, svc('report').max_failures]).toEqual([false, 1]); // no
    expect(svc('db').lifecycle).toMatchObject({ stop_signal: 'SIGINT', shutdown_wait_secs: 7 }); // signal: 2
    expect(svc('api').lifecycle.stop_signal).toBe('SIGTERM'); // signal: 9 is not a stop_signal
    expect([svc('seed').autostart, svc('api').autostart]).toEqual([false, true]); // disabled: true
  });

  it('reports everything it could not map', () => {
    expect(notes).toEqual([
      'log_location: no Hearth equivalent',
      'db.readiness_probe: Hearth restarts a service whose health check keeps failing; process-compose only marks it not ready',
      'db.availability: max_restarts 3: a Hearth service always restarts',
      'api.shutdown.command: no Hearth equivalent',
      "api.shutdown.signal: signal 9: Hearth's stop_signal is one of SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2; imported as SIGTERM",
      'api.namespace: no Hearth equivalent',
      'seed.depends_on.migrate: process_completed (any exit code): Hearth waits for a successful completion',
      'seed.availability: exit_on_failure: Hearth does not stop the whole stack when one job fails',
      'report.log_location: no Hearth equivalent',
    ]);
  });
});

describe('process-compose edge cases', () => {
  it('keeps the file loadable: renamed processes, a completed-dependency on a service, unknown vars and conditions', () => {
    const { stack, notes } = imported(`
processes:
  Web_App:
    command: "serve --greeting {{.MISSING}}"
    availability: { restart: on_failure }
    depends_on:
      Cache: { condition: process_completed_successfully }
      ghost: { condition: process_started }
      logger: { condition: process_log_ready }
    readiness_probe:
      http_get: { host: example.com, scheme: https, port: "\${PORT}", path: /health }
    is_daemon: true
  Cache:
    command: redis-server
    availability: { restart: always }
  logger:
    command: ./log.sh
    environment: ["BROKEN", "OK=1", "1BAD=2"]
`);
    expect(Object.keys(stack.services)).toEqual(['web_app', 'cache', 'logger']);
    const web = stack.services.web_app!;
    expect(web.cmd).toBe('serve --greeting $MISSING');
    expect(web.depends_on).toEqual({ cache: 'started', logger: 'started' });
    expect(web.max_failures).toBe(1_000_000);
    expect(web.ports).toEqual({ http: null });
    expect(stack.services.logger!.env).toEqual({ OK: '1' });
    expect(notes).toEqual(
      expect.arrayContaining([
        'Web_App: renamed to service "web_app" (Hearth service names)',
        'web_app.command: {{.MISSING}} has no value in vars; written as $MISSING (read from the environment)',
        'web_app.depends_on.ghost: no such process, dropped',
        'web_app.depends_on.logger: condition process_log_ready has no Hearth equivalent; imported as started',
        'web_app.depends_on.cache: "cache" always restarts, so it never completes; imported as started',
        'web_app.readiness_probe: http_get.host example.com: Hearth checks 127.0.0.1 only',
        'web_app.readiness_probe: http_get.scheme https: Hearth checks plain HTTP only',
        'web_app.readiness_probe: http_get.port "${PORT}" is not a number; the port named http is probed (allocated by Hearth)',
        'web_app.availability: unlimited restarts on failure: max_failures set to 1000000',
        'web_app.is_daemon: no Hearth equivalent',
        'logger.environment: environment entry "BROKEN" is not K=V, skipped',
        'logger.environment: environment variable "1BAD" is not a valid name for Hearth, skipped',
      ]),
    );
  });

  it('refuses a file without processes, and tells formats apart', () => {
    expect(() => processComposeToStack('version: "0.5"\n')).toThrow(/no "processes:" mapping/);
    expect(detectImportFormat('/x/Procfile.dev', 'processes: {}')).toBe('procfile');
    expect(detectImportFormat('/x/pc.yml', 'processes:\n  a: { command: x }\n')).toBe('process-compose');
    expect(detectImportFormat('/x/services', 'web: run $PORT\n')).toBe('procfile');
  });
});
