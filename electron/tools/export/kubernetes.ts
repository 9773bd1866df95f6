// `hearth export kubernetes`: a Deployment (service) or Job (job) per Hearth service, plus a Service
// for every long-running service with ports. How Hearth's semantics map (and what does not):
// - ports: fixed container ports (see ./container-ports.ts), named after the Hearth port; a
//   `127.0.0.1:{{services.X.ports[P]}}` reference becomes the Service DNS name `X:<port>`.
// - health_check -> startupProbe (initialDelaySeconds = the grace period initial_interval_secs),
//   livenessProbe and readinessProbe, all with periodSeconds = interval_secs, timeoutSeconds,
//   failureThreshold = max_consecutive_failures + 1. Kubernetes requires successThreshold 1 on
//   startup and liveness probes, so min_consecutive_successes goes to the readinessProbe only.
// - replicas: one Deployment per stack file service with `replicas: N` (a replicated job: a Job with
//   completions = parallelism = N); instances are folded back by groupedStack.
// - restarts: a Deployment always restarts (a service); a Job retries failures with
//   backoffLimit = max_failures - 1 and restartPolicy Never (so every failure is one pod).
import { Document } from 'yaml';
import { portEnv } from '../../supervisor/port-env';
import { BUILTIN_DEFAULTS } from '../../supervisor/config/defaults';
import { groupedStack } from '../../supervisor/config/replicas';
import type { HealthCheckConfig, ServiceConfig, StackConfig } from '../../supervisor/config/types';
import { Notes, type Note } from '../notes';
import { allContainerPorts, renderForContainer } from './container-ports';
import { k8sObjectNames, k8sPortNames, labelValue } from './k8s-names';
import { wholeSecs } from './seconds';
import { YAML_11_SAFE } from './yaml-output';

type Obj = Record<string, unknown>;

export interface KubernetesExport {
  /** Multi-document YAML. */
  yaml: string;
  /** The same objects, for validation. */
  objects: Obj[];
  notes: Note[];
}

export const IMAGE_ANNOTATION = 'hearth.dev/image';
export const imagePlaceholder = (service: string): string => `REPLACE_ME/${service}:latest`;

interface Ctx {
  stack: StackConfig;
  notes: Notes;
  names: Record<string, string>;
  ports: Record<string, Record<string, number>>;
}

function probes(hc: HealthCheckConfig, svc: ServiceConfig, portNames: Record<string, string>, ctx: Ctx): Obj {
  const where = `${svc.name}.health_check`;
  const { notes } = ctx;
  let handler: Obj;
  const probe = hc.probe;
  if (probe.kind === 'http') {
    handler = { httpGet: { path: probe.endpoint, port: portNames[probe.port] } };
    if (probe.expected_response !== null) notes.add(where, `body check (expected_response "${probe.expected_response}") has no equivalent: Kubernetes only looks at the status`);
    if (probe.expected_response_code !== 0) notes.add(where, `expected_response_code ${probe.expected_response_code}: Kubernetes accepts any status from 200 to 399`);
  } else if (probe.kind === 'tcp') {
    handler = { tcpSocket: { port: portNames[probe.port] } };
  } else {
    handler = { exec: { command: ['/bin/sh', '-c', renderForContainer(probe.shell_command, svc, ctx.ports, { hostOf: (s) => ctx.names[s] ?? s, notes, where: `${where}.shell` })] } };
  }
  const timing = {
    periodSeconds: wholeSecs(hc.interval_secs, 1, where, 'interval_secs', notes),
    timeoutSeconds: wholeSecs(hc.timeout_secs, 1, where, 'timeout_secs', notes),
    failureThreshold: hc.max_consecutive_failures + 1,
  };
  return {
    // The grace period: Aurora ignores failures during initial_interval_secs.
    startupProbe: { ...handler, initialDelaySeconds: wholeSecs(hc.initial_interval_secs, 0, where, 'initial_interval_secs', notes), ...timing, successThreshold: 1 },
    // Runs only once the startup probe passed, so no delay of its own.
    livenessProbe: { ...handler, ...timing, successThreshold: 1 },
    readinessProbe: { ...handler, ...timing, successThreshold: hc.min_consecutive_successes },
  };
}

function container(svc: ServiceConfig, ctx: Ctx): Obj {
  const { notes } = ctx;
  const own = ctx.ports[svc.name] ?? {};
  const portNames = k8sPortNames(svc.name, Object.keys(own), notes);
  const render = (template: string, where: string): string =>
    renderForContainer(template, svc, ctx.ports, { hostOf: (s) => ctx.names[s] ?? s, notes, where });
  const cmd = render(svc.cmd, `${svc.name}.cmd`);
  // Hearth's precedence: the service's env, then what Hearth sets itself (PORT must be the port).
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(svc.env)) env[key] = render(value, `${svc.name}.env.${key}`);
  Object.assign(env, portEnv(own), { HEARTH_SERVICE: svc.name });
  const out: Obj = {
    name: ctx.names[svc.name],
    image: imagePlaceholder(ctx.names[svc.name]!),
    command: ['/bin/sh', '-c', cmd],
  };
  if (Object.keys(own).length > 0) {
    out.ports = Object.entries(own).map(([name, containerPort]) => ({ name: portNames[name], containerPort, protocol: 'TCP' }));
  }
  out.env = Object.entries(env).map(([name, value]) => ({ name, value }));
  if (svc.resources.ram_bytes !== null) {
    // A request, not a limit: a limit would kill the container, Hearth only warns.
    out.resources = { requests: { memory: String(svc.resources.ram_bytes) } };
    notes.add(`${svc.name}.resources`, 'ram is written as a memory request: Hearth only warns, a Kubernetes limit would kill');
  }
  if (svc.health_check) Object.assign(out, probes(svc.health_check, svc, portNames, ctx));
  if (/\b(127\.0\.0\.1|localhost)\b/.test(cmd)) notes.add(`${svc.name}.cmd`, 'binds or calls 127.0.0.1/localhost: in a pod, listen on 0.0.0.0 so probes and Services reach it');
  return out;
}

function podSpec(svc: ServiceConfig, ctx: Ctx, restartPolicy?: string): Obj {
  const spec: Obj = {};
  if (restartPolicy) spec.restartPolicy = restartPolicy;
  // SIGTERM -> SIGKILL grace, as Hearth's shutdown_wait_secs.
  spec.terminationGracePeriodSeconds = wholeSecs(svc.lifecycle.shutdown_wait_secs, 0, `${svc.name}.lifecycle`, 'shutdown_wait_secs', ctx.notes);
  spec.containers = [container(svc, ctx)];
  return spec;
}

function noteUnrepresentable(svc: ServiceConfig, ctx: Ctx): void {
  const { notes } = ctx;
  for (const [dep, cond] of Object.entries(svc.depends_on)) {
    notes.add(`${svc.name}.depends_on`, `${dep} (${cond}): Kubernetes starts everything at once; add an initContainer that waits, or let the service retry`);
  }
  if (svc.lifecycle.http) {
    notes.add(`${svc.name}.lifecycle.http`, 'POST to the shutdown endpoints has no equivalent (a preStop httpGet sends GET); the container gets SIGTERM');
  }
  if (!svc.autostart) notes.add(`${svc.name}.autostart`, 'false has no equivalent: it runs with the others once applied (scale it to 0, or apply it separately)');
  if (svc.lifecycle.stop_signal !== BUILTIN_DEFAULTS.lifecycle.stop_signal) {
    notes.add(`${svc.name}.lifecycle.stop_signal`, `${svc.lifecycle.stop_signal}: the container gets SIGTERM; set STOPSIGNAL in the image`);
  }
  if (svc.cwd !== '.') notes.add(`${svc.name}.cwd`, `"${svc.cwd}" is a folder on this machine; set workingDir to where the code lives in the image`);
  if (svc.env_files.length > 0) notes.add(`${svc.name}.env_file`, 'env files are not read; put them in a ConfigMap or Secret and use envFrom');
  if (svc.watch) notes.add(`${svc.name}.watch`, 'restart on file change has no equivalent in a cluster');
}

const labels = (ctx: Ctx, service: string): Obj => ({
  'app.kubernetes.io/name': ctx.names[service],
  'app.kubernetes.io/part-of': labelValue(ctx.stack.name),
});

function workload(svc: ServiceConfig, ctx: Ctx): Obj {
  const name = ctx.names[svc.name]!;
  const metadata = {
    name,
    labels: { ...labels(ctx, svc.name), 'app.kubernetes.io/managed-by': 'hearth' },
    annotations: { [IMAGE_ANNOTATION]: `placeholder: replace ${imagePlaceholder(name)} with an image that holds this service's code` },
  };
  const template = { metadata: { labels: labels(ctx, svc.name) } };
  if (svc.service) {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: { replicas: svc.replicas, selector: { matchLabels: labels(ctx, svc.name) }, template: { ...template, spec: podSpec(svc, ctx) } },
    };
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: svc.max_failures - 1,
      ...(svc.replicas > 1 ? { completions: svc.replicas, parallelism: svc.replicas } : {}),
      template: { ...template, spec: podSpec(svc, ctx, 'Never') },
    },
  };
}

function service(svc: ServiceConfig, ctx: Ctx): Obj {
  const own = ctx.ports[svc.name]!;
  const portNames = k8sPortNames(svc.name, Object.keys(own), new Notes()); // renames were noted once already
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ctx.names[svc.name], labels: labels(ctx, svc.name) },
    spec: {
      selector: labels(ctx, svc.name),
      ports: Object.entries(own).map(([name, port]) => ({ name: portNames[name], port, targetPort: portNames[name], protocol: 'TCP' })),
    },
  };
}

export function exportKubernetes(resolved: StackConfig): KubernetesExport {
  // One workload per stack file service: `api.0` … `api.2` become one Deployment with replicas: 3.
  const stack = groupedStack(resolved);
  const notes = new Notes();
  const ctx: Ctx = { stack, notes, names: k8sObjectNames(Object.keys(stack.services), notes), ports: allContainerPorts(stack) };
  const docs: Array<{ comment: string; obj: Obj }> = [];
  for (const svc of Object.values(stack.services)) {
    const what = svc.service ? 'service' : `job (max_failures ${svc.max_failures})`;
    docs.push({ comment: `${svc.name}: ${what}. image is a placeholder: replace ${imagePlaceholder(ctx.names[svc.name]!)}.`, obj: workload(svc, ctx) });
    const hasPorts = Object.keys(ctx.ports[svc.name]!).length > 0;
    if (hasPorts && svc.service) docs.push({ comment: `${svc.name}: reachable in the cluster as ${ctx.names[svc.name]}:<port>.`, obj: service(svc, ctx) });
    else if (hasPorts) notes.add(svc.name, 'a job gets no Service: its ports are not reachable from other pods');
    noteUnrepresentable(svc, ctx);
  }
  if (Object.values(stack.services).some((s) => s.health_check)) {
    notes.add('.healthchecksnooze', 'no equivalent: probes cannot be paused from inside a pod');
  }
  notes.add('min_duration, max_backoff_secs', 'no equivalent: Kubernetes backs off crash loops by itself (10 s doubling to 5 min)');
  const header = `Generated by \`hearth export kubernetes\` from ${stack.name} (${stack.file}).`;
  const yaml = docs
    .map(({ comment, obj }, i) => {
      const doc = new Document(obj, YAML_11_SAFE);
      doc.commentBefore = (i === 0 ? [header, comment] : [comment]).map((l) => ` ${l}`).join('\n');
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
  return { yaml, objects: docs.map((d) => d.obj), notes: notes.list };
}
