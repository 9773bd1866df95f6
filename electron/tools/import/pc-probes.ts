// process-compose probes -> Hearth's one health check (src/health/probe.go: its defaults are written
// out because Hearth's differ). Probe fields are Go templates, rendered by the caller's `render`.
import { scanTemplate } from '../../supervisor/config/templates';
import type { Notes } from '../notes';
import { isDict, int, str, type Dict } from './pc-values';
import type { ImportedHealthCheck, ImportedService } from './stack-yaml';

export type Render = (text: string, where: string) => string;

/** `{{…}}` that is not a Hearth template (a docker --format string, say). */
export const hasForeignBraces = (text: string): boolean => scanTemplate(text).some((p) => p.token.kind === 'invalid');

interface ProbeResult {
  check: ImportedHealthCheck;
  /** A literal probe port to pin the `http` port to. */
  pinnedPort?: number;
  /** A port that differs per replica (`404{{.PC_REPLICA_NUM}}`), as rendered. */
  replicaPort?: string;
}

function mapProbe(probe: Dict, where: string, notes: Notes, render: Render): ProbeResult | undefined {
  const result: ProbeResult = { check: {} };
  const http = probe.http_get;
  const exec = probe.exec;
  if (isDict(http)) {
    const field = (key: string): string | undefined => {
      const v = str(http[key]);
      return v === undefined ? undefined : render(v, `${where}.http_get.${key}`);
    };
    const host = field('host') ?? '127.0.0.1';
    if (!['127.0.0.1', 'localhost', '0.0.0.0'].includes(host)) notes.add(where, `http_get.host ${host}: Hearth checks 127.0.0.1 only`);
    const scheme = field('scheme') ?? 'http';
    if (scheme !== 'http') notes.add(where, `http_get.scheme ${scheme}: Hearth checks plain HTTP only`);
    if (http.headers !== undefined) notes.add(where, 'http_get.headers: Hearth sends no custom headers');
    const port = field('port');
    if (port !== undefined && /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) result.pinnedPort = Number(port);
    else if (port?.includes('{{thermos.instance}}')) result.replicaPort = port;
    else if (port !== undefined) notes.add(where, `http_get.port ${JSON.stringify(port)} is not a number; the port named http is probed (allocated by Hearth)`);
    const code = int(http.status_code);
    result.check.http = {
      port: 'http',
      endpoint: field('path') ?? '/',
      expected_response: null, // process-compose does not look at the body
      expected_response_code: code !== undefined && code >= 1 && code <= 400 ? code : 200,
    };
    for (const key of Object.keys(http)) {
      if (!['host', 'scheme', 'path', 'port', 'status_code', 'headers'].includes(key)) notes.add(where, `http_get.${key} has no Hearth equivalent`);
    }
  } else if (isDict(exec)) {
    const raw = str(exec.command);
    const command = raw === undefined ? undefined : render(raw, `${where}.exec.command`);
    if (!command) {
      notes.add(where, 'exec probe without a command, skipped');
      return undefined;
    }
    if (hasForeignBraces(command)) {
      // Hearth reads every {{…}} as one of its templates and has no escape for literal braces.
      notes.add(where, `the command has literal {{…}} (${command}), which Hearth would read as a template; probe skipped`);
      return undefined;
    }
    const dir = str(exec.working_dir);
    // A shell check runs in the service's cwd; a probe folder of its own becomes a `cd` first.
    result.check.shell = { shell_command: dir ? `cd '${dir.replaceAll("'", `'\\''`)}' && ${command}` : command };
  } else {
    notes.add(where, 'probe has neither http_get nor exec, skipped');
    return undefined;
  }
  // process-compose's defaults (ValidateAndSetDefaults), written out because Hearth's differ.
  const initial = int(probe.initial_delay_seconds) ?? 0;
  const period = int(probe.period_seconds);
  const timeout = int(probe.timeout_seconds);
  const successes = int(probe.success_threshold);
  const failures = int(probe.failure_threshold);
  result.check.initial_interval_secs = Math.max(0, initial);
  result.check.interval_secs = period !== undefined && period >= 1 ? period : 10;
  result.check.timeout_secs = timeout !== undefined && timeout >= 1 ? timeout : 1;
  result.check.min_consecutive_successes = successes !== undefined && successes >= 1 ? successes : 1;
  // process-compose fails AT failure_threshold; Hearth tolerates max_consecutive_failures, then fails.
  result.check.max_consecutive_failures = (failures !== undefined && failures >= 1 ? failures : 3) - 1;
  for (const key of Object.keys(probe)) {
    if (!['http_get', 'exec', 'initial_delay_seconds', 'period_seconds', 'timeout_seconds', 'success_threshold', 'failure_threshold'].includes(key)) {
      notes.add(where, `${key} has no Hearth equivalent`);
    }
  }
  return result;
}

function sameCheck(a: ImportedHealthCheck, b: ImportedHealthCheck): boolean {
  return JSON.stringify([a.http, a.shell]) === JSON.stringify([b.http, b.shell]);
}

export function mapHealth(proc: Dict, name: string, svc: ImportedService, notes: Notes, render: Render): void {
  const readiness = isDict(proc.readiness_probe) ? mapProbe(proc.readiness_probe, `${name}.readiness_probe`, notes, render) : undefined;
  const liveness = isDict(proc.liveness_probe) ? mapProbe(proc.liveness_probe, `${name}.liveness_probe`, notes, render) : undefined;
  // Hearth has ONE health check that both gates "healthy" (readiness) and restarts on failure
  // (liveness). Readiness wins for what it checks and when it starts counting; liveness for how many
  // failures end the process.
  const base = readiness ?? liveness;
  if (!base) return;
  const check = { ...base.check };
  if (readiness && liveness) {
    check.max_consecutive_failures = liveness.check.max_consecutive_failures;
    if (!sameCheck(readiness.check, liveness.check)) {
      notes.add(`${name}.liveness_probe`, 'Hearth has one health check; the readiness probe\'s check is used, the liveness probe gives only failure_threshold');
    }
  } else if (readiness) {
    notes.add(`${name}.readiness_probe`, 'Hearth restarts a service whose health check keeps failing; process-compose only marks it not ready');
  }
  if (check.http) {
    // The probe's literal port becomes a NAMED port pinned to that number; replicas cannot share one.
    let pinned = readiness?.pinnedPort ?? liveness?.pinnedPort ?? null;
    if (pinned !== null && (svc.replicas ?? 1) > 1) {
      notes.add(`${name}.ports.http`, `probe port ${pinned} for ${svc.replicas} replicas: each instance needs its own, so Hearth allocates them`);
      pinned = null;
    }
    const replicaPort = readiness?.replicaPort ?? liveness?.replicaPort;
    if (replicaPort !== undefined && svc.cmd.includes(replicaPort)) {
      // `http.server 404{{.PC_REPLICA_NUM}}` probed on the same port: that port is the service's http port.
      svc.cmd = svc.cmd.replaceAll(replicaPort, '{{thermos.ports[http]}}');
      notes.add(`${name}.command`, `${replicaPort}, the probed port of each replica, written as {{thermos.ports[http]}}: Hearth allocates one per instance`);
    } else if (replicaPort !== undefined) notes.add(`${name}.ports.http`, `probe port ${replicaPort} is not in the command; the port named http is probed (allocated by Hearth)`);
    svc.ports = { ...svc.ports, http: pinned };
  }
  svc.health_check = check;
}

