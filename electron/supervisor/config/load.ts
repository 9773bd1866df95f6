// Reads and validates a stack file. Every problem becomes a ConfigIssue with its real line/column;
// all of them are reported at once, sorted by position.
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document } from 'yaml';
import type { ConfigIssue } from '../../../shared/types';
import { aliasOverrun, MAX_ALIAS_EXPANSION_NODES } from './alias-budget';
import { checkEnvFiles } from './env-file';
import { formatPath, type RawIssue } from './issues';
import { resolveStack } from './resolve';
import { stackFileSchema, type StackFile } from './schema';
import { SourceMap, findDuplicateKeys } from './source-map';
import type { LoadResult } from './types';
import { validateSemantics } from './validate';
import { resolveWorkDir } from './work-dir';
import { translateZodIssues } from './zod-issues';

export const MAX_STACK_FILE_BYTES = 1024 * 1024;
/** Aliases expanded per document; far above any honest stack file, far below a "billion laughs". */
const MAX_ALIAS_COUNT = 100;
const MAX_SYNTAX_ERRORS = 10;
const MAX_ISSUES = 200;

const fail = (file: string, message: string, line = 1, col = 1, path = ''): LoadResult => ({
  ok: false,
  errors: [{ file, line, col, path, message }],
});

const tooLarge = (file: string, bytes: number): LoadResult =>
  fail(file, `file is ${bytes} bytes; a stack file may be at most 1 MiB (${MAX_STACK_FILE_BYTES} bytes)`);

export async function loadStackFile(file: string): Promise<LoadResult> {
  const abs = resolve(file);
  try {
    const st = await stat(abs);
    if (!st.isFile()) return fail(abs, 'not a regular file');
    // Checked before reading so a huge file is never pulled into memory.
    if (st.size > MAX_STACK_FILE_BYTES) return tooLarge(abs, st.size);
    return parseStack(await readFile(abs, 'utf8'), abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return fail(abs, 'file not found (`hearth init` writes a starter one; -f FILE names another)');
    return fail(abs, `cannot read the file: ${(err as Error).message}`);
  }
}

function kindOf(node: unknown): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : `a ${typeof node.value}`;
  return 'something else';
}

function syntaxIssues(doc: Document): RawIssue[] {
  return doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => ({
    path: [],
    offset: e.pos[0],
    // yaml reports a parser stack overflow as-is; say what it means for the file.
    message: e.message.includes('call stack') ? 'YAML nesting is too deep' : `YAML syntax error: ${e.message}`,
  }));
}

/**
 * `MODE: 0755` or `VERSION: 1.10` are meant as text; YAML would read numbers (755, 1.1). Env values
 * that parsed as numbers or booleans are put back to their source text before conversion.
 */
function keepEnvScalarsVerbatim(doc: Document): void {
  const services = doc.get('services', true);
  if (!isMap(services)) return;
  for (const { value: svc } of services.items) {
    const env = isMap(svc) ? svc.get('env', true) : undefined;
    if (!isMap(env)) continue;
    for (const { value } of env.items) {
      if (isScalar(value) && (typeof value.value === 'number' || typeof value.value === 'boolean') && typeof value.source === 'string') {
        value.value = value.source;
      }
    }
  }
}

/** Validate `text` as the stack file at `file` (made absolute). Pure except that it reads the env files it names and looks for the cwd folders. */
export function parseStack(text: string, file: string): LoadResult {
  const abs = resolve(file);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_STACK_FILE_BYTES) return tooLarge(abs, bytes);

  const lines = new LineCounter();
  let doc: Document;
  try {
    // uniqueKeys off: duplicates are found by findDuplicateKeys, which knows their paths.
    // prettyErrors off: it builds context snippets that are very slow on pathological lines.
    doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: false, merge: true, prettyErrors: false });
  } catch (err) {
    return fail(abs, `cannot parse the file: ${(err as Error).message}`);
  }
  const map = new SourceMap(doc, lines, text);
  const place = (raws: RawIssue[]): ConfigIssue[] =>
    raws.slice(0, MAX_ISSUES).map((r) => ({ file: abs, ...map.position(r), path: formatPath(r.path), message: r.message }));
  const done = (raws: RawIssue[]): LoadResult => ({
    ok: false,
    errors: place(raws).sort((a, b) => a.line - b.line || a.col - b.col),
  });

  if (doc.errors.length > 0) return done(syntaxIssues(doc));
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return fail(abs, 'the stack file is empty; it needs at least a "services:" mapping');
  }
  if (!isMap(doc.contents)) {
    return done([{ path: [], message: `the stack file must be a mapping (name, services, ...), got ${kindOf(doc.contents)}` }]);
  }

  // Before anything walks the data: every later pass (duplicates, schema, semantics) pays for each expansion.
  let overrun: ReturnType<typeof aliasOverrun>;
  try {
    overrun = aliasOverrun(doc);
  } catch (err) {
    if (err instanceof RangeError) return done([{ path: [], offset: 0, message: 'YAML nesting is too deep' }]);
    throw err;
  }
  if (overrun) {
    return done([
      {
        path: [],
        offset: overrun.offset,
        message:
          `too many YAML alias expansions (more than ${MAX_ALIAS_EXPANSION_NODES} nodes in all; ${overrun.alias} here repeats ${overrun.nodes}); ` +
          'refusing to expand them (an "alias bomb"?)',
      },
    ]);
  }
  keepEnvScalarsVerbatim(doc);
  const issues = findDuplicateKeys(doc);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return done([...issues, { path: [], message: 'too many YAML alias expansions (an "alias bomb"?); refusing to expand them' }]);
    }
    return done([...issues, { path: [], message: `cannot read the YAML: ${(err as Error).message}` }]);
  }

  const parsed = stackFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) issues.push(...translateZodIssues(parsed.error.issues, stackFileSchema));
  issues.push(...validateSemantics(data));
  if (issues.length > 0 || !parsed.success) return done(issues);
  // The one check that reads other files: env files must exist (unless optional) to load the stack.
  issues.push(...checkEnvFiles(parsed.data, dirname(abs)));
  if (issues.length > 0) return done(issues);
  const warnings = place(missingWorkDirs(parsed.data, dirname(abs)));
  return { ok: true, stack: resolveStack(parsed.data, abs), ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * A `cwd:` without templates naming no folder: not an error (a job of the stack may create it before the
 * service starts), but usually a typo that would surface only as "working directory … does not exist".
 */
function missingWorkDirs(data: StackFile, stackDir: string): RawIssue[] {
  const out: RawIssue[] = [];
  for (const [name, svc] of Object.entries(data.services)) {
    if (svc.cwd === undefined || svc.cwd.includes('{{')) continue;
    const dir = resolveWorkDir(stackDir, svc.cwd);
    let why: string | null = null;
    try {
      if (!statSync(dir).isDirectory()) why = 'is not a folder';
    } catch {
      why = 'does not exist';
    }
    if (why) out.push({ path: ['services', name, 'cwd'], message: `${dir} ${why} (yet?): the service cannot start without it` });
  }
  return out;
}
