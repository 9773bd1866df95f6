// process-compose.yaml -> Hearth stack. Processes become services; probes become the one Aurora-style
// health_check; availability becomes service/max_failures. Whatever has no Hearth meaning is
// reported, never silently dropped. Field names and defaults follow process-compose's own
// types (src/types/process.go, src/health/probe.go).
import { parse } from 'yaml';
import { STOP_SIGNALS } from '../../supervisor/config/schema';
import type { DependencyCondition, StopSignal } from '../../supervisor/config/types';
import { Notes, type Note } from '../notes';
import { toServiceName } from './names';
import type { ImportedHealthCheck, ImportedService, ImportedStack } from './stack-yaml';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** Hearth's cap on counts (config/schema.ts): process-compose's "unlimited" becomes this. */
const UNLIMITED_FAILURES = 1_000_000;

const PROCESS_KEYS = new Set([
  'command', 'working_dir', 'environment', 'depends_on', 'readiness_probe', 'liveness_probe', 'availability', 'shutdown', 'description', 'vars',
]);
const TOP_KEYS = new Set(['version', 'processes', 'environment', 'vars']);

const CONDITIONS: Record<string, DependencyCondition> = {
  process_healthy: 'healthy',
  process_started: 'started',
  process_completed_successfully: 'completed',
  process_completed: 'completed',
};

/** `["K=V", ...]` (process-compose's form) or a map, as some files use. */
function envOf(value: unknown, where: string, notes: Notes): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = str(item);
      const eq = s?.indexOf('=') ?? -1;
      if (s === undefined || eq <= 0) notes.add(where, `environment entry ${JSON.stringify(item)} is not K=V, skipped`);
      else env[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isDict(value)) {
    for (const [k, v] of Object.entries(value)) env[k] = str(v) ?? String(v);
  } else if (value !== undefined) notes.add(where, 'environment is neither a list of K=V nor a map, skipped');
  for (const key of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      notes.add(where, `environment variable "${key}" is not a valid name for Hearth, skipped`);
      delete env[key];
    }
  }
  return env;
}

/** process-compose's Go templates `{{.NAME}}` are rendered from `vars` (process over global). */
function renderVars(text: string, vars: Dict, where: string, notes: Notes): string {
  return text.replace(/\{\{\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (raw, name: string) => {
    const v = str(vars[name]);
    if (v !== undefined) return v;
    notes.add(where, `${raw} has no value in vars; written as $${name} (read from the environment)`);
    return `$${name}`;
  });
}

interface ProbeResult {
  check: ImportedHealthCheck;
  /** A literal probe port to pin the `http` port to. */
  pinnedPort?: number;
}

function mapProbe(probe: Dict, where: string, notes: Notes): ProbeResult | undefined {
  const result: ProbeResult = { check: {} };
  const http = probe.http_get;
  const exec = probe.exec;
  if (isDict(http)) {
    const host = str(http.host) ?? '127.0.0.1';
    if (!['127.0.0.1', 'localhost', '0.0.0.0'].includes(host)) notes.add(where, `http_get.host ${host}: Hearth checks 127.0.0.1 only`);
    const scheme = str(http.scheme) ?? 'http';
    if (scheme !== 'http') notes.add(where, `http_get.scheme ${scheme}: Hearth checks plain HTTP only`);
    if (http.headers !== undefined) notes.add(where, 'http_get.headers: Hearth sends no custom headers');
    const port = str(http.port);
    if (port !== undefined && /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) result.pinnedPort = Number(port);
    else if (port !== undefined) notes.add(where, `http_get.port ${JSON.stringify(port)} is not a number; the port named http is probed (allocated by Hearth)`);
    const code = int(http.status_code);
    result.check.http = {
      port: 'http',
      endpoint: str(http.path) ?? '/',
      expected_response: null, // process-compose does not look at the body
      expected_response_code: code !== undefined && code >= 1 && code <= 400 ? code : 200,
    };
    for (const key of Object.keys(http)) {
      if (!['host', 'scheme', 'path', 'port', 'status_code', 'headers'].includes(key)) notes.add(where, `http_get.${key} has no Hearth equivalent`);
    }
  } else if (isDict(exec)) {
    const command = str(exec.command);
    if (!command) {
      notes.add(where, 'exec probe without a command, skipped');
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

function mapHealth(proc: Dict, name: string, svc: ImportedService, notes: Notes): void {
  const readiness = isDict(proc.readiness_probe) ? mapProbe(proc.readiness_probe, `${name}.readiness_probe`, notes) : undefined;
  const liveness = isDict(proc.liveness_probe) ? mapProbe(proc.liveness_probe, `${name}.liveness_probe`, notes) : undefined;
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
  const pinned = readiness?.pinnedPort ?? liveness?.pinnedPort;
  if (check.http) {
    // The probe's literal port becomes a NAMED port pinned to that number.
    svc.ports = { ...svc.ports, http: pinned ?? null };
  }
  svc.health_check = check;
}

function mapAvailability(value: unknown, name: string, svc: ImportedService, notes: Notes): void {
  const a = isDict(value) ? value : {};
  const restart = str(a.restart) ?? 'no';
  const maxRestarts = int(a.max_restarts) ?? 0;
  if (restart === 'always') {
    svc.service = true;
    if (maxRestarts > 0) notes.add(`${name}.availability`, `max_restarts ${maxRestarts}: a Hearth service always restarts`);
  } else if (restart === 'on_failure' || restart === 'on-failure') {
    svc.service = false;
    // max_restarts 0 (or absent) means unlimited in process-compose.
    if (maxRestarts > 0) svc.max_failures = maxRestarts + 1;
    else {
      svc.max_failures = UNLIMITED_FAILURES;
      notes.add(`${name}.availability`, `unlimited restarts on failure: max_failures set to ${UNLIMITED_FAILURES}`);
    }
  } else {
    svc.service = false;
    svc.max_failures = 1;
    if (restart === 'exit_on_failure') notes.add(`${name}.availability`, 'exit_on_failure: Hearth does not stop the whole stack when one job fails');
    else if (restart !== 'no') notes.add(`${name}.availability`, `restart "${restart}" is unknown; imported as a job that runs once`);
  }
  if (a.backoff_seconds !== undefined) notes.add(`${name}.availability`, 'backoff_seconds: Hearth backs off by itself (min_duration, max_backoff_secs)');
  if (a.exit_on_end !== undefined) notes.add(`${name}.availability`, 'exit_on_end: Hearth does not stop the stack when a process ends');
  for (const key of Object.keys(a)) {
    if (!['restart', 'max_restarts', 'backoff_seconds', 'exit_on_end'].includes(key)) notes.add(`${name}.availability`, `${key} has no Hearth equivalent`);
  }
}

/** process-compose gives the stop signal as a number (Linux numbering). */
const SIGNAL_NUMBERS: Record<number, StopSignal> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 10: 'SIGUSR1', 12: 'SIGUSR2', 15: 'SIGTERM' };

function mapShutdown(value: unknown, name: string, svc: ImportedService, notes: Notes): void {
  if (!isDict(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const n = int(v);
    if (key === 'timeout_seconds' && n !== undefined) svc.lifecycle = { ...svc.lifecycle, shutdown_wait_secs: n };
    else if (key === 'signal' && n !== undefined && SIGNAL_NUMBERS[n]) {
      if (n !== 15) svc.lifecycle = { ...svc.lifecycle, stop_signal: SIGNAL_NUMBERS[n] }; // SIGTERM is the default
    } else notes.add(`${name}.shutdown.${key}`, key === 'signal' ? `signal ${String(v)}: Hearth's stop_signal is one of ${STOP_SIGNALS.join(', ')}; imported as SIGTERM` : 'no Hearth equivalent');
  }
}

export function processComposeToStack(text: string, source = 'process-compose.yaml'): { stack: ImportedStack; notes: Note[] } {
  const notes = new Notes();
  const doc: unknown = parse(text);
  if (!isDict(doc) || !isDict(doc.processes)) throw new Error(`${source}: no "processes:" mapping found`);
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) notes.add(key, 'no Hearth equivalent');
  const globalEnv = envOf(doc.environment, 'environment', notes);
  const globalVars = isDict(doc.vars) ? doc.vars : {};

  // Names first, so depends_on can follow renames.
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const raw of Object.keys(doc.processes)) {
    const name = toServiceName(raw, taken);
    taken.add(name);
    names.set(raw, name);
    if (name !== raw) notes.add(raw, `renamed to service "${name}" (Hearth service names)`);
  }

  const services: ImportedStack['services'] = {};
  for (const [raw, value] of Object.entries(doc.processes)) {
    const name = names.get(raw)!;
    if (!isDict(value)) {
      notes.add(name, 'not a mapping, skipped');
      continue;
    }
    const vars = { ...globalVars, ...(isDict(value.vars) ? value.vars : {}) };
    const command = str(value.command);
    if (!command) {
      notes.add(name, 'no command (entrypoint is not supported), skipped');
      continue;
    }
    const svc: ImportedService = { cmd: renderVars(command, vars, `${name}.command`, notes) };
    const description = str(value.description);
    if (description) svc.comment = [description];
    const cwd = str(value.working_dir);
    if (cwd) svc.cwd = cwd;
    const env = { ...globalEnv, ...envOf(value.environment, `${name}.environment`, notes) };
    if (Object.keys(env).length > 0) svc.env = env;
    if (isDict(value.depends_on)) {
      svc.depends_on = {};
      for (const [dep, spec] of Object.entries(value.depends_on)) {
        const target = names.get(dep);
        if (!target) {
          notes.add(`${name}.depends_on.${dep}`, 'no such process, dropped');
          continue;
        }
        const cond = (isDict(spec) ? str(spec.condition) : undefined) ?? 'process_started';
        const mapped = CONDITIONS[cond];
        if (!mapped) notes.add(`${name}.depends_on.${dep}`, `condition ${cond} has no Hearth equivalent; imported as started`);
        else if (cond === 'process_completed') notes.add(`${name}.depends_on.${dep}`, 'process_completed (any exit code): Hearth waits for a successful completion');
        svc.depends_on[target] = mapped ?? 'started';
      }
    }
    mapHealth(value, name, svc, notes);
    mapAvailability(value.availability, name, svc, notes);
    mapShutdown(value.shutdown, name, svc, notes);
    if (value.disabled === true) svc.autostart = false; // started only when named, as in process-compose
    for (const key of Object.keys(value)) if (!PROCESS_KEYS.has(key) && key !== 'disabled') notes.add(`${name}.${key}`, 'no Hearth equivalent');
    services[name] = svc;
  }
  // Hearth's `completed` waits for a job; a process that always restarts never completes.
  for (const [name, svc] of Object.entries(services)) {
    for (const [dep, cond] of Object.entries(svc.depends_on ?? {})) {
      if (cond === 'completed' && services[dep]?.service !== false) {
        svc.depends_on![dep] = 'started';
        notes.add(`${name}.depends_on.${dep}`, `"${dep}" always restarts, so it never completes; imported as started`);
      }
      if (!services[dep]) {
        delete svc.depends_on![dep];
        notes.add(`${name}.depends_on.${dep}`, 'the process was skipped, dependency dropped');
      }
    }
  }
  return {
    stack: { header: [`Imported from ${source} by \`hearth init --from\`.`], services },
    notes: notes.list,
  };
}
