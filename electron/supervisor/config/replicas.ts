// `replicas: N` is expanded when the stack is resolved: a replicated `api` becomes the ordinary
// services `api.0` … `api.N-1`, so the supervisor, ports, sandboxes and snooze files need no notion of
// groups. What points at the group from outside is rewritten here: `depends_on: [api]` means every
// instance, `{{services.api.ports[P]}}` means instance 0 (Aurora's "first instance").
import { scanTemplate } from './templates';
import type { DependencyCondition, ServiceConfig, StackConfig } from './types';

export function instanceName(group: string, instance: number): string {
  return `${group}.${instance}`;
}

/** The service names a group stands for: itself when not replicated, else its instances. */
export function instanceNames(group: string, replicas: number): string[] {
  if (replicas <= 1) return [group];
  return Array.from({ length: replicas }, (_, i) => instanceName(group, i));
}

/** Rename the service of every `{{services.S.ports[P]}}` for which `to(S)` is not null; other text is kept as written. */
function renameServiceRefs(template: string, to: (service: string) => string | null): string {
  let out = '';
  let at = 0;
  for (const { token, raw, index } of scanTemplate(template)) {
    const renamed = token.kind === 'service-port' ? to(token.service) : null;
    if (renamed === null || token.kind !== 'service-port') continue;
    out += `${template.slice(at, index)}{{services.${renamed}.ports[${token.port}]}}`;
    at = index + raw.length;
  }
  return out + template.slice(at);
}

/** Point `{{services.G.ports[P]}}` at instance 0 of every replicated group G. */
export function pointAtFirstInstance(template: string, replicated: ReadonlySet<string>): string {
  return renameServiceRefs(template, (s) => (replicated.has(s) ? instanceName(s, 0) : null));
}

function rewriteTemplates(svc: ServiceConfig, replicated: ReadonlySet<string>): ServiceConfig {
  if (replicated.size === 0) return svc;
  const r = (t: string): string => pointAtFirstInstance(t, replicated);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.env)) env[k] = r(v);
  const hc = svc.health_check;
  const health_check = hc?.probe.kind === 'shell' ? { ...hc, probe: { ...hc.probe, shell_command: r(hc.probe.shell_command) } } : hc;
  return { ...svc, cmd: r(svc.cmd), cwd: r(svc.cwd), env, health_check };
}

/**
 * Resolved services by file key (each with its `replicas`) -> services by instance name, in file
 * order, every instance a full ServiceConfig of its own (fingerprints are left to the caller).
 */
export function expandReplicas(groups: Record<string, ServiceConfig>): Record<string, ServiceConfig> {
  const replicated = new Set(Object.values(groups).filter((g) => g.replicas > 1).map((g) => g.group));
  const out: Record<string, ServiceConfig> = {};
  for (const group of Object.values(groups)) {
    const depends_on: Record<string, DependencyCondition> = {};
    for (const [dep, condition] of Object.entries(group.depends_on)) {
      for (const name of instanceNames(dep, groups[dep]?.replicas ?? 1)) depends_on[name] = condition;
    }
    const base = rewriteTemplates({ ...group, depends_on }, replicated);
    if (group.replicas <= 1) {
      out[group.name] = base;
      continue;
    }
    for (let i = 0; i < group.replicas; i++) {
      const name = instanceName(group.group, i);
      out[name] = { ...base, name, instance: i };
    }
  }
  return out;
}

/**
 * The stack as the file has it: one service per group, named by its key (instance 0's definition,
 * with `replicas` telling how many), dependencies and references back on group names. For exports,
 * which run N copies of one definition (a Deployment's replicas, Aurora's instances).
 */
export function groupedStack(stack: StackConfig): StackConfig {
  const replicated = new Set<string>();
  for (const svc of Object.values(stack.services)) if (svc.replicas > 1) replicated.add(svc.group);
  if (replicated.size === 0) return stack;
  const back = (t: string): string =>
    renameServiceRefs(t, (s) => {
      const ref = stack.services[s];
      return ref && ref.name !== ref.group ? ref.group : null;
    });
  const services: Record<string, ServiceConfig> = {};
  for (const svc of Object.values(stack.services)) {
    if (svc.instance !== 0 || services[svc.group]) continue;
    const depends_on: Record<string, DependencyCondition> = {};
    for (const [dep, condition] of Object.entries(svc.depends_on)) depends_on[stack.services[dep]?.group ?? dep] = condition;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.env)) env[k] = back(v);
    const hc = svc.health_check;
    const health_check = hc?.probe.kind === 'shell' ? { ...hc, probe: { ...hc.probe, shell_command: back(hc.probe.shell_command) } } : hc;
    services[svc.group] = { ...svc, name: svc.group, depends_on, cmd: back(svc.cmd), cwd: back(svc.cwd), env, health_check };
  }
  return { ...stack, services };
}
