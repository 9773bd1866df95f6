// process-compose.yaml -> Hearth stack. Processes become services; probes become the one Aurora-style
// health_check (./pc-probes.ts); availability becomes service/max_failures (./pc-restart.ts). The
// file is first read as process-compose's loader reads it: `$$` unescaped, `extends` resolved
// (./pc-extends.ts), Go templates rendered from `vars` (./pc-template.ts). Whatever has no Hearth
// meaning is reported, never silently dropped. Field names and defaults follow process-compose's own
// types (src/types/process.go, src/health/probe.go).
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { MAX_REPLICAS } from '../../supervisor/config/schema';
import type { DependencyCondition } from '../../supervisor/config/types';
import { Notes, type Note } from '../notes';
import { toServiceName } from './names';
import { parseProject, resolveProcessExtends, withExtendedProjects } from './pc-extends';
import { hasForeignBraces, mapHealth } from './pc-probes';
import { mapAvailability, mapShutdown } from './pc-restart';
import { REPLICA_VAR, renderPcTemplate } from './pc-template';
import { isDict, int, str, type Dict } from './pc-values';
import { mapWatch } from './pc-watch';
import type { ImportedService, ImportedStack } from './stack-yaml';

const PROCESS_KEYS = new Set([
  'command', 'working_dir', 'environment', 'depends_on', 'readiness_probe', 'liveness_probe', 'availability', 'shutdown', 'description',
  'vars', 'disabled', 'replicas', 'env_file', 'watch', 'is_template_disabled', 'is_dotenv_disabled',
]);
const TOP_KEYS = new Set(['version', 'name', 'processes', 'environment', 'vars', 'disable_env_expansion']);

const CONDITIONS: Record<string, DependencyCondition> = {
  process_healthy: 'healthy',
  process_started: 'started',
  process_completed_successfully: 'completed',
  process_completed: 'completed',
};

/** An odd run of `$` before a name: what process-compose substitutes while loading (`$$` is the escape). */
const LOAD_TIME_VAR = /(?<!\$)(?:\$\$)*\$(?:[A-Za-z_]|\{[A-Za-z_])/;

/** `["K=V", ...]` (process-compose's form) or a map, as some files use; values rendered as templates. */
function envOf(value: unknown, where: string, notes: Notes, render: (t: string) => string = (t) => t): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = str(item) === undefined ? undefined : render(str(item)!);
      const eq = s?.indexOf('=') ?? -1;
      if (s === undefined || eq <= 0) notes.add(where, `environment entry ${JSON.stringify(item)} is not K=V, skipped`);
      else env[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isDict(value)) {
    for (const [k, v] of Object.entries(value)) env[k] = render(str(v) ?? String(v));
  } else if (value !== undefined) notes.add(where, 'environment is neither a list of K=V nor a map, skipped');
  for (const key of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      notes.add(where, `environment variable "${key}" is not a valid name for Hearth, skipped`);
      delete env[key];
    }
  }
  return env;
}

/** Environment values that name a variable: process-compose fills them in at load, Hearth passes them as written. */
function noteLoadTimeVars(raw: unknown, where: string, notes: Notes): void {
  const values = Array.isArray(raw) ? raw.map((e) => String(e).slice(String(e).indexOf('=') + 1)) : isDict(raw) ? Object.values(raw).map(String) : [];
  if (values.some((v) => LOAD_TIME_VAR.test(v))) {
    notes.add(where, 'a value names $VARIABLE, which process-compose fills in when it loads the file; Hearth passes env values as written');
  }
}

export interface ProcessComposeSource {
  /** Absolute path of the file: extended projects and working folders are found from it. */
  file?: string;
  /** The folder of the stack file being written: cwd and env_file paths are made relative to it. */
  stackDir?: string;
  readFile?: (path: string) => string;
}

export function processComposeToStack(text: string, source = 'process-compose.yaml', from: ProcessComposeSource = {}): { stack: ImportedStack; notes: Note[] } {
  const notes = new Notes();
  const stackDir = resolve(from.stackDir ?? '.');
  // A source given without a folder sits beside the stack file.
  const file = resolve(stackDir, from.file ?? source);
  const sourceDir = dirname(file);
  const readFile = from.readFile ?? ((): string => {
    throw new Error('no file reader given');
  });
  const raw: unknown = parse(text);
  const doc = withExtendedProjects(parseProject(text, source), { file, readFile }, notes);
  if (!isDict(doc.processes)) throw new Error(`${source}: no "processes:" mapping found`);
  for (const key of Object.keys(doc)) if (!TOP_KEYS.has(key)) notes.add(key, 'no Hearth equivalent');
  const globalVars = isDict(doc.vars) ? doc.vars : {};
  const globalEnv = envOf(doc.environment, 'environment', notes, (t) => renderPcTemplate(t, globalVars, 'environment', notes));
  const rawProcs: Dict = isDict(raw) && isDict(raw.processes) ? raw.processes : {};
  const processes = resolveProcessExtends(doc.processes, notes);
  /** A path of the source project as the stack file writes it: relative to the stack file's folder. */
  const fromStack = (path: string): string => {
    if (isAbsolute(path) || sourceDir === stackDir) return path; // as written
    return relative(stackDir, join(sourceDir, path)) || '.';
  };

  // Names first, so depends_on can follow renames.
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const rawName of Object.keys(processes)) {
    const name = toServiceName(rawName, taken);
    taken.add(name);
    names.set(rawName, name);
    if (name !== rawName) notes.add(rawName, `renamed to service "${name}" (Hearth service names)`);
  }

  const services: ImportedStack['services'] = {};
  for (const [rawName, value] of Object.entries(processes)) {
    const name = names.get(rawName)!;
    if (!isDict(value)) {
      notes.add(name, 'not a mapping, skipped');
      continue;
    }
    const vars = { ...globalVars, ...(isDict(value.vars) ? value.vars : {}) };
    const render = (t: string, where: string): string => renderPcTemplate(t, vars, where, notes);
    const command = str(value.command);
    if (!command) {
      notes.add(name, 'no command (entrypoint is not supported), skipped');
      continue;
    }
    const svc: ImportedService = { cmd: value.is_template_disabled === true ? command : render(command, `${name}.command`) };
    if (hasForeignBraces(svc.cmd)) notes.add(`${name}.command`, 'has literal {{…}}, which Hearth reads as a template: `hearth check` refuses it until it is rewritten');
    const replicas = int(value.replicas);
    if (replicas !== undefined && replicas > 1) {
      svc.replicas = Math.min(replicas, MAX_REPLICAS);
      if (replicas > MAX_REPLICAS) notes.add(`${name}.replicas`, `${replicas}: Hearth runs at most ${MAX_REPLICAS} instances`);
    }
    const description = str(value.description);
    if (description) svc.comment = [render(description, `${name}.description`)];
    const cwd = str(value.working_dir);
    if (cwd) {
      const dir = fromStack(render(cwd, `${name}.working_dir`));
      if (dir !== '.' && dir !== './') svc.cwd = dir;
    }
    const envFile = str(value.env_file);
    if (envFile) {
      // Relative to the working folder; a missing one is logged and skipped by process-compose.
      svc.env_file = [{ path: fromStack(isAbsolute(envFile) || !cwd ? envFile : join(render(cwd, `${name}.working_dir`), envFile)), required: false }];
    }
    const rawProc = rawProcs[rawName];
    if (doc.disable_env_expansion !== true && isDict(rawProc)) noteLoadTimeVars(rawProc.environment, `${name}.environment`, notes);
    const env = { ...globalEnv, ...envOf(value.environment, `${name}.environment`, notes, (t) => render(t, `${name}.environment`)) };
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
    mapHealth(value, name, svc, notes, render);
    mapAvailability(value.availability, name, svc, notes);
    mapShutdown(value.shutdown, name, svc, notes);
    const watch = mapWatch(value.watch, `${name}.watch`, notes);
    if (watch) svc.watch = watch;
    if (value.is_dotenv_disabled === true) notes.add(`${name}.is_dotenv_disabled`, 'Hearth reads the stack\'s .env for every service');
    if (value.disabled === true) svc.autostart = false; // started only when named, as in process-compose
    setProcessComposeEnv(svc, name);
    for (const key of Object.keys(value)) if (!PROCESS_KEYS.has(key)) notes.add(`${name}.${key}`, 'no Hearth equivalent');
    services[name] = svc;
  }
  checkDependencies(services, notes);
  return {
    stack: {
      header: [
        `Imported from ${source} by \`hearth init --from\`.`,
        '.env is read as process-compose reads it (optional); unlike there, its values win over the shell\'s.',
      ],
      ...(typeof doc.name === 'string' && /^[^/\\\0]{1,100}$/.test(doc.name) ? { name: doc.name } : {}),
      env_file: [{ path: '.env', required: false }],
      services,
    },
    notes: notes.list,
  };
}

/** The variables process-compose gives every process, where the service reads them. */
function setProcessComposeEnv(svc: ImportedService, name: string): void {
  const texts = [svc.cmd, svc.health_check?.shell?.shell_command ?? '', ...Object.values(svc.env ?? {})];
  const reads = (v: string): boolean => texts.some((t) => new RegExp(`\\$\\{?${v}\\b`).test(t));
  const add: Record<string, string> = {};
  if (reads(REPLICA_VAR)) add[REPLICA_VAR] = '{{thermos.instance}}';
  if (reads('PC_PROC_NAME')) add.PC_PROC_NAME = name;
  if (Object.keys(add).length > 0) svc.env = { ...svc.env, ...add };
}

/**
 * Hearth's `completed` waits for a job; a process that always restarts never completes. A cycle
 * (which process-compose refuses too) loses the dependency that closes it, so the file loads.
 */
function checkDependencies(services: ImportedStack['services'], notes: Notes): void {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string): void => {
    state.set(name, 'open');
    for (const dep of Object.keys(services[name]?.depends_on ?? {})) {
      if (state.get(dep) === 'open') {
        delete services[name]!.depends_on![dep];
        notes.add(`${name}.depends_on.${dep}`, 'closes a dependency cycle (process-compose refuses the file for it); dropped');
      } else if (!state.has(dep) && services[dep]) visit(dep);
    }
    state.set(name, 'done');
  };
  for (const name of Object.keys(services)) if (!state.has(name)) visit(name);
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
}
