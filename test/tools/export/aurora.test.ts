// hearth export aurora: the .aurora file in the documentation's style, with the same health numbers.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackFile, parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { exportAurora, pyString } from '../../../electron/tools/export/aurora';

async function load(file: string): Promise<StackConfig> {
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.stack;
}

/** The `Service(...)` / `Job(...)` entry of `jobs = [...]` named `name`. */
function jobEntry(text: string, name: string): string {
  const jobs = text.slice(text.indexOf('jobs = ['));
  const entries = jobs.split(/\n {2}(?=Service\(|Job\()/).slice(1);
  const found = entries.find((e) => e.includes(`name = '${name}'`));
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

function healthNumbers(entry: string): Record<string, number> {
  const m = /health_check_config = HealthCheckConfig\(([\s\S]*?)\n {4}\)/.exec(entry);
  if (!m) throw new Error('no HealthCheckConfig');
  return Object.fromEntries([...m[1]!.matchAll(/(\w+) = (\d+)(?=,|$)/gm)].map((x) => [x[1]!, Number(x[2])]));
}

describe('exportAurora', () => {
  it('writes the bundled example as Process / Task / Service with the stack\'s HealthCheckConfig numbers', async () => {
    const stack = await load(join(import.meta.dirname, '../../../examples/shop/hearth.yaml'));
    const { text } = exportAurora(stack, { role: 'alice' });
    expect(text).toContain("api = Process(\n  name = 'api',\n  cmdline = 'node api.js --port {{thermos.ports[http]}}',\n  min_duration = 5\n)");
    expect(text).toContain('api_task = Task(\n  processes = [api],\n  resources = Resources(cpu = 1.0, ram = 128*MB, disk = 128*MB)\n)');
    expect(text).toMatch(/\njobs = \[\n {2}Job\(/);
    expect(text.trimEnd().endsWith(']')).toBe(true);
    for (const svc of Object.values(stack.services)) {
      const entry = jobEntry(text, svc.name);
      expect(entry.startsWith(svc.service ? 'Service(' : 'Job(')).toBe(true);
      expect(entry).toContain(`task = ${svc.name}_task`);
      expect(entry).toContain("cluster = 'devcluster'");
      expect(entry).toContain("role = 'alice'");
      expect(entry).toContain("environment = 'devel'");
      if (!svc.service) expect(entry).toContain(`max_task_failures = ${svc.max_failures}`);
      const hc = svc.health_check;
      if (!hc) {
        expect(entry).not.toContain('health_check_config');
        continue;
      }
      expect(healthNumbers(entry)).toEqual({
        initial_interval_secs: hc.initial_interval_secs,
        interval_secs: hc.interval_secs,
        max_consecutive_failures: hc.max_consecutive_failures,
        min_consecutive_successes: hc.min_consecutive_successes,
        timeout_secs: hc.timeout_secs,
      });
      expect(entry).toContain("HttpHealthChecker(endpoint = '/health', expected_response = 'ok', expected_response_code = 0)");
    }
    expect(jobEntry(text, 'web')).toContain(
      "lifecycle = LifecycleConfig(http = HttpLifecycleConfig(port = 'http', graceful_shutdown_endpoint = '/quitquitquit', shutdown_endpoint = '/abortabortabort', graceful_shutdown_wait_secs = 2, shutdown_wait_secs = 2))",
    );
  });

  it('keeps thermos.ports, exports env in the cmdline, and reports what Aurora cannot express', async () => {
    const stack = await load(join(import.meta.dirname, '../fixtures/stack.yaml'));
    const { text, notes } = exportAurora(stack, { cluster: 'c1', role: 'r', environment: 'prod' });
    expect(text).toContain("cmdline = 'fake-db --port {{thermos.ports[pg]}}'");
    // Multi-line commands are triple-quoted, as in the docs.
    expect(text).toContain('cmdline = """\nwhile true; do\n  echo "it\'s {{thermos.ports[health]}}"');
    expect(text).toContain("export HOME_DIR='$HOME/api'");
    expect(text).toContain("export DB_URL='postgres://localhost:REPLACE_ME_db_main_pg_port/app'");
    expect(text).toContain('ram = 512*MB');
    // Fractional seconds become whole (Aurora's fields are Integers).
    expect(healthNumbers(jobEntry(text, 'db_main'))).toEqual({ initial_interval_secs: 1, interval_secs: 1, max_consecutive_failures: 1, min_consecutive_successes: 1, timeout_secs: 1 });
    expect(jobEntry(text, 'db_main')).toContain("ShellHealthChecker(shell_command = 'bash -c \\'exec 3<>/dev/tcp/127.0.0.1/{{thermos.ports[pg]}}\\'')");
    expect(jobEntry(text, 'checker')).toContain("ShellHealthChecker(shell_command = 'test -e /tmp/ok-{{thermos.ports[health]}}')");
    expect(healthNumbers(jobEntry(text, 'api'))).toMatchObject({ initial_interval_secs: 15, interval_secs: 10, max_consecutive_failures: 2, min_consecutive_successes: 3, timeout_secs: 2 });
    const text2 = notes.map((n) => `${n.where}: ${n.message}`).join('\n');
    expect(text2).toContain('api.health_check: probes port "http"; Aurora\'s HTTP checker always uses the port named "health"');
    expect(text2).toContain('db_main.health_check: Aurora has no TCP health checker');
    expect(text2).toContain('api.env.DB_URL: {{services.db_main.ports[pg]}}');
    expect(text2).toContain('api.depends_on: migrate (completed)');
    expect(text2).toContain('checker.cwd');
    expect(text2).toContain('db_main.lifecycle.stop_signal: SIGINT: Thermos sends SIGTERM, then SIGKILL');
    expect(text2).not.toContain('api.lifecycle.stop_signal'); // the default needs no note
    expect(text2).toContain('checker.autostart: false: every job');
    expect(text2).not.toContain('healthchecksnooze'); // Aurora has it
  });

  it('translates {{thermos.instance}} to Aurora\'s {{mesos.instance}}', () => {
    const parsed = parseStack('services:\n  a:\n    cmd: run --shard {{thermos.instance}}\n', '/tmp/x/hearth.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(exportAurora(parsed.stack).text).toContain("cmdline = 'run --shard {{mesos.instance}}'");
  });

  it('quotes Python strings safely', () => {
    expect(pyString("it's")).toBe("'it\\'s'");
    expect(pyString('a\\b')).toBe("'a\\\\b'");
    expect(pyString('a\nb')).toBe('"""\na\nb\n"""');
    expect(pyString('say """x"""\nb')).toBe("'say \"\"\"x\"\"\"\\nb'");
  });
});

describe('replicas', () => {
  it('one Service per replicated service with instances = N and {{mesos.instance}}', () => {
    const parsed = parseStack('services:\n  api:\n    replicas: 3\n    cmd: serve --shard {{thermos.instance}}\n  web:\n    cmd: web\n    depends_on: [api]\n', '/tmp/x/hearth.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { text } = exportAurora(parsed.stack);
    expect(text.match(/name = 'api'/g)).toHaveLength(2); // the Process and its Service, once
    expect(text).not.toContain('api.0');
    expect(text).toContain('instances = 3');
    expect(text.match(/instances = /g)).toHaveLength(1);
    expect(text).toContain('serve --shard {{mesos.instance}}');
  });
});
