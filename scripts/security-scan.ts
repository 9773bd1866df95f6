// `npm run security`: runs Doyensec's electronegativity over the desktop code and fails on any
// finding that is not explained in build/electronegativity-accepted.json.
//
// Scanned: electron/ (sources), package.json (npm scripts that pass insecure Chromium flags), and
// out/ when it has been built (the bundles that actually ship, including the renderer's index.html).
// Each accepted entry names a check, optionally the files it applies to (globs relative to the repo,
// `*` = within one path segment, `**` = any depth), and a justification. Unused entries are reported.
//
// Offline by design: the "available security fixes" check downloads Electron's release list on every
// run, so it only runs with --online (it also turns red whenever Electron ships a release, which is a
// reason to upgrade, not a property of this code).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';

export interface Finding {
  check: string;
  /** Path relative to the repository root. */
  file: string;
  line: number;
  column: number;
  severity: string;
  confidence: string;
  manualReview: boolean;
  description: string;
}

const acceptedEntry = z
  .object({
    check: z.string().regex(/^[A-Z0-9_]+$/, 'check ids are UPPER_SNAKE_CASE, e.g. OPEN_EXTERNAL_JS_CHECK'),
    files: z.array(z.string().min(1)).min(1).optional(),
    justification: z.string().trim().min(20, 'say why this finding is acceptable (at least a sentence)'),
  })
  .strict();
const acceptedFile = z.object({ accepted: z.array(acceptedEntry) }).strict();
export type AcceptedEntry = z.infer<typeof acceptedEntry>;

export function parseAllowList(value: unknown): AcceptedEntry[] {
  const parsed = acceptedFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`allow-list: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.accepted;
}

/** Glob (`*` within a segment, `**` across segments) to an anchored regex. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i += 1;
      if (glob[i + 1] === '/') i += 1;
    } else if (c === '*') out += '[^/]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export function matchesEntry(finding: Finding, entry: AcceptedEntry): boolean {
  if (finding.check !== entry.check) return false;
  return !entry.files || entry.files.some((glob) => globToRegExp(glob).test(finding.file));
}

export interface Classified {
  accepted: Array<{ finding: Finding; entry: AcceptedEntry }>;
  unexplained: Finding[];
  unusedEntries: AcceptedEntry[];
}

export function classifyFindings(findings: readonly Finding[], allow: readonly AcceptedEntry[]): Classified {
  const used = new Set<AcceptedEntry>();
  const result: Classified = { accepted: [], unexplained: [], unusedEntries: [] };
  for (const finding of findings) {
    const entry = allow.find((e) => matchesEntry(finding, e));
    if (entry) {
      used.add(entry);
      result.accepted.push({ finding, entry });
    } else result.unexplained.push(finding);
  }
  result.unusedEntries = allow.filter((e) => !used.has(e));
  return result;
}

// electronegativity's programmatic entry (CommonJS, untyped): run(options) -> { issues, errors }.
interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview: boolean;
  description: string;
}
interface RawResult {
  issues: RawIssue[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}
type Run = (options: Record<string, unknown>) => Promise<RawResult>;

const require = createRequire(import.meta.url);

export interface ScanOptions {
  repoRoot: string;
  /** Paths relative to repoRoot; missing ones are skipped. */
  inputs: string[];
  online?: boolean;
}

export interface ScanReport extends Classified {
  scanned: string[];
  findings: Finding[];
  /** Files the scanner could not parse (so they were not checked). */
  parseErrors: Array<{ file: string; message: string }>;
}

function electronVersion(repoRoot: string): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Checks that make sense for a lone package.json (insecure flags in npm scripts). The "global" checks
 * (CSP present? navigation limited?) judge a whole app and would misfire on one JSON file.
 */
const PACKAGE_JSON_CHECKS = ['customargumentsjsoncheck', 'securitywarningsdisabledjsoncheck'];

export async function runElectronegativity(input: string, repoRoot: string, online: boolean): Promise<{ findings: Finding[]; parseErrors: ScanReport['parseErrors'] }> {
  const run = require('@doyensec/electronegativity') as Run;
  const packageJson = input.endsWith('package.json');
  const result = await run({
    input,
    isRelative: false,
    customScan: packageJson ? PACKAGE_JSON_CHECKS : [],
    // (Excluding a global check that a custom list already left out makes the scanner exit the process.)
    excludeFromScan: online || packageJson ? [] : ['AvailableSecurityFixesGlobalCheck'],
    // A folder of sources has no package.json to read the version from; without it the scanner
    // assumes Electron 0.1 and reports defaults that changed years ago.
    electronVersionOverride: electronVersion(repoRoot),
    parserPlugins: [],
  });
  const rel = (file: string) => relative(repoRoot, resolve(input, file)).split('\\').join('/');
  return {
    findings: result.issues.map((i) => ({
      check: i.id,
      file: rel(i.file),
      line: i.location.line,
      column: i.location.column,
      severity: i.severity.name,
      confidence: i.confidence.name,
      manualReview: i.manualReview,
      description: i.description,
    })),
    parseErrors: result.errors.filter((e) => !e.tolerable).map((e) => ({ file: rel(e.file), message: e.message })),
  };
}

export const ALLOW_LIST = 'build/electronegativity-accepted.json';
export const DEFAULT_INPUTS = ['electron', 'package.json', 'out'];

export async function securityScan(opts: ScanOptions): Promise<ScanReport> {
  const allow = parseAllowList(JSON.parse(readFileSync(join(opts.repoRoot, ALLOW_LIST), 'utf8')) as unknown);
  const scanned: string[] = [];
  const findings: Finding[] = [];
  const parseErrors: ScanReport['parseErrors'] = [];
  for (const input of opts.inputs) {
    const full = join(opts.repoRoot, input);
    if (!existsSync(full)) continue;
    scanned.push(input);
    const r = await runElectronegativity(full, opts.repoRoot, opts.online ?? false);
    findings.push(...r.findings);
    parseErrors.push(...r.parseErrors);
  }
  return { scanned, findings, parseErrors, ...classifyFindings(findings, allow) };
}

export function formatReport(report: ScanReport): string {
  const lines = [`electronegativity: scanned ${report.scanned.join(', ')}: ${report.findings.length} finding(s)`];
  for (const { finding: f, entry } of report.accepted) lines.push(`  accepted   ${f.check} ${f.file}:${f.line} — ${entry.justification}`);
  for (const f of report.unexplained) lines.push(`  UNEXPLAINED ${f.check} [${f.severity}/${f.confidence}] ${f.file}:${f.line}:${f.column} — ${f.description}`);
  for (const e of report.parseErrors) lines.push(`  NOT SCANNED ${e.file}: ${e.message}`);
  for (const e of report.unusedEntries) lines.push(`  (unused allow-list entry: ${e.check}${e.files ? ` ${e.files.join(', ')}` : ''})`);
  const ok = report.unexplained.length === 0 && report.parseErrors.length === 0;
  lines.push(ok ? 'security scan: OK (every finding is explained)' : `security scan: FAILED — explain or fix the findings above (${ALLOW_LIST})`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === resolve(process.argv[1])) {
  const repoRoot = resolve(import.meta.dirname, '..');
  const online = process.argv.includes('--online');
  securityScan({ repoRoot, inputs: DEFAULT_INPUTS, online }).then(
    (report) => {
      console.log(formatReport(report));
      process.exitCode = report.unexplained.length === 0 && report.parseErrors.length === 0 ? 0 : 1;
    },
    (error: unknown) => {
      console.error('security scan could not run:', error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
