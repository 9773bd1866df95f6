import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEARTH_NODE_FLAGS } from '../../bin/node-flags.js';

const BIN = fileURLToPath(new URL('../../bin/hearth.js', import.meta.url));

describe("hearth's V8 flags", () => {
  it('are the ones bin/hearth.js starts node with, through its shebang', () => {
    const shebang = readFileSync(BIN, 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${HEARTH_NODE_FLAGS.join(' ')}`);
    // Run as a command (as npm links it), not through `node bin/hearth.js`: env -S splits the line here.
    const run = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^hearth \d/);
  });

  it("are the ones `npm run hearth` (the README's commands) starts node with: npm runs the script, not the shebang", () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.hearth).toBe(`node ${HEARTH_NODE_FLAGS.join(' ')} bin/hearth.js`);
  });

  it('are each accepted by this node (a misspelt V8 flag stops it with "bad option")', () => {
    for (const flag of HEARTH_NODE_FLAGS) {
      const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(run.stderr, flag).toBe('');
      expect(run.status, flag).toBe(0);
    }
    expect(spawnSync(process.execPath, ['--no-such-v8-flag', '-e', '0']).status).not.toBe(0);
  });

  it('keep garbage collection on the main thread: no collection runs work on a background thread (--single-threaded-gc)', () => {
    // Garbage enough for a dozen scavenges and a mark-compact; --trace-gc-nvp prints each collection's
    // phases with the time its background tasks took. Without the flag V8's helper threads scavenge in
    // parallel and mark and sweep concurrently (background.scavenge.parallel > 0 on every scavenge here),
    // and each helper thread that allocates keeps a glibc arena of its own.
    const churn = 'let a = []; for (let i = 0; i < 2e6; i++) { a.push({ i, s: "x" + i }); if (a.length > 2e5) a = []; }';
    const run = spawnSync(process.execPath, [...HEARTH_NODE_FLAGS, '--trace-gc-nvp', '-e', churn], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const collections = run.stdout.split('\n').filter((line) => / gc=/.test(line));
    expect(collections.length).toBeGreaterThan(5);
    const background = collections.flatMap((line) => [...line.matchAll(/\b(background\.[\w.]+)=([\d.]+)/g)]);
    expect(background.length).toBeGreaterThan(0); // the fields are there to read
    expect(background.filter((m) => Number(m[2]) > 0).map((m) => m[1])).toEqual([]);
  });
});
