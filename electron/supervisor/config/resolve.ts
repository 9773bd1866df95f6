// Validated stack file -> resolved StackConfig: every default filled (from ./defaults.ts), ports
// collected, dependency forms normalised, fingerprints computed.
import { createHash } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { BUILTIN_DEFAULTS, layer } from './defaults';
import { envFilesDigest, resolveEnvFiles } from './env-file';
import { collectPortNames } from './ports';
import { expandReplicas } from './replicas';
import type { ServiceFile, StackFile } from './schema';
import { templateServiceRefs } from './templates';
import { parseSize } from './size';
import type {
  DependencyCondition,
  EnvFileRef,
  HealthCheckConfig,
  LifecycleConfig,
  ProbeConfig,
  ServiceConfig,
  ShellConfig,
  StackConfig,
  WatchConfig,
} from './types';

type Defaults = NonNullable<StackFile['defaults']>;

function resolveProbe(hc: NonNullable<ServiceFile['health_check']>): ProbeConfig {
  const d = BUILTIN_DEFAULTS.http_check;
  if (hc.tcp) return { kind: 'tcp', port: hc.tcp.port ?? BUILTIN_DEFAULTS.health_port };
  if (hc.shell) return { kind: 'shell', shell_command: hc.shell.shell_command };
  const http = hc.http ?? {};
  return {
    kind: 'http',
    port: http.port ?? d.port,
    endpoint: http.endpoint ?? d.endpoint,
    // undefined = not given (default applies); null = explicitly no body check.
    expected_response: http.expected_response === undefined ? d.expected_response : http.expected_response,
    expected_response_code: http.expected_response_code ?? d.expected_response_code,
  };
}

function resolveHealth(svc: ServiceFile, ports: Record<string, number | null>, defaults: Defaults | undefined): HealthCheckConfig | null {
  const hc = svc.health_check;
  if (hc === null) return null; // explicitly disabled
  // Aurora: a `health` port without a health_check means an HTTP check on it.
  if (hc === undefined && !Object.hasOwn(ports, BUILTIN_DEFAULTS.health_port)) return null;
  const own = hc ?? {};
  return {
    probe: resolveProbe(own),
    ...layer(BUILTIN_DEFAULTS.health_check, defaults?.health_check, {
      initial_interval_secs: own.initial_interval_secs,
      interval_secs: own.interval_secs,
      max_consecutive_failures: own.max_consecutive_failures,
      min_consecutive_successes: own.min_consecutive_successes,
      timeout_secs: own.timeout_secs,
    }),
  };
}

function resolveLifecycle(svc: ServiceFile, defaults: Defaults | undefined): LifecycleConfig {
  const own = svc.lifecycle;
  const http = own?.http
    ? {
        port: own.http.port ?? BUILTIN_DEFAULTS.health_port,
        graceful_shutdown_endpoint: own.http.graceful_shutdown_endpoint ?? BUILTIN_DEFAULTS.lifecycle_http.graceful_shutdown_endpoint,
        shutdown_endpoint: own.http.shutdown_endpoint ?? BUILTIN_DEFAULTS.lifecycle_http.shutdown_endpoint,
      }
    : null;
  const timings = layer(BUILTIN_DEFAULTS.lifecycle, defaults?.lifecycle, {
    graceful_shutdown_wait_secs: own?.graceful_shutdown_wait_secs,
    stop_signal: own?.stop_signal,
    shutdown_wait_secs: own?.shutdown_wait_secs,
    kill_mode: own?.kill_mode,
  });
  return { http, ...timings };
}

function resolveDependsOn(deps: ServiceFile['depends_on']): Record<string, DependencyCondition> {
  const out: Record<string, DependencyCondition> = {};
  if (Array.isArray(deps)) for (const d of deps) out[d] = 'healthy';
  else if (deps) for (const [d, v] of Object.entries(deps)) out[d] = typeof v === 'string' ? v : v.condition;
  return out;
}

function resolveWatch(watch: ServiceFile['watch']): WatchConfig | null {
  if (!watch) return null;
  if (Array.isArray(watch)) return { paths: watch, ignore: [], debounce_ms: BUILTIN_DEFAULTS.watch_debounce_ms };
  return { paths: watch.paths, ignore: watch.ignore ?? [], debounce_ms: watch.debounce_ms ?? BUILTIN_DEFAULTS.watch_debounce_ms };
}

interface StackLevel {
  defaults: Defaults | undefined;
  dir: string;
  envFiles: EnvFileRef[];
  shell: ShellConfig | null;
}

function resolveService(name: string, svc: ServiceFile, stack: StackLevel): ServiceConfig {
  const defaults = stack.defaults;
  const ports: Record<string, number | null> = {};
  for (const port of collectPortNames(svc)) {
    ports[port] = svc.ports && Object.hasOwn(svc.ports, port) ? (svc.ports[port] ?? null) : null;
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env ?? {})) env[k] = String(v);
  const restart = layer(
    {
      max_failures: BUILTIN_DEFAULTS.max_failures,
      min_duration: BUILTIN_DEFAULTS.min_duration,
      max_backoff_secs: BUILTIN_DEFAULTS.max_backoff_secs,
    },
    { max_failures: defaults?.max_failures, min_duration: defaults?.min_duration, max_backoff_secs: defaults?.max_backoff_secs },
    { max_failures: svc.max_failures, min_duration: svc.min_duration, max_backoff_secs: svc.max_backoff_secs },
  );
  return {
    name,
    group: name,
    instance: 0,
    replicas: svc.replicas ?? 1,
    cmd: svc.cmd,
    cwd: svc.cwd ?? BUILTIN_DEFAULTS.cwd,
    env,
    depends_on: resolveDependsOn(svc.depends_on),
    ports,
    health_check: resolveHealth(svc, ports, defaults),
    lifecycle: resolveLifecycle(svc, defaults),
    autostart: svc.autostart ?? BUILTIN_DEFAULTS.autostart,
    service: svc.service ?? BUILTIN_DEFAULTS.service,
    ...restart,
    logs: layer(BUILTIN_DEFAULTS.logs, logSizes(defaults?.logs), logSizes(svc.logs)),
    env_files: [...stack.envFiles, ...resolveEnvFiles(svc.env_file, stack.dir)],
    watch: resolveWatch(svc.watch),
    resources: { ram_bytes: svc.resources?.ram === undefined ? null : parseSize(svc.resources.ram) },
    shell: stack.shell,
    fingerprint: '',
  };
}

/** A `logs:` section with its sizes in bytes (the file may write `4MiB`). */
function logSizes(logs: ServiceFile['logs']): Partial<ServiceConfig['logs']> | undefined {
  if (!logs) return undefined;
  const { ring_bytes, ...rest } = logs;
  return { ...rest, ring_bytes: ring_bytes === undefined ? undefined : (parseSize(ring_bytes) ?? undefined) };
}

/** JSON with object keys sorted at every level, so equal definitions hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Hash of everything that shapes how the service runs: its resolved definition (defaults included),
 * the stack folder its cwd is relative to, the preferred ports of services its templates read, and
 * the contents of its env files (an edited .env restarts the service on reload). `watch`,
 * `resources` and `autostart` are left out: they change what Hearth does around the process, not the
 * process, so a reload applies them without a restart.
 */
function fingerprintOf(svc: ServiceConfig, dir: string, all: Record<string, ServiceConfig>): string {
  const { fingerprint: _omit, watch: _watch, resources: _resources, replicas: _replicas, autostart: _autostart, depends_on, ...rest } = svc;
  // Scaling a group (replicas: 3 -> 2) adds or removes instances only: the count and the expanded
  // instance list of a dependency are left out, so neither the kept instances nor dependents restart.
  const groupDeps: Record<string, DependencyCondition> = {};
  for (const [dep, condition] of Object.entries(depends_on)) groupDeps[all[dep]?.group ?? dep] = condition;
  const def = { ...rest, depends_on: groupDeps };
  const refs: Record<string, Record<string, number | null>> = {};
  const templates = [svc.cmd, svc.cwd, ...Object.values(svc.env)];
  if (svc.health_check?.probe.kind === 'shell') templates.push(svc.health_check.probe.shell_command);
  for (const t of templates) {
    for (const { service, port } of templateServiceRefs(t)) {
      (refs[service] ??= {})[port] = all[service]?.ports[port] ?? null;
    }
  }
  const envFiles = envFilesDigest(svc.env_files);
  return createHash('sha1').update(canonicalJson({ def, dir, refs, envFiles })).digest('hex');
}

export function resolveStack(data: StackFile, file: string): StackConfig {
  const dir = dirname(file);
  const shell = data.shell ? { shell_command: data.shell.shell_command, shell_argument: data.shell.shell_argument ?? BUILTIN_DEFAULTS.shell_argument } : null;
  const level: StackLevel = { defaults: data.defaults, dir, envFiles: resolveEnvFiles(data.env_file, dir), shell };
  const groups: Record<string, ServiceConfig> = {};
  for (const [name, svc] of Object.entries(data.services)) groups[name] = resolveService(name, svc, level);
  const services = expandReplicas(groups);
  for (const svc of Object.values(services)) svc.fingerprint = fingerprintOf(svc, dir, services);
  return {
    name: data.name ?? basename(dir),
    file,
    dir,
    port_range: data.port_range ?? [...BUILTIN_DEFAULTS.port_range],
    snooze_warn_after_secs: data.snooze_warn_after_secs ?? BUILTIN_DEFAULTS.snooze_warn_after_secs,
    env_files: level.envFiles,
    logs: {
      total_ring_bytes:
        data.logs?.total_ring_bytes === undefined ? BUILTIN_DEFAULTS.stack_logs.total_ring_bytes : (parseSize(data.logs.total_ring_bytes) ?? BUILTIN_DEFAULTS.stack_logs.total_ring_bytes),
    },
    services,
  };
}
