// `env_file:` — dotenv files read with Node's own parser (util.parseEnv, Node >= 20.12; no dependency).
// Precedence of a child's environment, lowest first (applied in ../service-env.ts):
//   process env < stack env_file(s) in order < service env_file(s) in order < service `env:` <
//   what Hearth sets itself (PORT, HEARTH_PORT_*, HEARTH_SANDBOX, HEARTH_SERVICE).
// Values from env files are data: they are NOT rendered as templates (a secret containing "{{" stays
// as written); templates keep working in `env:`. Files are read when the stack is loaded (a missing
// required file is a config error at its env_file line) and again at every start, so a restart or a
// `hearth reload` picks up edits; their content hash is part of the service fingerprint.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { Path, RawIssue } from './issues';
import { isRecord } from './ports';
import type { EnvFileRef } from './types';

export const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** One `env_file:` entry as written, with the path of the node an issue about it should point at. */
interface RawEntry {
  given: string;
  required: boolean;
  at: Path;
}

/** Entries of a raw `env_file:` value (string, { path, required } or a list of either). */
function rawEntries(value: unknown, base: Path): RawEntry[] {
  const one = (v: unknown, at: Path): RawEntry[] => {
    if (typeof v === 'string') return [{ given: v, required: true, at }];
    if (isRecord(v) && typeof v.path === 'string') return [{ given: v.path, required: v.required !== false, at: [...at, 'path'] }];
    return [];
  };
  if (Array.isArray(value)) return value.flatMap((v, i) => one(v, [...base, i]));
  return one(value, base);
}

export function resolveEnvFiles(value: unknown, dir: string): EnvFileRef[] {
  return rawEntries(value, []).map((e) => ({ path: resolve(dir, e.given), required: e.required }));
}

type ReadResult = { ok: true; env: Record<string, string>; text: string | null } | { ok: false; message: string };

/** Reads and parses one env file. A missing optional file gives an empty environment. */
export function readEnvFile(ref: EnvFileRef): ReadResult {
  try {
    const st = statSync(ref.path);
    if (!st.isFile()) return { ok: false, message: `env_file ${ref.path} is not a regular file` };
    if (st.size > MAX_ENV_FILE_BYTES) {
      return { ok: false, message: `env_file ${ref.path} is ${st.size} bytes; at most ${MAX_ENV_FILE_BYTES} are read` };
    }
    const text = readFileSync(ref.path, 'utf8');
    const env: Record<string, string> = {};
    // parseEnv returns a plain object; copy own string values only (no prototype keys reach the child).
    for (const [k, v] of Object.entries(parseEnv(text))) if (typeof v === 'string' && k !== '__proto__') env[k] = v;
    return { ok: true, env, text };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !ref.required) return { ok: true, env: {}, text: null };
    if (code === 'ENOENT') return { ok: false, message: `env_file ${ref.path} not found (mark it { path: …, required: false } if it is optional)` };
    return { ok: false, message: `cannot read env_file ${ref.path}: ${(err as Error).message}` };
  }
}

/** The merged environment of `refs` in order (later files win). Throws on the first unreadable file. */
export function loadEnvFiles(refs: readonly EnvFileRef[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ref of refs) {
    const r = readEnvFile(ref);
    if (!r.ok) throw new Error(r.message);
    Object.assign(env, r.env);
  }
  return env;
}

/** Hash of the files' contents, so that editing a .env changes the fingerprint of the services using it. */
export function envFilesDigest(refs: readonly EnvFileRef[]): string[] {
  return refs.map((ref) => {
    const r = readEnvFile(ref);
    if (!r.ok) return `error:${r.message}`;
    return r.text === null ? 'missing' : createHash('sha1').update(r.text).digest('hex');
  });
}

/** Load-time check of every env_file in validated stack data: problems point at the entry's line. */
export function checkEnvFiles(data: { env_file?: unknown; services: Record<string, { env_file?: unknown }> }, dir: string): RawIssue[] {
  const entries: RawEntry[] = [...rawEntries(data.env_file, ['env_file'])];
  for (const [name, svc] of Object.entries(data.services)) entries.push(...rawEntries(svc.env_file, ['services', name, 'env_file']));
  const issues: RawIssue[] = [];
  for (const e of entries) {
    const r = readEnvFile({ path: resolve(dir, e.given), required: e.required });
    if (!r.ok) issues.push({ path: e.at, message: r.message });
  }
  return issues;
}
