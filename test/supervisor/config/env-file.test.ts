// env_file at load time: resolution, precedence order in the resolved config, errors at their line,
// optional files, and the fingerprint following the files' contents.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvFiles, readEnvFile } from '../../../electron/supervisor/config/env-file';
import { loadStackFile } from '../../../electron/supervisor/config/load';
import { makeTempDir } from '../../helpers/temp-dir';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function stackDir(files: Record<string, string>): { dir: string; file: string } {
  const { dir, cleanup } = makeTempDir('ef-');
  cleanups.push(cleanup);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, file: join(dir, 'hearth.yaml') };
}

describe('env_file in the stack file', () => {
  it('puts the stack files first, then the service files, resolved against the stack folder', async () => {
    const { dir, file } = stackDir({
      'hearth.yaml': `env_file: [.env, { path: .env.local, required: false }]
services:
  api:
    cmd: sleep 1
    env_file: config/api.env
  web:
    cmd: sleep 1
`,
      '.env': 'A=1\n',
      'config/api.env': 'B=2\n',
    });
    const r = await loadStackFile(file);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.stack.env_files).toEqual([
      { path: join(dir, '.env'), required: true },
      { path: join(dir, '.env.local'), required: false },
    ]);
    expect(r.stack.services.api!.env_files.map((f) => f.path)).toEqual([join(dir, '.env'), join(dir, '.env.local'), join(dir, 'config/api.env')]);
    expect(r.stack.services.web!.env_files).toHaveLength(2);
  });

  it('reports a missing required file at its env_file line and column, every one of them', async () => {
    const { file } = stackDir({
      'hearth.yaml': `env_file: nope.env
services:
  api:
    cmd: sleep 1
    env_file:
      - .env
      - { path: missing.env }
      - { path: fine-if-missing.env, required: false }
`,
      '.env': 'A=1\n',
    });
    const r = await loadStackFile(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.col, e.path])).toEqual([
      [1, 11, 'env_file'],
      [7, 17, 'services.api.env_file[1].path'],
    ]);
    expect(r.errors[0]!.message).toMatch(/nope\.env not found/);
  });

  it('reports a folder given as an env file', async () => {
    const { file } = stackDir({ 'hearth.yaml': 'services:\n  api:\n    cmd: sleep 1\n    env_file: { path: conf, required: false }\n', 'conf/x': '' });
    const r = await loadStackFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 4, path: 'services.api.env_file.path', message: expect.stringMatching(/not a regular file/) });
  });

  it('changes the fingerprint of the services using a file when its content changes, and only theirs', async () => {
    const { dir, file } = stackDir({
      'hearth.yaml': 'services:\n  api:\n    cmd: sleep 1\n    env_file: api.env\n  db:\n    cmd: sleep 1\n',
      'api.env': 'A=1\n',
    });
    const first = await loadStackFile(file);
    writeFileSync(join(dir, 'api.env'), 'A=2\n');
    const second = await loadStackFile(file);
    if (!first.ok || !second.ok) throw new Error('load failed');
    expect(second.stack.services.api!.fingerprint).not.toBe(first.stack.services.api!.fingerprint);
    expect(second.stack.services.db!.fingerprint).toBe(first.stack.services.db!.fingerprint);
  });
});

describe('reading env files', () => {
  it('parses dotenv syntax: comments, quotes, export, multi-line escapes; later files win', () => {
    const { dir } = stackDir({
      'a.env': '# comment\nexport A=1\nB="two words"\nC=\'single\'\nD=x # trailing comment\nE="l1\\nl2"\nT={{thermos.ports[http]}}\n',
      'b.env': 'A=override\n',
    });
    const env = loadEnvFiles([
      { path: join(dir, 'a.env'), required: true },
      { path: join(dir, 'b.env'), required: true },
      { path: join(dir, 'none.env'), required: false },
    ]);
    expect(env).toEqual({ A: 'override', B: 'two words', C: 'single', D: 'x', E: 'l1\nl2', T: '{{thermos.ports[http]}}' });
  });

  it('throws for a missing required file, with its path', () => {
    expect(() => loadEnvFiles([{ path: '/nonexistent/x.env', required: true }])).toThrow(/\/nonexistent\/x\.env not found/);
    expect(readEnvFile({ path: '/nonexistent/x.env', required: false })).toEqual({ ok: true, env: {}, text: null });
  });
});
