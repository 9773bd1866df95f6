import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildBundle, currentBundle, freshBundle } from '../../bin/cli-bundle.js';
import { findAppRoot } from '../../electron/host/app-root';
import { testTempDir } from '../helpers/temp-dir';

const REPO = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** A two-file TypeScript project whose entry exports `value()`. */
function project(value: string): { entry: string; dep: string; outDir: string } {
  const dir = testTempDir();
  const dep = join(dir, 'src', 'dep.ts');
  const entry = join(dir, 'src', 'main.ts');
  writeDep(dep, value);
  writeFileSync(entry, "import { text } from './dep';\nexport const value = (): string => text;\n");
  return { entry, dep, outDir: join(dir, 'out') };
}
function writeDep(dep: string, value: string): void {
  mkdirSync(join(dep, '..'), { recursive: true });
  writeFileSync(dep, `export const text: string = ${JSON.stringify(value)};\n`);
}

/** Imports a bundle afresh (a query string defeats the module cache) and calls its value(). */
async function valueOf(bundle: string): Promise<string> {
  const mod = (await import(`${pathToFileURL(bundle).href}?t=${Date.now()}-${Math.random()}`)) as { value: () => string };
  return mod.value();
}

/** Marks a file as saved `secs` from now. */
function touch(file: string, secs: number): void {
  const t = Date.now() / 1000 + secs;
  utimesSync(file, t, t);
}

describe('CLI bundle', () => {
  it('bundles the TypeScript entry and what it imports, and records every source read', async () => {
    const p = project('first');
    const bundle = await freshBundle({ ...p, name: 'app.mjs' });
    expect(bundle).toMatch(new RegExp(`^${p.outDir}/app\\.[0-9a-f-]+/app\\.mjs$`));
    expect(await valueOf(bundle!)).toBe('first');
    const manifest = JSON.parse(readFileSync(join(p.outDir, 'manifest.json'), 'utf8')) as { inputs: string[] };
    // The sources, and the bundler itself (a change to how bundles are made makes them stale).
    expect(manifest.inputs.sort()).toEqual([p.dep, p.entry, join(REPO, 'bin', 'cli-bundle.js')].sort());
    expect(currentBundle(p.outDir)).toBe(bundle);
  });

  it('is stale once a source changes or disappears, and the rebuild has the change', async () => {
    const p = project('before');
    const opts = { ...p, name: 'app.mjs' };
    const bundle = (await freshBundle(opts))!;
    const builtAt = (): number => (JSON.parse(readFileSync(join(p.outDir, 'manifest.json'), 'utf8')) as { builtAt: number }).builtAt;
    const first = builtAt();
    // Fresh: a second call does not rebuild.
    expect(await freshBundle(opts)).toBe(bundle);
    expect(builtAt()).toBe(first);

    writeDep(p.dep, 'after');
    touch(p.dep, 5); // later than the build, whatever the filesystem's timestamp resolution
    expect(currentBundle(p.outDir)).toBeNull();
    const rebuilt = (await freshBundle(opts))!;
    expect(rebuilt).not.toBe(bundle);
    expect(await valueOf(rebuilt)).toBe('after');
    expect(builtAt()).toBeGreaterThan(first);

    touch(p.dep, -60);
    expect(currentBundle(p.outDir)).toBe(rebuilt);
    rmSync(p.dep);
    expect(currentBundle(p.outDir)).toBeNull();
  });

  it('writes every character above U+00FF as an escape, so V8 keeps the source one byte a character, and the code means the same', async () => {
    const p = project('x');
    // The file holds the characters themselves. esbuild escapes the string; the regular expressions it leaves as written.
    writeFileSync(p.dep, "export const text: string = 'a\u2026b\u20ac'.replace(/\u2026/g, '...').replace(/[\u20ac]/g, 'EUR') + 'µ';\n");
    const built = await buildBundle({ ...p, name: 'app.mjs' });
    const code = readFileSync(built.bundle!, 'utf8');
    expect(code).not.toMatch(/[\u0100-\uffff]/);
    expect(code).toContain('\\u2026'); // the literal was escaped, not dropped
    expect(await valueOf(built.bundle!)).toBe('a...bEURµ');
  });

  it('says why a source does not build, and freshBundle gives null instead of throwing', async () => {
    const p = project('ok');
    writeFileSync(p.entry, 'export const value = ( => 1;\n');
    const built = await buildBundle({ ...p, name: 'app.mjs' });
    // Where and what: the file, its line, and esbuild's complaint.
    expect(built.error).toMatch(new RegExp(`^${p.entry}:1:\\d+: (Expected|Unexpected)`));
    expect(await freshBundle({ ...p, name: 'app.mjs' })).toBeNull();
    expect(existsSync(join(p.outDir, 'manifest.json'))).toBe(false);
  });

  it('keeps a package that the sources import lazily out of start-up', async () => {
    // A package (external to the bundle) imported only by a lazily imported module, as `hearth status`
    // never needs what only `hearth up` loads. In one bundled file its import would be hoisted to the top.
    const p = project('lazy');
    const root = join(p.entry, '..', '..');
    const pkg = join(root, 'node_modules', 'heavy-package');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'heavy-package', type: 'module', exports: './index.js' }));
    writeFileSync(join(pkg, 'index.js'), 'globalThis.heavyLoads = (globalThis.heavyLoads ?? 0) + 1;\nexport const heavy = "loaded";\n');
    writeFileSync(join(root, 'src', 'lazy.ts'), "import { heavy } from 'heavy-package';\nexport const lazyValue = (): string => heavy;\n");
    writeFileSync(p.entry, "export const value = (): string => 'x';\nexport const later = async (): Promise<string> => (await import('./lazy')).lazyValue();\n");
    const bundle = (await freshBundle({ ...p, name: 'app.mjs' }))!;
    const g = globalThis as { heavyLoads?: number };
    delete g.heavyLoads;
    const mod = (await import(pathToFileURL(bundle).href)) as { later: () => Promise<string> };
    expect(g.heavyLoads).toBeUndefined();
    expect(await mod.later()).toBe('loaded');
    expect(g.heavyLoads).toBe(1);
    delete g.heavyLoads;
  });

  it('lets concurrent builds race: each one succeeds and no temporary file is left', async () => {
    const p = project('raced');
    const results = await Promise.all(Array.from({ length: 4 }, () => buildBundle({ ...p, name: 'app.mjs' })));
    for (const r of results) expect(await valueOf(r.bundle!)).toBe('raced');
    // Each build has its own folder, and the manifest points at one of them.
    const files = readdirSync(p.outDir).sort();
    expect(files).toEqual([...results.map((r) => r.bundle!.slice(p.outDir.length + 1).split('/')[0]!), 'manifest.json'].sort());
    expect(results.map((r) => r.bundle)).toContain(currentBundle(p.outDir));
  });
});

describe('stopBuilder', () => {
  /** Builds a project in a fresh Node process, then prints how many child processes it still has. */
  async function childrenAfterBuild(stop: boolean): Promise<number> {
    const p = project('alone');
    const script = `
      import { readdirSync, readFileSync } from 'node:fs';
      import { buildBundle, stopBuilder } from ${JSON.stringify(pathToFileURL(join(REPO, 'bin', 'cli-bundle.js')).href)};
      const built = await buildBundle(${JSON.stringify({ ...p, name: 'app.mjs' })});
      if (!built.bundle) throw new Error(built.error);
      // Live children: /proc/PID/stat's state is not Z (exited, not yet reaped) and its parent is us.
      const live = (pid) => { try { const f = readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ')[1].split(' '); return f[0] !== 'Z' && Number(f[1]) === process.pid; } catch { return false; } };
      const count = () => readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e) && live(e)).length;
      if (${stop}) {
        await stopBuilder();
        for (const end = Date.now() + 5000; count() > 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      }
      console.log(count());
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    return Number(stdout.trim());
  }

  it('ends the process esbuild builds in, which would otherwise live beside the CLI for its whole run', async () => {
    expect(await childrenAfterBuild(false)).toBeGreaterThan(0); // the control: esbuild keeps it
    expect(await childrenAfterBuild(true)).toBe(0);
  });
});

describe('bin/hearth.js', () => {
  it('runs the CLI from the bundle, which finds its own installation (package.json, schema)', async () => {
    const cwd = testTempDir();
    const { stdout } = await run(process.execPath, [join(REPO, 'bin', 'hearth.js'), '--version'], { cwd });
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(stdout.trim()).toBe(`hearth ${pkg.version}`);
    expect(currentBundle(join(REPO, 'out', 'cli'))).toMatch(/out\/cli\/hearth\.[0-9a-f-]+\/hearth\.mjs$/);
    // `init` writes a schema reference: from out/cli/ it must still point at the repo's schema file.
    await run(process.execPath, [join(REPO, 'bin', 'hearth.js'), 'init'], { cwd });
    const ref = /\$schema=(\S+)/.exec(readFileSync(join(cwd, 'hearth.yaml'), 'utf8'))?.[1];
    expect(ref).toBeDefined();
    expect(existsSync(ref!.startsWith('/') ? ref! : join(cwd, ref!))).toBe(true);
  });

  it('bundles zod (only what the sources use: English messages, none of its other locales) and loads every other package from node_modules', async () => {
    await run(process.execPath, [join(REPO, 'bin', 'hearth.js'), '--version'], { cwd: testTempDir() });
    const dir = join(currentBundle(join(REPO, 'out', 'cli'))!, '..');
    const code = readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    // esbuild names each bundled module in a comment above its code.
    const locales = [...code.matchAll(/node_modules\/zod\/v4\/locales\/([\w-]+)\.js/g)].map((m) => m[1]);
    expect(new Set(locales)).toEqual(new Set(['en']));
    expect(code).toMatch(/node_modules\/zod\/v4\/classic\/schemas\.js/);
    expect(code).not.toMatch(/\bfrom\s*["']zod["']|import\(["']zod["']\)/);
    // The others stay external: imported by name, resolved from node_modules at run time.
    expect(code).toMatch(/\bfrom\s*"yaml"/);
    expect(code).toMatch(/\bfrom\s*"chokidar"/);
    expect(code).not.toMatch(/node_modules\/yaml\//);
  });

  it('holds no character above U+00FF in any file of the bundle (each would make V8 keep that file two bytes a character)', async () => {
    await run(process.execPath, [join(REPO, 'bin', 'hearth.js'), '--version'], { cwd: testTempDir() });
    const dir = join(currentBundle(join(REPO, 'out', 'cli'))!, '..');
    const wide = readdirSync(dir).filter((f) => f.endsWith('.mjs') && /[\u0100-\uffff]/.test(readFileSync(join(dir, f), 'utf8')));
    expect(wide).toEqual([]);
  });

  it('findAppRoot walks up to the folder with Hearth’s package.json, and says so when there is none', () => {
    expect(findAppRoot(join(REPO, 'out', 'cli'))).toBe(REPO);
    expect(findAppRoot(join(REPO, 'electron', 'host'))).toBe(REPO);
    expect(() => findAppRoot(testTempDir())).toThrow(/package.json was not found/);
    // Another package's manifest, or a broken one, on the way up is passed over.
    const nested = join(testTempDir(), 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, '..', 'package.json'), '{ not json');
    writeFileSync(join(nested, 'package.json'), JSON.stringify({ name: 'other' }));
    expect(() => findAppRoot(nested)).toThrow(/package.json was not found/);
  });
});
