// `hearth export compose`: a Compose file (compose-spec) with one container per Hearth service.
// Ports and cross-service references as for Kubernetes (./container-ports.ts): fixed container
// ports, `127.0.0.1:{{services.api.ports[http]}}` -> `api:8080` (Compose's service DNS). Every `$`
// Hearth wrote is doubled: Compose would otherwise interpolate it when reading the file, while the
// shell in the container is what should see it. `replicas: N` is one Compose service with
// `deploy.replicas: N` (Compose has no per-replica index, so `{{thermos.instance}}` is written as 0).
import { BUILTIN_DEFAULTS } from '../../supervisor/config/defaults';
import { groupedStack } from '../../supervisor/config/replicas';
import { relative } from 'node:path';
import { Document } from 'yaml';
import type { HealthCheckConfig, ServiceConfig, StackConfig } from '../../supervisor/config/types';
import { portEnv } from '../../supervisor/port-env';
import { Notes, type Note } from '../notes';
import { allContainerPorts, renderForContainer } from './container-ports';
import { YAML_11_SAFE } from './yaml-output';

export interface ComposeOptions {
  /** Folder the compose file will live in, for relative env_file paths (default: the stack's). */
  baseDir?: string;
}

export interface ComposeExport {
  yaml: string;
  /** The compose model, for tests. */
  data: Record<string, unknown>;
  notes: Note[];
}

const ON_DEMAND_PROFILE = 'on-demand';

const CONDITIONS = { healthy: 'service_healthy', started: 'service_started', completed: 'service_completed_successfully' } as const;

/** Compose interpolates `$VAR` while reading the file; `$$` is a literal `$`. */
export const escapeDollars = (s: string): string => s.replaceAll('$', '$$$$');

/** A Compose duration: whole seconds as "5s", fractions in milliseconds ("100ms"). */
export function duration(secs: number): string {
  return Number.isInteger(secs) ? `${secs}s` : `${Math.round(secs * 1000)}ms`;
}

const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function healthcheck(hc: HealthCheckConfig, svc: ServiceConfig, ports: Record<string, number>, render: (t: string, w: string) => string, notes: Notes): Record<string, unknown> {
  const where = `${svc.name}.health_check`;
  const probe = hc.probe;
  let test: string;
  if (probe.kind === 'http') {
    const url = shQuote(`http://127.0.0.1:${ports[probe.port]}${probe.endpoint}`);
    if (probe.expected_response_code !== 0) {
      test = `test "$(curl -s -o /dev/null -w '%{http_code}' ${url})" = ${probe.expected_response_code}`;
      if (probe.expected_response !== null) notes.add(where, 'with expected_response_code set, the body is not compared');
    } else if (probe.expected_response !== null) test = `curl -fsS ${url} | grep -qix ${shQuote(probe.expected_response)}`;
    else test = `curl -fsS -o /dev/null ${url}`;
    notes.add(where, 'the HTTP check runs curl inside the container: the image needs curl');
  } else if (probe.kind === 'tcp') {
    test = `nc -z 127.0.0.1 ${ports[probe.port]}`;
    notes.add(where, 'the TCP check runs nc inside the container: the image needs nc');
  } else test = render(probe.shell_command, `${where}.shell`);
  if (hc.min_consecutive_successes > 1) notes.add(where, `min_consecutive_successes ${hc.min_consecutive_successes}: Compose is healthy after one success`);
  return {
    test: ['CMD-SHELL', escapeDollars(test)],
    interval: duration(hc.interval_secs),
    timeout: duration(hc.timeout_secs),
    // Compose turns unhealthy after `retries` consecutive failures; Hearth tolerates max_consecutive_failures.
    retries: hc.max_consecutive_failures + 1,
    // The grace period: failures during start_period do not count.
    start_period: duration(hc.initial_interval_secs),
  };
}


function noteUnrepresentable(svc: ServiceConfig, notes: Notes): void {
  if (svc.health_check) notes.add(`${svc.name}.health_check`, 'an unhealthy container is only marked unhealthy; Compose does not restart it as Hearth does');
  if (svc.lifecycle.http) notes.add(`${svc.name}.lifecycle.http`, 'the shutdown endpoints are not called; the container gets its stop signal, then SIGKILL after stop_grace_period');
  if (svc.cwd !== '.') notes.add(`${svc.name}.cwd`, `"${svc.cwd}" is a folder on this machine; set working_dir to where the code lives in the image`);
  if (svc.watch) notes.add(`${svc.name}.watch`, 'not exported: Compose watch (develop.watch) needs a build context');
}

function composeService(svc: ServiceConfig, stack: StackConfig, all: Record<string, Record<string, number>>, baseDir: string, notes: Notes): Record<string, unknown> {
  const own = all[svc.name] ?? {};
  const render = (template: string, where: string): string => renderForContainer(template, svc, all, { hostOf: (s) => s, notes, where });
  const out: Record<string, unknown> = {
    image: `REPLACE_ME/${svc.name}:latest`,
    command: ['/bin/sh', '-c', escapeDollars(render(svc.cmd, `${svc.name}.cmd`))],
  };
  if (svc.env_files.length > 0) {
    out.env_file = svc.env_files.map((f) => ({ path: relative(baseDir, f.path) || '.', required: f.required }));
  }
  // Hearth's precedence: the service's env, then what Hearth sets itself (PORT must be the port).
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(svc.env)) env[key] = render(value, `${svc.name}.env.${key}`);
  Object.assign(env, portEnv(own), { HEARTH_SERVICE: svc.name });
  out.environment = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, escapeDollars(v)]));
  if (Object.keys(own).length > 0) {
    // Long syntax keeps the port's name; a preferred port is published on the same host port
    // (loopback only, as Hearth binds), others on any free one.
    out.ports = Object.entries(own).map(([name, target]) => {
      const port: Record<string, unknown> = { name, target, host_ip: '127.0.0.1', protocol: 'tcp' };
      if (svc.ports[name] !== null) port.published = String(target);
      return port;
    });
  }
  const deps = Object.entries(svc.depends_on);
  if (deps.length > 0) {
    out.depends_on = Object.fromEntries(
      deps.map(([dep, cond]) => {
        let condition: string = CONDITIONS[cond];
        const target = stack.services[dep];
        if (cond === 'healthy' && !target?.health_check) condition = CONDITIONS.started; // Hearth: running = healthy without a check
        if (target && !target.autostart) {
          // Compose refuses a file whose services depend on one left out by its profile, unless the
          // dependency is optional; Hearth starts an on-demand dependency along with the dependent.
          notes.add(`${svc.name}.depends_on.${dep}`, `"${dep}" is on demand (profile ${ON_DEMAND_PROFILE}): written with required: false; run with --profile ${ON_DEMAND_PROFILE} to have it started first, as Hearth does`);
          return [dep, { condition, required: false }];
        }
        return [dep, { condition }];
      }),
    );
  }
  if (svc.health_check) out.healthcheck = healthcheck(svc.health_check, svc, own, render, notes);
  // A job retries failures: max_failures runs in all, so max_failures - 1 restarts.
  out.restart = svc.service ? 'always' : svc.max_failures > 1 ? `on-failure:${svc.max_failures - 1}` : 'no';
  if (svc.lifecycle.stop_signal !== BUILTIN_DEFAULTS.lifecycle.stop_signal) out.stop_signal = svc.lifecycle.stop_signal;
  out.stop_grace_period = duration(svc.lifecycle.shutdown_wait_secs);
  if (svc.replicas > 1) out.deploy = { replicas: svc.replicas };
  // Compose's on-demand: a service with a profile starts only when named or its profile is enabled.
  if (!svc.autostart) out.profiles = [ON_DEMAND_PROFILE];
  if (svc.resources.ram_bytes !== null) {
    out.mem_reservation = svc.resources.ram_bytes;
    notes.add(`${svc.name}.resources`, 'ram is written as mem_reservation (a soft limit): Hearth only warns');
  }
  noteUnrepresentable(svc, notes);
  return out;
}

export function exportCompose(resolved: StackConfig, opts: ComposeOptions = {}): ComposeExport {
  const stack = groupedStack(resolved);
  const notes = new Notes();
  const all = allContainerPorts(stack);
  const baseDir = opts.baseDir ?? stack.dir;
  const project = stack.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'hearth';
  const services = Object.fromEntries(Object.values(stack.services).map((svc) => [svc.name, composeService(svc, stack, all, baseDir, notes)]));
  if (Object.values(stack.services).some((s) => s.health_check)) notes.add('.healthchecksnooze', 'no equivalent: Compose health checks cannot be paused');
  notes.add('min_duration, max_backoff_secs', 'no equivalent: Docker backs off restarts by itself');
  const data = { name: project, services };
  const doc = new Document(data, YAML_11_SAFE);
  doc.commentBefore = [
    ` Generated by \`hearth export compose\` from ${stack.name} (${stack.file}).`,
    ' Every image is a placeholder: replace REPLACE_ME/<service>:latest with an image holding the code.',
  ].join('\n');
  return { yaml: doc.toString({ lineWidth: 0 }), data, notes: notes.list };
}
