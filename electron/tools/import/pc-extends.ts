// process-compose's `extends`, resolved the way its loader does (src/loader/extends.go, merger.go,
// loader.go loadExtendProject) so the import sees the processes process-compose would run:
// - top level `extends: base.yaml`: that project is the base and this file is merged over it; the
//   base's processes run in the base file's folder unless they say otherwise;
// - a process's `extends: other`: the other process (itself resolved first) is the base.
// The merge is mergo's with WithOverride and WithAppendSlice: a set value of the child wins (a zero
// value, false / 0 / "", does not), nested settings merge field by field, `environment` merges by
// variable, `depends_on` and `vars` by key, `namespace` and watch paths are replaced, other lists append.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Notes } from '../notes';
import { unescapeDollars } from './pc-template';
import { isDict, type Dict } from './pc-values';


const BY_KEY = new Set(['depends_on', 'vars']);
const REPLACED = new Set(['namespace', 'paths']);

const isZero = (v: unknown): boolean => v === undefined || v === null || v === false || v === 0 || v === '';

/** `["K=V"]` or `{K: V}` as ordered [K, V] pairs. */
function envPairs(v: unknown): Array<[string, unknown]> {
  if (isDict(v)) return Object.entries(v);
  if (!Array.isArray(v)) return [];
  return v.flatMap((item): Array<[string, unknown]> => {
    const s = String(item);
    const eq = s.indexOf('=');
    return eq > 0 ? [[s.slice(0, eq), s.slice(eq + 1)]] : [];
  });
}

export function mergeConfig(base: Dict, child: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(child)) {
    if (isZero(value)) continue;
    const prev = out[key];
    if (key === 'environment' && (Array.isArray(prev) || isDict(prev))) {
      // process-compose writes the merged list sorted.
      const merged = new Map([...envPairs(prev), ...envPairs(value)]);
      out[key] = [...merged].map(([k, v]) => `${k}=${String(v)}`).sort();
    } else if (Array.isArray(value) && Array.isArray(prev) && !REPLACED.has(key)) out[key] = [...prev, ...value];
    else if (isDict(value) && isDict(prev)) out[key] = BY_KEY.has(key) ? { ...prev, ...value } : mergeConfig(prev, value);
    else out[key] = value;
  }
  return out;
}

function withoutExtends(d: Dict): Dict {
  const out = { ...d };
  delete out.extends;
  return out;
}

/** Resolve every process's `extends: NAME`; a broken one is reported and dropped, not fatal. */
export function resolveProcessExtends(processes: Dict, notes: Notes): Dict {
  const done = new Map<string, Dict>();
  const visiting = new Set<string>();
  const resolveOne = (name: string): Dict => {
    const proc = processes[name];
    if (!isDict(proc)) return {};
    const cached = done.get(name);
    if (cached) return cached;
    const parent = proc.extends;
    let result = withoutExtends(proc);
    if (typeof parent === 'string') {
      if (visiting.has(parent) || parent === name) notes.add(`${name}.extends`, `circular extends through "${parent}", ignored`);
      else if (!isDict(processes[parent])) notes.add(`${name}.extends`, `no process "${parent}" to extend, ignored`);
      else {
        visiting.add(name);
        result = mergeConfig(resolveOne(parent), result);
        visiting.delete(name);
      }
    }
    done.set(name, result);
    return result;
  };
  return Object.fromEntries(Object.keys(processes).map((name) => [name, isDict(processes[name]) ? resolveOne(name) : processes[name]]));
}

/** A parsed project file with process-compose's load-time `$$` handling applied. */
export function parseProject(text: string, source: string): Dict {
  const doc: unknown = parse(text);
  if (!isDict(doc)) throw new Error(`${source}: not a YAML mapping`);
  // disable_env_expansion: process-compose reads the file as written, `$$` included.
  return doc.disable_env_expansion === true ? doc : (unescapeDollars(doc) as Dict);
}

export interface ProjectSource {
  /** Absolute path of the file, to find an extended project beside it. */
  file: string;
  readFile: (path: string) => string;
}

/**
 * The project with its top-level `extends` chain merged in (base first). The base's processes get
 * their file's folder as working_dir, as process-compose runs them there.
 */
export function withExtendedProjects(doc: Dict, src: ProjectSource, notes: Notes, seen = new Set([resolve(src.file)]), rootDir = dirname(src.file)): Dict {
  if (typeof doc.extends !== 'string') return doc;
  const target = doc.extends;
  const own = withoutExtends(doc);
  const file = isAbsolute(target) ? target : join(dirname(src.file), target);
  if (seen.has(resolve(file))) {
    notes.add('extends', `${target} is already part of the project (circular extends), ignored`);
    return own;
  }
  let text: string;
  try {
    text = src.readFile(file);
  } catch (error) {
    notes.add('extends', `cannot read ${target} (${(error as Error).message}); imported without it`);
    return own;
  }
  seen.add(resolve(file));
  const base = withExtendedProjects(parseProject(text, target), { ...src, file }, notes, seen, rootDir);
  const folder = dirname(file);
  if (isDict(base.processes)) {
    for (const [name, proc] of Object.entries(base.processes)) {
      if (!isDict(proc)) continue;
      // Relative to the importing file's folder, as the rest of the project's paths are.
      const wd = typeof proc.working_dir === 'string' && proc.working_dir !== '' ? proc.working_dir : '.';
      base.processes[name] = { ...proc, working_dir: isAbsolute(wd) ? wd : relative(rootDir, join(folder, wd)) || '.' };
    }
  }
  // Processes merge by name, each one as a process extends another.
  const baseProcs = isDict(base.processes) ? base.processes : {};
  const processes: Dict = { ...baseProcs };
  for (const [name, proc] of Object.entries(isDict(own.processes) ? own.processes : {})) {
    const prev = baseProcs[name];
    processes[name] = isDict(prev) && isDict(proc) ? mergeConfig(prev, proc) : proc;
  }
  return { ...mergeConfig(withoutExtends(base), { ...own, processes: undefined }), processes };
}
