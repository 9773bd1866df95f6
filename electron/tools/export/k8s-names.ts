// Kubernetes naming rules, which are stricter than Hearth's: object names are DNS-1035 labels
// (lowercase alphanumerics and "-", start with a letter, at most 63) so they also work as Service
// names; port names are IANA service names (at most 15, at least one letter, no "--").
import type { Notes } from '../notes';

function unique(base: string, taken: Set<string>, max: number): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) {
    const suffix = `-${i}`;
    name = `${base.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(name);
  return name;
}

/** Service name -> Kubernetes object name (unique); renames are noted. */
export function k8sObjectNames(services: string[], notes: Notes): Record<string, string> {
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  for (const service of services) {
    let base = service.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 63).replace(/-+$/, '');
    if (base === '') base = `svc-${service.replace(/[^a-z0-9]+/g, '')}`.slice(0, 63).replace(/-+$/, '');
    out[service] = unique(base, taken, 63);
    if (out[service] !== service) notes.add(service, `named "${out[service]}" in Kubernetes (DNS-1035 label)`);
  }
  return out;
}

/** Port names of one service -> IANA_SVC_NAME (unique within the container); renames are noted. */
export function k8sPortNames(service: string, ports: string[], notes: Notes): Record<string, string> {
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  for (const port of ports) {
    let base = port.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 15).replace(/-+$/, '');
    if (!/[a-z]/.test(base)) base = `p-${base}`.slice(0, 15).replace(/-+$/, '');
    out[port] = unique(base, taken, 15);
    if (out[port] !== port) notes.add(`${service}.ports.${port}`, `named "${out[port]}" in Kubernetes (IANA service name)`);
  }
  return out;
}

/** A label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const v = text.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return v === '' ? 'hearth' : v;
}
