// `hearth export aurora`: a .aurora file in the style of the Aurora documentation
// (reference/configuration.md, features/services.md): one Process, Task and Service/Job per Hearth
// service, HealthCheckConfig with the same five numbers, and `jobs = [...]` at the end. Templates are
// written again in pystachio's syntax (./aurora-templates.ts) and ports follow Aurora's allocation
// and health-port rules (./aurora-ports.ts). `replicas: N` is Aurora's `instances = N` (one job per
// stack file service; `{{thermos.instance}}` is `{{mesos.instance}}`).
import { groupedStack } from '../../supervisor/config/replicas';
import type { HealthCheckConfig, ServiceConfig, StackConfig } from '../../supervisor/config/types';
import { BUILTIN_DEFAULTS } from '../../supervisor/config/defaults';
import { Notes, type Note } from '../notes';
import { planPorts, type AuroraPortPlan } from './aurora-ports';
import { auroraTemplate } from './aurora-templates';
import { pyNumber, pyString } from './python-literal';
import { wholeSecs } from './seconds';

export { pyString } from './python-literal';

export interface AuroraOptions {
  cluster?: string;
  role?: string;
  environment?: string;
}

export interface AuroraExport {
  text: string;
  notes: Note[];
}

const MB = 1024 * 1024;

// Service names that are Python keywords would make `NAME = Process(` a syntax error.
const PYTHON_KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
];

/** Python identifiers for the service variables: NAME for the Process, NAME_task for its Task, all unique. */
function identifiers(services: string[]): Record<string, string> {
  const taken = new Set<string>(['jobs', 'MB', 'GB', ...PYTHON_KEYWORDS]);
  const out: Record<string, string> = {};
  for (const s of services) {
    let base = s.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^\d/.test(base)) base = `p_${base}`;
    let id = base;
    for (let i = 2; taken.has(id) || taken.has(`${id}_task`); i++) id = `${base}_${i}`;
    taken.add(id).add(`${id}_task`);
    out[s] = id;
  }
  return out;
}

/** Shell-quoted for an `export K=V` line. */
const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function cmdline(svc: ServiceConfig, plan: AuroraPortPlan, notes: Notes): string {
  const template = (text: string, where: string): string => auroraTemplate(text, { where, notes, portName: plan.portName });
  // Thermos processes have no environment setting: it is exported in the command line, in Hearth's
  // order (env:, then what Hearth sets itself). The port variables also make Aurora allocate every
  // port, since it allocates only those a cmdline references.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env)) env[k] = template(v, `${svc.name}.env.${k}`);
  Object.assign(env, plan.env);
  env.HEARTH_SERVICE = svc.replicas > 1 ? `${svc.name}.{{mesos.instance}}` : svc.name;
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${shQuote(v)}`);
  return [...exports, template(svc.cmd, `${svc.name}.cmd`)].join('\n');
}

function healthChecker(hc: HealthCheckConfig, svc: ServiceConfig, plan: AuroraPortPlan, notes: Notes): string {
  const where = `${svc.name}.health_check`;
  const probe = hc.probe;
  if (probe.kind === 'http') {
    if (probe.expected_response === null && probe.expected_response_code === 0) {
      notes.add(where, 'no body and no status to expect: Aurora counts any answer as healthy, even a 5xx (Hearth only a non-error status); set expected_response_code');
    }
    const expected = probe.expected_response === null ? "''" : pyString(probe.expected_response);
    return `HealthCheckerConfig(http = HttpHealthChecker(endpoint = ${pyString(probe.endpoint)}, expected_response = ${expected}, expected_response_code = ${probe.expected_response_code}))`;
  }
  if (probe.kind === 'tcp') {
    notes.add(where, 'Aurora has no TCP health checker: written as a ShellHealthChecker that opens the port with bash');
    const command = `bash -c 'exec 3<>/dev/tcp/127.0.0.1/{{thermos.ports[${plan.portName(probe.port)}]}}'`;
    return `HealthCheckerConfig(shell = ShellHealthChecker(shell_command = ${pyString(command)}))`;
  }
  // The executor runs the check in a shell of its own: the variables exported in the cmdline are not there.
  if (/\$\{?(PORT|HEARTH_[A-Z0-9_]+)\b/.test(probe.shell_command) || Object.keys(svc.env).some((k) => new RegExp(`\\$\\{?${k}\\b`).test(probe.shell_command))) {
    notes.add(`${where}.shell`, 'reads a variable Hearth sets for the service; Aurora runs the check without the cmdline\'s environment: use a {{thermos.ports[NAME]}} template');
  }
  const command = auroraTemplate(probe.shell_command, { where: `${where}.shell`, notes, portName: plan.portName });
  return `HealthCheckerConfig(shell = ShellHealthChecker(shell_command = ${pyString(command)}))`;
}

function healthCheckConfig(hc: HealthCheckConfig, svc: ServiceConfig, plan: AuroraPortPlan, notes: Notes): string {
  // The three durations are Floats in Aurora's schema, the two counts Integers (as in Hearth).
  const fields = [
    `health_checker = ${healthChecker(hc, svc, plan, notes)}`,
    `initial_interval_secs = ${pyNumber(hc.initial_interval_secs)}`,
    `interval_secs = ${pyNumber(hc.interval_secs)}`,
    `max_consecutive_failures = ${hc.max_consecutive_failures}`,
    `min_consecutive_successes = ${hc.min_consecutive_successes}`,
    `timeout_secs = ${pyNumber(hc.timeout_secs)}`,
  ];
  return `HealthCheckConfig(\n      ${fields.join(',\n      ')}\n    )`;
}

function lifecycle(svc: ServiceConfig, plan: AuroraPortPlan, notes: Notes): string | null {
  const http = svc.lifecycle.http;
  // LifecycleConfig() has no http: the executor then only signals, as Hearth does without lifecycle.http.
  if (!http) return plan.disableLifecycle ? 'LifecycleConfig()' : null;
  const where = `${svc.name}.lifecycle`;
  // HttpLifecycleConfig's waits are Integers.
  const fields = [
    `port = ${pyString(plan.portName(http.port))}`,
    `graceful_shutdown_endpoint = ${pyString(http.graceful_shutdown_endpoint)}`,
    `shutdown_endpoint = ${pyString(http.shutdown_endpoint)}`,
    `graceful_shutdown_wait_secs = ${wholeSecs(svc.lifecycle.graceful_shutdown_wait_secs, 0, where, 'graceful_shutdown_wait_secs', notes)}`,
    `shutdown_wait_secs = ${wholeSecs(svc.lifecycle.shutdown_wait_secs, 0, where, 'shutdown_wait_secs', notes)}`,
  ];
  return `LifecycleConfig(http = HttpLifecycleConfig(${fields.join(', ')}))`;
}

function noteUnrepresentable(svc: ServiceConfig, notes: Notes): void {
  for (const [dep, cond] of Object.entries(svc.depends_on)) {
    notes.add(`${svc.name}.depends_on`, `${dep} (${cond}): Aurora jobs start independently (order only exists between processes of one task)`);
  }
  if (svc.cwd !== '.') notes.add(`${svc.name}.cwd`, `"${svc.cwd}": Thermos runs in the task sandbox; fetch the code there or cd in the cmdline`);
  if (svc.env_files.length > 0) notes.add(`${svc.name}.env_file`, 'env files are not read: put the variables in the cmdline or the sandbox');
  if (svc.watch) notes.add(`${svc.name}.watch`, 'restart on file change has no equivalent');
  if (svc.max_backoff_secs !== BUILTIN_DEFAULTS.max_backoff_secs) notes.add(`${svc.name}.max_backoff_secs`, 'no equivalent: the scheduler backs off flapping tasks by itself');
  if (!svc.autostart) notes.add(`${svc.name}.autostart`, 'false: every job in the file is created by `aurora job create` alike; create this one only when needed');
  if (svc.lifecycle.stop_signal !== BUILTIN_DEFAULTS.lifecycle.stop_signal) {
    notes.add(`${svc.name}.lifecycle.stop_signal`, `${svc.lifecycle.stop_signal}: Thermos sends SIGTERM, then SIGKILL`);
  }
  if (!svc.lifecycle.http && svc.lifecycle.shutdown_wait_secs !== BUILTIN_DEFAULTS.lifecycle.shutdown_wait_secs) {
    notes.add(`${svc.name}.lifecycle.shutdown_wait_secs`, 'without lifecycle.http, the SIGTERM -> SIGKILL wait is the executor\'s own');
  }
}

export function exportAurora(resolved: StackConfig, opts: AuroraOptions = {}): AuroraExport {
  const stack = groupedStack(resolved);
  const notes = new Notes();
  const cluster = opts.cluster ?? 'devcluster';
  const role = opts.role ?? 'www-data';
  const environment = opts.environment ?? 'devel';
  const ids = identifiers(Object.keys(stack.services));
  const header = [
    `# Generated by \`hearth export aurora\` from ${stack.name} (${stack.file}).`,
    `# Run with: aurora job create ${cluster}/${role}/${environment}/<name> <this file>`,
    '# A .healthchecksnooze file in a task sandbox pauses its health checks, as under Hearth.',
  ];
  const blocks: string[] = [header.join('\n')];
  const jobs: string[] = [];
  for (const svc of Object.values(stack.services)) {
    const id = ids[svc.name]!;
    const plan = planPorts(svc, notes);
    const ram = svc.resources.ram_bytes;
    const ramText = ram === null ? '128*MB' : ram % MB === 0 ? `${ram / MB}*MB` : String(ram);
    if (ram !== null) notes.add(`${svc.name}.resources`, 'ram becomes the task\'s RAM: Aurora enforces it, Hearth only warns');
    blocks.push(
      [
        `${id} = Process(`,
        `  name = ${pyString(svc.name)},`,
        `  cmdline = ${pyString(cmdline(svc, plan, notes))},`,
        `  min_duration = ${wholeSecs(svc.min_duration, 0, svc.name, 'min_duration', notes)}`,
        ')',
      ].join('\n'),
      [`${id}_task = Task(`, `  processes = [${id}],`, `  resources = Resources(cpu = 1.0, ram = ${ramText}, disk = 128*MB)`, ')'].join('\n'),
    );
    const fields = [
      `task = ${id}_task`,
      `cluster = ${pyString(cluster)}`,
      `role = ${pyString(role)}`,
      `environment = ${pyString(environment)}`,
      `name = ${pyString(svc.name)}`,
    ];
    if (svc.replicas > 1) fields.push(`instances = ${svc.replicas}`);
    if (!svc.service) fields.push(`max_task_failures = ${svc.max_failures}`);
    if (plan.healthAlias !== null) {
      // Only to alias the port: the executor's HTTP checker probes the port named health. (An
      // executor started with an announcer ensemble also registers the task in its ServerSet.)
      fields.push(`announce = Announcer(primary_port = ${pyString(plan.healthAlias)}, portmap = {'health': ${pyString(plan.healthAlias)}})`);
    }
    if (svc.health_check) fields.push(`health_check_config = ${healthCheckConfig(svc.health_check, svc, plan, notes)}`);
    const lc = lifecycle(svc, plan, notes);
    if (lc) fields.push(`lifecycle = ${lc}`);
    jobs.push(`  ${svc.service ? 'Service' : 'Job'}(\n    ${fields.join(',\n    ')}\n  )`);
    noteUnrepresentable(svc, notes);
  }
  blocks.push(`jobs = [\n${jobs.join(',\n')}\n]`);
  return { text: `${blocks.join('\n\n')}\n`, notes: notes.list };
}
