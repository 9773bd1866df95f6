// How a Hearth service's ports become Aurora's. Aurora's rules (apache/aurora: config/__init__.py
// ports(), executor/common/health_checker.py, executor/http_lifecycle.py) differ from Hearth's:
// - A port is allocated only when a Process cmdline references `{{thermos.ports[NAME]}}` (or an
//   Announcer portmap aliases it). A port that only a health check or the lifecycle names is never
//   allocated, so every port is exported in the cmdline: as PORT and HEARTH_PORT_<NAME>, which is
//   also what Hearth puts in the environment.
// - The HTTP health checker always probes the port named `health`, and with none it silently runs
//   a no-op checker: a check on another port needs the portmap alias health -> that port.
// - With no health_check_config, and with one whose port is not `health`, Aurora still HTTP-checks a
//   port named `health`; Hearth does not, so such a port is renamed in the Aurora file.
// - The default LifecycleConfig POSTs /quitquitquit to the `health` port on stop; Hearth does only
//   with lifecycle.http, so it is switched off explicitly where a `health` port exists.
// - Ports are allocated dynamically; a pinned port has no equivalent (a static portmap entry needs a
//   dedicated constraint), which is noted.
import { BUILTIN_DEFAULTS } from '../../supervisor/config/defaults';
import type { ServiceConfig } from '../../supervisor/config/types';
import { portEnv } from '../../supervisor/port-env';
import type { Notes } from '../notes';
import { auroraPortRef } from './aurora-templates';

const HEALTH = BUILTIN_DEFAULTS.health_port;
const RENAMED_HEALTH = 'hearth_health';

export interface AuroraPortPlan {
  /** Hearth port name -> the name in the Aurora file. */
  portName: (port: string) => string;
  /** Environment set by Hearth (PORT, HEARTH_PORT_*), as templates: exported first thing in the cmdline. */
  env: Record<string, string>;
  /** The Announcer portmap alias `health -> PORT`, when the HTTP check probes another port. */
  healthAlias: string | null;
  /** Aurora would POST the shutdown endpoints to a `health` port that Hearth leaves alone. */
  disableLifecycle: boolean;
}

/** Would Aurora's executor HTTP-check a port named `health` that Hearth does not check? */
function healthPortNeedsRename(svc: ServiceConfig): boolean {
  if (!Object.hasOwn(svc.ports, HEALTH)) return false;
  const probe = svc.health_check?.probe;
  if (!probe) return true; // Aurora's default HealthCheckConfig is an HTTP check of `health`
  return probe.kind === 'http' && probe.port !== HEALTH;
}

export function planPorts(svc: ServiceConfig, notes: Notes): AuroraPortPlan {
  const renames = new Map<string, string>();
  if (healthPortNeedsRename(svc)) {
    let name = RENAMED_HEALTH;
    for (let i = 2; Object.hasOwn(svc.ports, name); i++) name = `${RENAMED_HEALTH}_${i}`;
    renames.set(HEALTH, name);
    notes.add(
      `${svc.name}.ports.${HEALTH}`,
      `named "${name}" in Aurora: its executor HTTP-checks any port named "${HEALTH}", which Hearth ${svc.health_check ? 'does not check here' : 'only checks without health_check: null'} (HEARTH_PORT_HEALTH keeps its name)`,
    );
  }
  const portName = (port: string): string => renames.get(port) ?? port;

  const probe = svc.health_check?.probe;
  const healthAlias = probe?.kind === 'http' && probe.port !== HEALTH ? portName(probe.port) : null;
  const auroraHasHealth = healthAlias !== null || (Object.hasOwn(svc.ports, HEALTH) && !renames.has(HEALTH));

  for (const [port, preferred] of Object.entries(svc.ports)) {
    if (preferred === null) continue;
    notes.add(
      `${svc.name}.ports.${port}`,
      `pinned to ${preferred}: Aurora allocates every port (a fixed one is an Announcer portmap entry {'${portName(port)}': ${preferred}} and needs a dedicated constraint); written as allocated`,
    );
  }
  const refs = Object.fromEntries(Object.keys(svc.ports).map((port) => [port, auroraPortRef(portName(port))]));
  return { portName, env: portEnv(refs), healthAlias, disableLifecycle: auroraHasHealth && svc.lifecycle.http === null };
}
