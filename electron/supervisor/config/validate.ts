// Cross-field rules the schema cannot express: templates, dependencies (unknown names, cycles),
// probe choice, lifecycle port. Runs on the raw parsed data, defensively, so its issues are
// reported together with the schema's instead of only after those are fixed.
import { BUILTIN_DEFAULTS } from './defaults';
import { didYouMean, type Path, type RawIssue } from './issues';
import { collectPortNames, isRecord, templateFields } from './ports';
import { scanTemplate } from './templates';

export const MAX_SERVICES = 256;
/** Processes after `replicas:` expansion: bounds what one stack file can ask the machine to run. */
export const MAX_INSTANCES = 1024;
const PROBES = ['http', 'tcp', 'shell'] as const;
const ALLOWED_TOKENS = '{{thermos.ports[NAME]}}, {{services.NAME.ports[NAME]}} or {{thermos.instance}}';

export function validateSemantics(data: unknown): RawIssue[] {
  if (!isRecord(data)) return [];
  const issues: RawIssue[] = findProtoKeys(data, []);

  const range = data.port_range;
  if (Array.isArray(range) && range.length === 2 && typeof range[0] === 'number' && typeof range[1] === 'number') {
    if (range[0] >= range[1]) {
      issues.push({ path: ['port_range'], message: `the low port must be below the high port, got [${range[0]}, ${range[1]}]` });
    }
  }

  const services = data.services;
  if (!isRecord(services)) return issues;
  const names = Object.keys(services);
  if (names.length === 0) {
    issues.push({ path: ['services'], message: 'at least one service is required' });
    return issues;
  }
  // Also bounds the recursion depth of the cycle search below.
  if (names.length > MAX_SERVICES) {
    issues.push({ path: ['services'], message: `too many services (${names.length}); the limit is ${MAX_SERVICES}` });
    return issues;
  }
  const owned = new Map(names.map((n) => [n, new Set(collectPortNames(services[n]))]));
  const instances = names.reduce((sum, n) => sum + replicasOf(services[n]), 0);
  if (instances > MAX_INSTANCES) {
    issues.push({ path: ['services'], message: `too many instances (${instances} with replicas); the limit is ${MAX_INSTANCES}` });
  }

  for (const name of names) {
    const svc = services[name];
    if (!isRecord(svc)) continue;
    const base: Path = ['services', name];
    issues.push(...checkTemplates(svc, base, services, owned));
    issues.push(...checkProbes(svc, base, owned.get(name)!));
    issues.push(...checkDependencies(svc, base, services));
    issues.push(...checkReplicas(svc, base, name));
  }
  issues.push(...findCycles(services));
  return issues;
}

function checkTemplates(
  svc: Record<string, unknown>,
  base: Path,
  services: Record<string, unknown>,
  owned: Map<string, Set<string>>,
): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const field of templateFields(svc)) {
    const path = [...base, ...field.path];
    for (const { token, raw } of scanTemplate(field.value)) {
      if (token.kind === 'invalid') {
        issues.push({ path, within: raw, message: `unsupported template ${JSON.stringify(raw)}: use ${ALLOWED_TOKENS}` });
      } else if (token.kind === 'service-port') {
        if (!Object.hasOwn(services, token.service)) {
          issues.push({
            path,
            within: raw,
            message: `unknown service "${token.service}" in ${raw}${didYouMean(token.service, Object.keys(services))}`,
          });
        } else if (!owned.get(token.service)!.has(token.port)) {
          const theirs = [...owned.get(token.service)!];
          const hint = theirs.length ? `its ports: ${theirs.join(', ')}` : 'it has no ports';
          issues.push({ path, within: raw, message: `service "${token.service}" has no port "${token.port}" (${hint})` });
        }
      }
    }
  }
  return issues;
}

function checkProbes(svc: Record<string, unknown>, base: Path, ports: Set<string>): RawIssue[] {
  const issues: RawIssue[] = [];
  const hc = svc.health_check;
  if (isRecord(hc)) {
    const given = PROBES.filter((k) => hc[k] !== undefined);
    if (given.length > 1) {
      issues.push({ path: [...base, 'health_check'], message: `use only one of http, tcp or shell (got ${given.join(' and ')})` });
    } else if (given.length === 0 && !ports.has(BUILTIN_DEFAULTS.health_port)) {
      issues.push({
        path: [...base, 'health_check'],
        message: `needs one of http, tcp or shell (or a port named "${BUILTIN_DEFAULTS.health_port}" for the implicit HTTP check)`,
      });
    }
  }
  const lc = svc.lifecycle;
  if (isRecord(lc) && isRecord(lc.http) && lc.http.port === undefined && !ports.has(BUILTIN_DEFAULTS.health_port)) {
    issues.push({
      path: [...base, 'lifecycle', 'http'],
      message: `no port given and the service has no port named "${BUILTIN_DEFAULTS.health_port}"`,
    });
  }
  return issues;
}

function replicasOf(svc: unknown): number {
  return isRecord(svc) && typeof svc.replicas === 'number' && Number.isInteger(svc.replicas) && svc.replicas > 1 ? svc.replicas : 1;
}

function checkReplicas(svc: Record<string, unknown>, base: Path, name: string): RawIssue[] {
  const n = replicasOf(svc);
  if (n === 1) return [];
  const issues: RawIssue[] = [];
  const longest = `${name}.${n - 1}`;
  // Instance names must still be valid service names (at most 64 characters).
  if (longest.length > 64) {
    issues.push({ path: [...base, 'replicas'], message: `instance names such as "${longest}" would be longer than 64 characters; shorten the service name` });
  }
  if (isRecord(svc.ports)) {
    for (const [port, preferred] of Object.entries(svc.ports)) {
      if (typeof preferred !== 'number') continue;
      issues.push({
        path: [...base, 'ports', port],
        message: `a service with replicas: ${n} cannot pin port ${preferred}: each instance needs its own port; use null to have one allocated per instance`,
      });
    }
  }
  return issues;
}

/** depends_on entries as [target, path of the entry, condition], for either form. */
function dependencyEntries(svc: unknown, base: Path): Array<{ target: string; path: Path; condition: unknown }> {
  if (!isRecord(svc)) return [];
  const deps = svc.depends_on;
  const path = [...base, 'depends_on'];
  if (Array.isArray(deps)) {
    return deps.flatMap((d, i) => (typeof d === 'string' ? [{ target: d, path: [...path, i], condition: 'healthy' }] : []));
  }
  if (isRecord(deps)) {
    return Object.entries(deps).map(([target, v]) => ({
      target,
      path: [...path, target],
      condition: isRecord(v) ? v.condition : v,
    }));
  }
  return [];
}

function checkDependencies(svc: Record<string, unknown>, base: Path, services: Record<string, unknown>): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const { target, path, condition } of dependencyEntries(svc, base)) {
    if (!Object.hasOwn(services, target)) {
      // Never suggest the service itself: depending on yourself is no fix.
      const others = Object.keys(services).filter((n) => n !== base[base.length - 1]);
      issues.push({ path, at: 'key', message: `unknown service "${target}"${didYouMean(target, others)}` });
      continue;
    }
    const other = services[target];
    if (condition === 'completed' && isRecord(other) && other.service !== false) {
      issues.push({ path, at: 'key', message: `condition "completed" needs a job (service: false), but "${target}" is a service` });
    }
  }
  return issues;
}

/** Every distinct depends_on cycle, reported once at the edge that closes it, in file order. */
function findCycles(services: Record<string, unknown>): RawIssue[] {
  const issues: RawIssue[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    for (const { target } of dependencyEntries(services[name], ['services', name])) {
      if (!Object.hasOwn(services, target)) continue;
      const s = state.get(target);
      if (s === 'active') {
        const cycle = [...stack.slice(stack.indexOf(target)), target];
        const key = [...cycle.slice(0, -1)].sort().join('\0');
        if (!reported.has(key)) {
          reported.add(key);
          const entry = dependencyEntries(services[name], ['services', name]).find((e) => e.target === target)!;
          issues.push({ path: entry.path, at: 'key', message: `depends_on cycle: ${cycle.join(' -> ')}` });
        }
      } else if (s === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) if (!state.has(name)) visit(name);
  return issues;
}

/**
 * `__proto__` keys: zod's records silently drop them, and as a key of a plain object they would set
 * the prototype instead of a value, so they are rejected wherever they appear.
 */
function findProtoKeys(value: unknown, path: Path, depth = 0): RawIssue[] {
  if (depth > 50 || (typeof value !== 'object' || value === null)) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const issues: RawIssue[] = [];
  for (const [k, v] of entries) {
    if (k === '__proto__') issues.push({ path: [...path, k], at: 'key', message: 'the key "__proto__" is not allowed' });
    else issues.push(...findProtoKeys(v, [...path, k], depth + 1));
  }
  return issues;
}
