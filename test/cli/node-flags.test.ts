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
});
