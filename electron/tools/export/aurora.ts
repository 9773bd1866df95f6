// `hearth export aurora`: a .aurora file in the style of the Aurora documentation
// (reference/configuration.md, features/services.md): one Process, Task and Service/Job per Hearth
// service, `{{thermos.ports[NAME]}}` kept as is (Hearth's templates ARE Aurora's), HealthCheckConfig
// with the same five numbers, and `jobs = [...]` at the end. `replicas: N` is Aurora's `instances = N`
// (one job per stack file service; `{{thermos.instance}}` is `{{mesos.instance}}`).
import { groupedStack } from '../../supervisor/config/replicas';
import type { HealthCheckConfig, ServiceConfig, StackConfig } from '../../supervisor/config/types';
import { BUILTIN_DEFAULTS } from '../../supervisor/config/defaults';
import { Notes, type Note } from '../notes';
import { wholeSecs } from './seconds';

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

/** A Python string literal: triple-quoted for multi-line commands (as the docs show), else '...'. */
export function pyString(value: string): string {
  const escaped = value.replaceAll('\\', '\\\\');
  if (value.includes('\n') && !value.includes('"""')) return `"""\n${escaped}\n"""`;
  return `'${escaped.replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}

/** Python identifiers for the service variables, unique. */
function identifiers(services: string[]): Record<string, string> {
  const taken = new Set<string>(['jobs', 'MB', 'GB', 'Process', 'Task', 'Service', 'Job', 'Resources']);
  const out: Record<string, string> = {};
  for (const s of services) {
    let base = s.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^\d/.test(base)) base = `p_${base}`;
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    out[s] = id;
  }
  return out;
}

/** Hearth-only templates made into Aurora ones, or placeholders with a note. */
function auroraTemplate(template: string, where: string, notes: Notes): string {
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (raw, inner: string) => {
    if (/^thermos\.ports\[[^\]]+\]$/.test(inner)) return raw;
    if (inner === 'thermos.instance') return '{{mesos.instance}}';
    const m = /^services\.([^.]+)\.ports\[([^\]]+)\]$/.exec(inner);
    if (m) {
      const placeholder = `REPLACE_ME_${m[1]}_${m[2]}_port`.replace(/[^A-Za-z0-9_]/g, '_');
      notes.add(where, `${raw}: Aurora jobs find each other through ServerSets (Announcer), not templates; written as ${placeholder}`);
      return placeholder;
    }
    return raw;
  });
}

/** Shell-quoted for an `export K=V` line. */
const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function cmdline(svc: ServiceConfig, notes: Notes): string {
  // Thermos processes have no environment setting: export it in the command line instead.
  const exports = Object.entries(svc.env).map(([k, v]) => `export ${k}=${shQuote(auroraTemplate(v, `${svc.name}.env.${k}`, notes))}`);
  const cmd = auroraTemplate(svc.cmd, `${svc.name}.cmd`, notes);
  return exports.length > 0 ? `${exports.join('\n')}\n${cmd}` : cmd;
}

function healthChecker(hc: HealthCheckConfig, svc: ServiceConfig, notes: Notes): string {
  const where = `${svc.name}.health_check`;
  const probe = hc.probe;
  if (probe.kind === 'http') {
    if (probe.port !== BUILTIN_DEFAULTS.health_port) {
      notes.add(where, `probes port "${probe.port}"; Aurora's HTTP checker always uses the port named "health" (rename the port, or alias it with Announcer(portmap={'health': '${probe.port}'}))`);
    }
    const expected = probe.expected_response === null ? "''" : pyString(probe.expected_response);
    return `HealthCheckerConfig(http = HttpHealthChecker(endpoint = ${pyString(probe.endpoint)}, expected_response = ${expected}, expected_response_code = ${probe.expected_response_code}))`;
  }
  if (probe.kind === 'tcp') {
    notes.add(where, 'Aurora has no TCP health checker: written as a ShellHealthChecker that opens the port with bash');
    const command = `bash -c 'exec 3<>/dev/tcp/127.0.0.1/{{thermos.ports[${probe.port}]}}'`;
    return `HealthCheckerConfig(shell = ShellHealthChecker(shell_command = ${pyString(command)}))`;
  }
  return `HealthCheckerConfig(shell = ShellHealthChecker(shell_command = ${pyString(auroraTemplate(probe.shell_command, `${where}.shell`, notes))}))`;
}

function healthCheckConfig(hc: HealthCheckConfig, svc: ServiceConfig, notes: Notes): string {
  const where = `${svc.name}.health_check`;
  // Aurora's fields are Integers.
  const fields = [
    `health_checker = ${healthChecker(hc, svc, notes)}`,
    `initial_interval_secs = ${wholeSecs(hc.initial_interval_secs, 0, where, 'initial_interval_secs', notes)}`,
    `interval_secs = ${wholeSecs(hc.interval_secs, 1, where, 'interval_secs', notes)}`,
    `max_consecutive_failures = ${hc.max_consecutive_failures}`,
    `min_consecutive_successes = ${hc.min_consecutive_successes}`,
    `timeout_secs = ${wholeSecs(hc.timeout_secs, 1, where, 'timeout_secs', notes)}`,
  ];
  return `HealthCheckConfig(\n      ${fields.join(',\n      ')}\n    )`;
}

function lifecycle(svc: ServiceConfig, notes: Notes): string | null {
  const http = svc.lifecycle.http;
  if (!http) {
    if (Object.hasOwn(svc.ports, BUILTIN_DEFAULTS.health_port)) {
      notes.add(`${svc.name}.lifecycle`, 'Aurora POSTs /quitquitquit and /abortabortabort to a "health" port on stop by default; Hearth only does so with lifecycle.http');
    }
    return null;
  }
  const where = `${svc.name}.lifecycle`;
  const fields = [
    `port = ${pyString(http.port)}`,
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
    const ram = svc.resources.ram_bytes;
    const ramText = ram === null ? '128*MB' : ram % MB === 0 ? `${ram / MB}*MB` : String(ram);
    if (ram !== null) notes.add(`${svc.name}.resources`, 'ram becomes the task\'s RAM: Aurora enforces it, Hearth only warns');
    blocks.push(
      [
        `${id} = Process(`,
        `  name = ${pyString(svc.name)},`,
        `  cmdline = ${pyString(cmdline(svc, notes))},`,
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
    if (svc.health_check) fields.push(`health_check_config = ${healthCheckConfig(svc.health_check, svc, notes)}`);
    const lc = lifecycle(svc, notes);
    if (lc) fields.push(`lifecycle = ${lc}`);
    jobs.push(`  ${svc.service ? 'Service' : 'Job'}(\n    ${fields.join(',\n    ')}\n  )`);
    noteUnrepresentable(svc, notes);
  }
  blocks.push(`jobs = [\n${jobs.join(',\n')}\n]`);
  return { text: `${blocks.join('\n\n')}\n`, notes: notes.list };
}
