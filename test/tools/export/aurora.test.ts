// hearth export aurora: the .aurora file in the documentation's style, read back (./aurora-reader.ts)
// and judged by Aurora's own rules (./aurora-rules.ts): every job loads, every port is allocated, the
// executor runs the check Hearth runs on the port Hearth probes, and stops the way Hearth stops.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStackFile, parseStack } from '../../../electron/supervisor/config/load';
import { groupedStack } from '../../../electron/supervisor/config/replicas';
import type { ServiceConfig, StackConfig } from '../../../electron/supervisor/config/types';
import { exportAurora, pyString } from '../../../electron/tools/export/aurora';
import { isCall, readAurora, type PyCall } from './aurora-reader';
import { auroraJobFacts } from './aurora-rules';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const SHOP = join(import.meta.dirname, '../../../examples/shop/hearth.yaml');
/** The bundled example and six other stacks, as in the hand check against Aurora's code. */
const STACKS = [
  SHOP,
  join(FIXTURES, 'stack.yaml'),
  join(import.meta.dirname, '../../supervisor/config/fixtures/shop.yaml'),
  ...readdirSync(join(FIXTURES, 'aurora')).map((f) => join(FIXTURES, 'aurora', f)),
];

async function load(file: string): Promise<StackConfig> {
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.stack;
}

function parsed(yaml: string): StackConfig {
  const result = parseStack(yaml, '/tmp/x/hearth.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.stack;
}

function jobsOf(text: string): Record<string, PyCall> {
  const jobs = readAurora(text).jobs;
  if (!Array.isArray(jobs)) throw new Error('no jobs = [...]');
  return Object.fromEntries(jobs.map((j) => {
    if (!isCall(j)) throw new Error('a job is not a Service(...) or Job(...)');
    return [String(j.fields.name), j];
  }));
}

/** The cmdline of a job's only process. */
const cmdlineOf = (job: PyCall): string => {
  const task = job.fields.task;
  const [process] = isCall(task) ? (task.fields.processes as PyCall[]) : [];
  return String(process!.fields.cmdline);
};

/** Hearth port name -> Aurora port name, from the HEARTH_PORT_<NAME> the export writes in the cmdline. */
function auroraPortOf(job: PyCall, svc: ServiceConfig): (port: string) => string {
  return (port) => {
    const env = `HEARTH_PORT_${port.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const m = new RegExp(`^export ${env}='\\{\\{thermos\\.ports\\[([^\\]]+)\\]\\}\\}'$`, 'm').exec(cmdlineOf(job));
    if (!m) throw new Error(`${svc.name}: no ${env} in the cmdline`);
    return m[1]!;
  };
}

describe('read back with Aurora\'s rules', () => {
  it.each(STACKS)('%s: every job loads, allocates its ports, checks and stops as under Hearth', async (file) => {
    const stack = groupedStack(await load(file));
    const jobs = jobsOf(exportAurora(stack).text);
    expect(Object.keys(jobs)).toEqual(Object.keys(stack.services));
    for (const svc of Object.values(stack.services)) {
      const job = jobs[svc.name]!;
      const facts = auroraJobFacts(job);
      expect(facts.problems, svc.name).toEqual([]);
      expect([facts.service, facts.instances]).toEqual([svc.service, svc.replicas]);
      const aurora = auroraPortOf(job, svc);
      // The executor's port for a Hearth port: its allocated name, through the portmap.
      const runtime = (port: string): string | undefined => facts.portmap[aurora(port)];
      for (const port of Object.keys(svc.ports)) expect(facts.allocated, `${svc.name}.ports.${port}`).toContain(aurora(port));
      // PORT as Hearth sets it: the only port, or the one named http.
      const setsPort = Object.keys(svc.ports).length === 1 || Object.hasOwn(svc.ports, 'http');
      expect(/^export PORT=/m.test(cmdlineOf(job)), `${svc.name}: PORT`).toBe(setsPort);

      const probe = svc.health_check?.probe;
      if (!probe) expect(facts.checker.kind, svc.name).toBe('none');
      else if (probe.kind === 'http') expect(facts.checker, svc.name).toEqual({ kind: 'http', port: runtime(probe.port), endpoint: probe.endpoint });
      else expect(facts.checker.kind, svc.name).toBe('shell');
      if (svc.health_check) {
        const { initial_interval_secs, interval_secs, timeout_secs } = svc.health_check;
        expect(facts.intervals, svc.name).toEqual({ initial_interval_secs, interval_secs, timeout_secs });
      }
      expect(facts.lifecyclePort, `${svc.name}.lifecycle`).toBe(svc.lifecycle.http ? runtime(svc.lifecycle.http.port) : null);
    }
  });

  it('the rules catch what the export used to write (so the check above can fail)', () => {
    const old = readAurora(`
p = Process(name = 'web', cmdline = 'serve {{ thermos.ports[http] }} {{thermos.ports[web]}}', min_duration = 5)
t = Task(processes = [p], resources = Resources(cpu = 1.0, ram = 128*MB, disk = 128*MB))
jobs = [
  Service(task = t, name = 'web', health_check_config = HealthCheckConfig(health_checker = HealthCheckerConfig(http = HttpHealthChecker(endpoint = '/health')), interval_secs = 1)),
  Service(task = t, name = 'tcp', health_check_config = HealthCheckConfig(health_checker = HealthCheckerConfig(shell = ShellHealthChecker(shell_command = 'nc -z 127.0.0.1 {{thermos.ports[db]}}')))),
  Service(task = t, name = 'stop', lifecycle = LifecycleConfig(http = HttpLifecycleConfig(port = 'web', shutdown_wait_secs = 2.5)), announce = Announcer(primary_port = 'web', portmap = {'static': 80}))
]`).jobs as PyCall[];
    const [web, tcp, stop] = old.map(auroraJobFacts);
    expect(web!.problems).toEqual([
      'pystachio cannot parse {{ thermos.ports[http] }}',
      'an HTTP check without a port named health: the executor runs a no-op checker',
    ]);
    expect(web!.checker.kind).toBe('none');
    expect(web!.lifecyclePort).toBeNull(); // the default lifecycle needs a port named health
    expect(tcp!.problems).toContain("the health check's port db is never allocated");
    expect(stop!.problems).toEqual(expect.arrayContaining(['shutdown_wait_secs 2.5 is an Integer: pystachio truncates it', 'a static port needs a dedicated constraint']));
    expect(stop!.lifecyclePort).toBe('web');
  });
});

describe('exportAurora', () => {
  it('writes the bundled example as Process / Task / Service with the stack\'s HealthCheckConfig numbers', async () => {
    const stack = await load(SHOP);
    const { text } = exportAurora(stack, { role: 'alice' });
    expect(text).toContain(
      "api = Process(\n  name = 'api',\n  cmdline = \"\"\"\nexport HEARTH_PORT_HTTP='{{thermos.ports[http]}}'\nexport PORT='{{thermos.ports[http]}}'\nexport HEARTH_SERVICE='api'\nnode api.js --port {{thermos.ports[http]}}\n\"\"\",\n  min_duration = 5\n)",
    );
    expect(text).toContain('api_task = Task(\n  processes = [api],\n  resources = Resources(cpu = 1.0, ram = 128*MB, disk = 128*MB)\n)');
    expect(text).toMatch(/\njobs = \[\n {2}Job\(/);
    const jobs = jobsOf(text);
    for (const svc of Object.values(stack.services)) {
      const { fields, call } = jobs[svc.name]!;
      expect(call).toBe(svc.service ? 'Service' : 'Job');
      expect(fields).toMatchObject({ cluster: 'devcluster', role: 'alice', environment: 'devel', name: svc.name });
      if (!svc.service) expect(fields.max_task_failures).toBe(svc.max_failures);
      const hc = svc.health_check;
      if (!hc) {
        expect(fields.health_check_config).toBeUndefined();
        continue;
      }
      expect((fields.health_check_config as PyCall).fields).toMatchObject({
        initial_interval_secs: hc.initial_interval_secs,
        interval_secs: hc.interval_secs,
        max_consecutive_failures: hc.max_consecutive_failures,
        min_consecutive_successes: hc.min_consecutive_successes,
        timeout_secs: hc.timeout_secs,
      });
      // api and web probe the port named http: aliased so the executor's checker probes it.
      expect(fields.announce).toEqual({ call: 'Announcer', fields: { primary_port: 'http', portmap: { health: 'http' } } });
    }
    expect(text).toContain("HttpHealthChecker(endpoint = '/health', expected_response = 'ok', expected_response_code = 0)");
    expect(jobs.web!.fields.lifecycle).toEqual({
      call: 'LifecycleConfig',
      fields: { http: { call: 'HttpLifecycleConfig', fields: { port: 'http', graceful_shutdown_endpoint: '/quitquitquit', shutdown_endpoint: '/abortabortabort', graceful_shutdown_wait_secs: 2, shutdown_wait_secs: 2 } } },
    });
    // api has no lifecycle.http: with the alias, Aurora's default lifecycle would POST to it on stop.
    expect(jobs.api!.fields.lifecycle).toEqual({ call: 'LifecycleConfig', fields: {} });
  });

  it('keeps thermos.ports, exports env and Hearth\'s port variables in the cmdline, and reports what Aurora cannot express', async () => {
    const stack = await load(join(FIXTURES, 'stack.yaml'));
    const { text, notes } = exportAurora(stack, { cluster: 'c1', role: 'r', environment: 'prod' });
    const jobs = jobsOf(text);
    expect(cmdlineOf(jobs.db_main!)).toBe("\nexport HEARTH_PORT_PG='{{thermos.ports[pg]}}'\nexport PORT='{{thermos.ports[pg]}}'\nexport HEARTH_SERVICE='db_main'\nfake-db --port {{thermos.ports[pg]}}\n");
    // Multi-line commands are triple-quoted, as in the docs; env: first, then what Hearth sets (it wins).
    expect(cmdlineOf(jobs.checker!)).toContain('while true; do\n  echo "it\'s {{thermos.ports[health]}}"');
    expect(cmdlineOf(jobs.api!)).toMatch(/^\nexport DB_URL='postgres:\/\/localhost:REPLACE_ME_db_main_pg_port\/app'\nexport HOME_DIR='\$HOME\/api'\nexport HEARTH_PORT_HTTP=/);
    expect(text).toContain('ram = 512*MB');
    // Aurora's durations are Floats: fractions are kept.
    expect((jobs.db_main!.fields.health_check_config as PyCall).fields).toMatchObject({ initial_interval_secs: 0.5, interval_secs: 0.25, timeout_secs: 0.5 });
    expect(text).toContain("ShellHealthChecker(shell_command = 'bash -c \\'exec 3<>/dev/tcp/127.0.0.1/{{thermos.ports[pg]}}\\'')");
    expect(text).toContain("ShellHealthChecker(shell_command = 'test -e /tmp/ok-{{thermos.ports[health]}}')");
    const all = notes.map((n) => `${n.where}: ${n.message}`).join('\n');
    expect(all).not.toContain('db_main.health_check: initial_interval_secs'); // nothing rounded any more
    expect(all).toContain('api.lifecycle: shutdown_wait_secs 2.5 written as 3 (whole seconds)'); // an Integer in Aurora
    expect(all).toContain("db_main.ports.pg: pinned to 5432: Aurora allocates every port (a fixed one is an Announcer portmap entry {'pg': 5432} and needs a dedicated constraint)");
    expect(all).toContain('db_main.health_check: Aurora has no TCP health checker');
    expect(all).toContain('api.env.DB_URL: {{services.db_main.ports[pg]}}');
    expect(all).toContain('api.depends_on: migrate (completed)');
    expect(all).toContain('checker.cwd');
    expect(all).toContain('db_main.lifecycle.stop_signal: SIGINT: Thermos sends SIGTERM, then SIGKILL');
    expect(all).not.toContain('api.lifecycle.stop_signal'); // the default needs no note
    expect(all).toContain('checker.autostart: false: every job');
    expect(all).not.toContain('healthchecksnooze'); // Aurora has it
    // checker's shell check owns the "health" port: its HTTP default is off, and so is the lifecycle.
    expect(jobs.checker!.fields.lifecycle).toEqual({ call: 'LifecycleConfig', fields: {} });
  });

  it('writes templates as pystachio parses them: no spaces, {{mesos.instance}}', async () => {
    const { text, notes } = exportAurora(await load(join(FIXTURES, 'aurora/templates.yaml')));
    expect(text).toContain('node api.js --port {{thermos.ports[health]}} --shard {{mesos.instance}}');
    expect(text).toContain("export SELF='127.0.0.1:{{thermos.ports[health]}}'");
    expect(text).toContain("shell_command = 'test -e {{thermos.ports[health]}}.ok'");
    expect(text).not.toMatch(/\{\{ /);
    expect(notes).toContainEqual({ where: 'worker.cmd', message: '{{ services.api.ports[health] }}: Aurora jobs find each other through ServerSets (Announcer), not templates; written as REPLACE_ME_api_health_port' });
  });

  it('renames a "health" port that Aurora would HTTP-check and Hearth does not, and says so', async () => {
    const { text, notes } = exportAurora(await load(join(FIXTURES, 'aurora/defaults.yaml')));
    const jobs = jobsOf(text);
    expect(cmdlineOf(jobs.unchecked!)).toContain("export HEARTH_PORT_HEALTH='{{thermos.ports[hearth_health]}}'\n");
    expect(cmdlineOf(jobs.unchecked!)).toContain('node s.js --port {{thermos.ports[hearth_health]}}');
    expect(cmdlineOf(jobs.implied!)).toContain('--port {{thermos.ports[health]}}'); // Hearth checks it: kept
    expect(notes).toContainEqual({
      where: 'unchecked.ports.health',
      message: 'named "hearth_health" in Aurora: its executor HTTP-checks any port named "health", which Hearth only checks without health_check: null (HEARTH_PORT_HEALTH keeps its name)',
    });
  });

  it('says when a shell check reads a variable only the cmdline exports', () => {
    const { notes } = exportAurora(parsed('services:\n  a:\n    cmd: serve {{thermos.ports[http]}}\n    health_check:\n      shell: { shell_command: "curl -f 127.0.0.1:$PORT/" }\n'));
    expect(notes.map((n) => n.where)).toContain('a.health_check.shell');
  });

  it('names Python variables safely: keywords, digits, and a NAME_task that another service also wants', () => {
    const text = exportAurora(parsed('services:\n  import:\n    cmd: a\n  1st:\n    cmd: b\n  x:\n    cmd: c\n  x_task:\n    cmd: d\n')).text;
    const scope = readAurora(text);
    expect(Object.keys(jobsOf(text))).toEqual(['import', '1st', 'x', 'x_task']);
    expect(text).toContain('import_2 = Process(');
    expect(text).toContain('p_1st = Process(');
    expect(isCall(scope.x_task, 'Task')).toBe(true); // not overwritten by the Process of service x_task
    expect(isCall(scope.x_task_2, 'Process')).toBe(true);
  });

  it('quotes Python strings safely', () => {
    expect(pyString("it's")).toBe("'it\\'s'");
    expect(pyString('a\\b')).toBe("'a\\\\b'");
    expect(pyString('a\nb')).toBe('"""\na\nb\n"""');
    expect(pyString('say """x"""\nb')).toBe("'say \"\"\"x\"\"\"\\nb'");
    expect(pyString('a\rb')).toBe("'a\\rb'");
    for (const s of ["it's", 'a\\b', 'a\nb', 'say """x"""\nb', 'a\rb', 'ends with "\nq"']) {
      const read = readAurora(`x = ${pyString(s)}`).x;
      expect(read).toBe(s.includes('\n') && !s.includes('"""') ? `\n${s}\n` : s);
    }
  });
});

describe('replicas', () => {
  it('one Service per replicated service with instances = N, {{mesos.instance}} and HEARTH_SERVICE per instance', () => {
    const { text } = exportAurora(parsed('services:\n  api:\n    replicas: 3\n    cmd: serve --shard {{thermos.instance}}\n  web:\n    cmd: web\n    depends_on: [api]\n'));
    const jobs = jobsOf(text);
    expect(Object.keys(jobs)).toEqual(['api', 'web']);
    expect(jobs.api!.fields.instances).toBe(3);
    expect(jobs.web!.fields.instances).toBeUndefined();
    expect(cmdlineOf(jobs.api!)).toBe("\nexport HEARTH_SERVICE='api.{{mesos.instance}}'\nserve --shard {{mesos.instance}}\n");
  });
});
