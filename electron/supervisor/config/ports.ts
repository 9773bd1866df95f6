// Which port NAMES a service owns. Works on unvalidated data (so validation can report template
// problems in the same pass as schema problems) and on validated data alike.
import { BUILTIN_DEFAULTS } from './defaults';
import type { Path } from './issues';
import { templatePortNames } from './templates';

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Every template string of a service with its path relative to the service. */
export function templateFields(svc: unknown): Array<{ path: Path; value: string }> {
  if (!isRecord(svc)) return [];
  const out: Array<{ path: Path; value: string }> = [];
  const add = (path: Path, v: unknown): void => {
    const s = str(v);
    if (s !== undefined) out.push({ path, value: s });
  };
  add(['cmd'], svc.cmd);
  add(['cwd'], svc.cwd);
  if (isRecord(svc.env)) for (const [k, v] of Object.entries(svc.env)) add(['env', k], v);
  const hc = svc.health_check;
  if (isRecord(hc) && isRecord(hc.shell)) add(['health_check', 'shell', 'shell_command'], hc.shell.shell_command);
  return out;
}

/** The port a probe/lifecycle section uses: its `port:` or, when left out, the `health` port. */
function sectionPort(section: unknown): string | undefined {
  if (!isRecord(section)) return undefined;
  return str(section.port) ?? BUILTIN_DEFAULTS.health_port;
}

/**
 * Port names owned by a service, in a stable order: `ports:` first (file order), then names used in
 * templates, then health-check port. A lifecycle.http without `port:` only borrows `health` if it
 * is already owned, so it never adds that name on its own.
 */
export function collectPortNames(svc: unknown): string[] {
  if (!isRecord(svc)) return [];
  const names = new Set<string>();
  if (isRecord(svc.ports)) for (const k of Object.keys(svc.ports)) names.add(k);
  for (const { value } of templateFields(svc)) for (const n of templatePortNames(value)) names.add(n);
  const hc = svc.health_check;
  if (isRecord(hc)) {
    for (const kind of ['http', 'tcp'] as const) {
      const p = sectionPort(hc[kind]);
      if (p !== undefined) names.add(p);
    }
  }
  const lc = svc.lifecycle;
  if (isRecord(lc) && isRecord(lc.http)) {
    const p = str(lc.http.port);
    if (p !== undefined) names.add(p);
  }
  return [...names];
}
