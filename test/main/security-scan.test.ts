import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ALLOW_LIST,
  classifyFindings,
  globToRegExp,
  parseAllowList,
  runElectronegativity,
  securityScan,
  type Finding,
} from '../../scripts/security-scan';
import { makeTempDir } from '../helpers/temp-dir';

const repoRoot = resolve(import.meta.dirname, '..', '..');

const finding = (check: string, file: string): Finding => ({
  check,
  file,
  line: 1,
  column: 0,
  severity: 'MEDIUM',
  confidence: 'FIRM',
  manualReview: false,
  description: '',
});

describe('allow-list rules', () => {
  it('requires a justification for every entry', () => {
    expect(() => parseAllowList({ accepted: [{ check: 'OPEN_EXTERNAL_JS_CHECK' }] })).toThrow(/justification/);
    expect(() => parseAllowList({ accepted: [{ check: 'OPEN_EXTERNAL_JS_CHECK', justification: 'ok' }] })).toThrow(/justification/);
    expect(() => parseAllowList({ accepted: [{ check: 'x', justification: 'a long enough reason to accept it' }] })).toThrow(/check/);
    expect(() => parseAllowList({ accepted: [], extra: 1 })).toThrow();
  });

  it('the committed allow-list is valid', () => {
    const entries = parseAllowList(JSON.parse(readFileSync(join(repoRoot, ALLOW_LIST), 'utf8')) as unknown);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('globs match within a segment with * and across segments with **', () => {
    expect(globToRegExp('out/renderer/assets/*.js').test('out/renderer/assets/index-abc.js')).toBe(true);
    expect(globToRegExp('out/renderer/assets/*.js').test('out/renderer/assets/sub/x.js')).toBe(false);
    expect(globToRegExp('out/**/*.js').test('out/renderer/assets/sub/x.js')).toBe(true);
    expect(globToRegExp('electron/main/index.ts').test('electron/main/indexXts')).toBe(false);
  });

  it('accepts a finding only for the listed check and files, and reports unused entries', () => {
    const allow = parseAllowList({
      accepted: [
        { check: 'OPEN_EXTERNAL_JS_CHECK', files: ['electron/main/*.ts'], justification: 'validated before use, see tests' },
        { check: 'CSP_GLOBAL_CHECK', justification: 'computed CSP the scanner cannot parse' },
        { check: 'SANDBOX_JS_CHECK', files: ['nowhere.ts'], justification: 'an entry that matches nothing at all' },
      ],
    });
    const result = classifyFindings(
      [finding('OPEN_EXTERNAL_JS_CHECK', 'electron/main/index.ts'), finding('OPEN_EXTERNAL_JS_CHECK', 'electron/web/x.ts'), finding('CSP_GLOBAL_CHECK', 'any/file.js')],
      allow,
    );
    expect(result.accepted.map((a) => a.finding.file)).toEqual(['electron/main/index.ts', 'any/file.js']);
    expect(result.unexplained.map((f) => f.file)).toEqual(['electron/web/x.ts']);
    expect(result.unusedEntries.map((e) => e.check)).toEqual(['SANDBOX_JS_CHECK']);
  });

  it('window.ts really takes its webPreferences from secureWebPreferences (the allow-list relies on it)', () => {
    const source = readFileSync(join(repoRoot, 'electron/main/window.ts'), 'utf8');
    expect(source.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(source).toMatch(/webPreferences: secureWebPreferences\(/);
  });
});

describe('electronegativity (the real scanner, offline)', () => {
  const temp = makeTempDir();
  afterAll(() => temp.cleanup());

  it('finds the problems of a deliberately insecure app, and our allow-list does not excuse them', { timeout: 60_000 }, async () => {
    const app = join(temp.dir, 'bad-app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'main.js'),
      [
        "const { app, BrowserWindow, shell } = require('electron');",
        'app.whenReady().then(() => {',
        "  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });",
        "  win.webContents.on('new-window', (e, url) => shell.openExternal(url));",
        "  win.loadURL('http://example.com');",
        '});',
      ].join('\n'),
    );
    // (Multi-line on purpose: the scanner mistakes a one-line JSON text for a file name.)
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'bad', scripts: { start: 'electron . --disable-web-security' } }, null, 2)}\n`);
    const { findings } = await runElectronegativity(app, repoRoot, false);
    const checks = new Set(findings.map((f) => f.check));
    for (const expected of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'HTTP_RESOURCES_JS_CHECK']) {
      expect(checks, expected).toContain(expected);
    }
    const allow = parseAllowList(JSON.parse(readFileSync(join(repoRoot, ALLOW_LIST), 'utf8')) as unknown);
    expect(classifyFindings(findings, allow).unexplained.length).toBeGreaterThanOrEqual(4);

    const { findings: pkgFindings, parseErrors } = await runElectronegativity(join(app, 'package.json'), repoRoot, false);
    expect(parseErrors).toEqual([]);
    expect(pkgFindings.map((f) => f.check)).toEqual(['CUSTOM_ARGUMENTS_JSON_CHECK']);
  });

  it('has zero unexplained findings in electron/ and package.json', { timeout: 60_000 }, async () => {
    const report = await securityScan({ repoRoot, inputs: ['electron', 'package.json'] });
    expect(report.scanned).toEqual(['electron', 'package.json']);
    expect(report.parseErrors).toEqual([]);
    expect(report.unexplained).toEqual([]);
    // The scanner really looked: it flags the openExternal call sites we explain in the allow-list.
    expect(report.accepted.some(({ finding: f }) => f.check === 'OPEN_EXTERNAL_JS_CHECK' && f.file === 'electron/main/ipc-main.ts')).toBe(true);
  });
});
