// process-compose's two kinds of substitution, done at import time as process-compose does them
// (src/loader/loader.go, src/templater/templater.go):
// - While loading, it substitutes `$VAR` / `${VAR:-x}` in the whole file from its environment and
//   turns the escape `$$` into `$`. Hearth passes a command to the shell as written, so `$$` must
//   become `$` (left as `$$`, the shell would put its pid there) and `$VAR` stays for the shell.
// - It renders Go templates in command, working_dir, environment and probes with `vars` (the
//   process's over the project's) and PC_REPLICA_NUM, the replica index: Hearth's {{thermos.instance}}.
//   Rendered here, since vars are known when importing: {{.NAME}} (spaces and trim markers allowed),
//   "string" literals, `or` (first non-empty argument, the default-value idiom) and
//   if/else/end over `.X`, `and`, `or`, `not`. Other actions (range, with, pipelines) are kept and noted.
import type { Notes } from '../notes';
import type { Dict } from './pc-values';

export const REPLICA_VAR = 'PC_REPLICA_NUM';
const INSTANCE = '{{thermos.instance}}';

/** `$$` -> `$` in every string of a parsed document (what process-compose does to the file text). */
export function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  }
  return value;
}

/** `{{ … }}` with its trim markers; quoted strings inside may hold braces (`{{ "{{.State}}" }}`). */
const ACTION_RE = /\{\{(-\s)?((?:"(?:[^"\\]|\\.)*"|`[^`]*`|[^"`])*?)(\s-)?\}\}/g;

type Arg = { kind: 'field'; name: string } | { kind: 'literal'; value: string } | { kind: 'word'; name: string };

const ARG_RE = /\s*(?:\.([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)"|`([^`]*)`|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))\s*/y;

function parseArgs(pipeline: string): Arg[] | null {
  const args: Arg[] = [];
  let at = 0;
  while (at < pipeline.length) {
    ARG_RE.lastIndex = at;
    const m = ARG_RE.exec(pipeline);
    if (!m || ARG_RE.lastIndex === at) return null;
    at = ARG_RE.lastIndex;
    if (m[1] !== undefined) args.push({ kind: 'field', name: m[1] });
    else if (m[2] !== undefined) args.push({ kind: 'literal', value: JSON.parse(`"${m[2]}"`) as string });
    else if (m[3] !== undefined) args.push({ kind: 'literal', value: m[3] });
    else if (m[4] !== undefined) args.push({ kind: 'literal', value: m[4] });
    else args.push({ kind: 'word', name: m[5]! });
  }
  return args;
}

const printed = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

const value = (arg: Arg, vars: Dict): string | undefined => {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'field') return printed(vars[arg.name]);
  return undefined;
};

/** Go's truth: empty, 0, false and a missing value are false. */
const truthy = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v !== 'false';

/** The replica index is 0 for the first instance only: logic over it has no one answer at import time. */
const perReplica = (args: Arg[]): boolean => args.some((a) => a.kind === 'field' && a.name === REPLICA_VAR);

/** A condition (`.X`, `and …`, `or …`, `not .X`), or null when it is not one this importer evaluates. */
function condition(args: Arg[], vars: Dict): boolean | null {
  if (perReplica(args)) return null;
  const [head, ...rest] = args;
  if (head?.kind !== 'word') return args.length === 1 ? truthy(value(head!, vars)) : null;
  if (rest.some((a) => a.kind === 'word') || rest.length === 0) return null;
  const values = rest.map((a) => truthy(value(a, vars)));
  if (head.name === 'and') return values.every(Boolean);
  if (head.name === 'or') return values.some(Boolean);
  if (head.name === 'not' && values.length === 1) return !values[0];
  return null;
}

/** The value of one action, or null when it is not one this importer evaluates. */
function evaluate(args: Arg[], vars: Dict, missing: (name: string) => string): string | null {
  if (args.length === 1 && args[0]!.kind === 'field' && args[0]!.name === REPLICA_VAR) return INSTANCE;
  if (args.length === 1 && args[0]!.kind !== 'word') return value(args[0]!, vars) ?? missing((args[0] as { name: string }).name);
  if (args[0]?.kind === 'word' && args[0].name === 'or' && args.length > 1) {
    const rest = args.slice(1);
    if (rest.some((a) => a.kind === 'word') || perReplica(rest)) return null;
    const values = rest.map((a) => value(a, vars));
    return values.find(truthy) ?? values.at(-1) ?? '';
  }
  return null;
}

/** Render the Go templates of one field. `where` names it for notes. */
export function renderPcTemplate(text: string, vars: Dict, where: string, notes: Notes): string {
  let out = '';
  let at = 0;
  let trimNext = false;
  // if/else/end: one frame per open `if`; text is written only while every frame is on its taken branch.
  const frames: Array<{ taken: boolean; on: boolean }> = [];
  const writing = (): boolean => frames.every((f) => f.on);
  const unsupported = (raw: string): string => {
    notes.add(where, `${raw}: Go template logic is not evaluated by the import; kept as written, which Hearth will refuse until it is edited`);
    return raw;
  };
  for (const m of text.matchAll(ACTION_RE)) {
    let before = text.slice(at, m.index);
    if (trimNext) before = before.replace(/^\s+/, '');
    if (writing()) out += before;
    if (m[1]) out = out.replace(/\s+$/, '');
    trimNext = Boolean(m[3]);
    at = m.index + m[0].length;
    const action = m[2]!.trim();
    const block = /^(if|else|end)\b\s*([\s\S]*)$/.exec(action);
    if (block) {
      const cond = block[1] === 'if' ? condition(parseArgs(block[2]!) ?? [{ kind: 'word', name: '?' }], vars) : null;
      if (block[1] === 'if' && cond !== null) frames.push({ taken: cond, on: cond });
      else if (block[1] === 'else' && block[2] === '' && frames.length > 0) {
        const f = frames.at(-1)!;
        f.on = !f.taken;
      } else if (block[1] === 'end' && block[2] === '' && frames.length > 0) frames.pop();
      else if (writing()) out += unsupported(m[0]);
      continue;
    }
    if (!writing()) continue;
    const args = parseArgs(action);
    const missing = (name: string): string => {
      notes.add(where, `{{.${name}}} has no value in vars; written as $${name} (read from the environment)`);
      return `$${name}`;
    };
    const result = args === null ? null : evaluate(args, vars, missing);
    out += result === null ? unsupported(m[0]) : result;
  }
  let rest = text.slice(at);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  return out + rest;
}
