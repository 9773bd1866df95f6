// Ports and templates for one-container-per-service targets (Kubernetes, compose). Each service runs
// in its own network namespace, so every named port gets a FIXED container port: its preferred
// number, else 8080, 8081… (first free, in the service's port order). A service reaches another one
// by its DNS name: `127.0.0.1:{{services.api.ports[http]}}` becomes `api:8080`.
import { renderTemplate, scanTemplate } from '../../supervisor/config/templates';
import type { ServiceConfig, StackConfig } from '../../supervisor/config/types';
import type { Notes } from '../notes';

const FIRST_FREE_PORT = 8080;

/** Container port per port name of one service. Pure and stable for a given definition. */
export function containerPorts(svc: ServiceConfig): Record<string, number> {
  const out: Record<string, number> = {};
  const used = new Set<number>();
  for (const [name, preferred] of Object.entries(svc.ports)) {
    if (preferred !== null && !used.has(preferred)) {
      out[name] = preferred;
      used.add(preferred);
    }
  }
  let next = FIRST_FREE_PORT;
  for (const name of Object.keys(svc.ports)) {
    if (Object.hasOwn(out, name)) continue;
    while (used.has(next)) next++;
    out[name] = next;
    used.add(next);
  }
  return out;
}

export function allContainerPorts(stack: StackConfig): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.values(stack.services).map((svc) => [svc.name, containerPorts(svc)]));
}

const LOOPBACK_REF_RE = /(?:127\.0\.0\.1|localhost|\[::1\]):\{\{\s*services\.([a-z0-9][a-z0-9_-]*)\.ports\[([A-Za-z0-9_-]+)\]\s*\}\}/g;

export interface ContainerTemplateOptions {
  /** DNS name under which the target finds another service (the k8s Service / compose service name). */
  hostOf: (service: string) => string;
  notes: Notes;
  /** Where the template is, for notes: "web.cmd". */
  where: string;
}

/**
 * Render a Hearth template for a container: own ports -> container port numbers, a loopback
 * address plus another service's port -> `host:port`, a bare cross-service port -> its number
 * (noted: the host in front of it still says 127.0.0.1 or whatever the file wrote).
 */
export function renderForContainer(
  template: string,
  svc: ServiceConfig,
  ports: Record<string, Record<string, number>>,
  opts: ContainerTemplateOptions,
): string {
  const withHosts = template.replace(LOOPBACK_REF_RE, (raw, service: string, port: string) => {
    const number = ports[service]?.[port];
    return number === undefined ? raw : `${opts.hostOf(service)}:${number}`;
  });
  for (const { token } of scanTemplate(withHosts)) {
    if (token.kind === 'service-port') {
      opts.notes.add(opts.where, `{{services.${token.service}.ports[${token.port}]}} without a 127.0.0.1/localhost host in front: written as the port number; point its host at "${opts.hostOf(token.service)}"`);
    } else if (token.kind === 'instance') {
      opts.notes.add(opts.where, '{{thermos.instance}} written as 0: replicas of one Deployment share a spec');
    }
  }
  return renderTemplate(withHosts, { ports: ports[svc.name] ?? {}, servicePorts: ports, instance: 0 });
}
