// What a service's process is given: its templates rendered with the stack's ports, its environment and
// its working folder. One definition for the supervisor's spawns and for `hearth run`, which starts a
// one-off command exactly as the service would be started.
import type { ServiceConfig } from './config/types';
import { renderTemplate } from './config/templates';
import { resolveWorkDir } from './config/work-dir';
import { portEnv } from './port-env';

/** Every service's named ports: `{ api: { http: 20001 } }`. */
export type StackPorts = Record<string, Record<string, number>>;

export function renderFor(cfg: ServiceConfig, ports: StackPorts, template: string): string {
  return renderTemplate(template, { ports: ports[cfg.name] ?? {}, servicePorts: ports, instance: cfg.instance });
}

export function serviceWorkDir(cfg: ServiceConfig, ports: StackPorts, stackDir: string): string {
  return resolveWorkDir(stackDir, renderFor(cfg, ports, cfg.cwd));
}

/**
 * Precedence, lowest first: `base` (the process environment) < env files (stack's, then the service's, in
 * order; `fileEnv`) < `env:` (templates rendered) < what Hearth sets itself, which must be right for the
 * health checks and the snooze file to work: PORT, HEARTH_PORT_*, HEARTH_SANDBOX, HEARTH_SERVICE.
 */
export function serviceEnv(
  cfg: ServiceConfig,
  ports: StackPorts,
  sandbox: string,
  fileEnv: Record<string, string>,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...fileEnv };
  for (const [key, value] of Object.entries(cfg.env)) env[key] = renderFor(cfg, ports, value);
  return { ...env, ...portEnv(ports[cfg.name] ?? {}), HEARTH_SANDBOX: sandbox, HEARTH_SERVICE: cfg.name };
}
