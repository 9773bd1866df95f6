// A service's working folder: `cwd:` relative to the stack folder or with `~` for home; and the loader's
// warning, with file, line and field, for a cwd that names no folder (real folders in a temp dir).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackFile } from '../../../electron/supervisor/config/load';
import { resolveWorkDir } from '../../../electron/supervisor/config/work-dir';
import { makeTempDir } from '../../helpers/temp-dir';

describe('resolveWorkDir', () => {
  it('reads relative paths against the stack folder, absolute ones as they are, and ~ as home', () => {
    expect(resolveWorkDir('/stacks/shop', '.', '/home/ann')).toBe('/stacks/shop');
    expect(resolveWorkDir('/stacks/shop', './api/../web', '/home/ann')).toBe('/stacks/shop/web');
    expect(resolveWorkDir('/stacks/shop', '/srv/api', '/home/ann')).toBe('/srv/api');
    expect(resolveWorkDir('/stacks/shop', '~', '/home/ann')).toBe('/home/ann');
    expect(resolveWorkDir('/stacks/shop', '~/src/api', '/home/ann')).toBe('/home/ann/src/api');
    // Only a leading "~" or "~/" is home, as in the shell; "~bob" (another user's home) is not guessed at.
    expect(resolveWorkDir('/stacks/shop', '~bob/x', '/home/ann')).toBe('/stacks/shop/~bob/x');
    expect(resolveWorkDir('/stacks/shop', 'a~/b', '/home/ann')).toBe('/stacks/shop/a~/b');
  });
});

describe('loadStackFile: a cwd that names no folder', () => {
  let temp: ReturnType<typeof makeTempDir> | null = null;
  afterEach(() => {
    temp?.cleanup();
    temp = null;
  });

  it('loads, with a warning at the cwd field; templates and existing folders are not warned about', async () => {
    temp = makeTempDir();
    mkdirSync(join(temp.dir, 'api'));
    writeFileSync(join(temp.dir, 'notes.txt'), '');
    const file = join(temp.dir, 'hearth.yaml');
    writeFileSync(
      file,
      [
        'services:',
        '  api: { cmd: pwd, cwd: ./api }',
        '  web:',
        '    cmd: pwd',
        '    cwd: ./wbe',
        '  docs: { cmd: pwd, cwd: notes.txt }',
        '  pool: { cmd: pwd, cwd: "./shard-{{thermos.instance}}", replicas: 2 }',
        '  home: { cmd: pwd, cwd: "~" }',
        '',
      ].join('\n'),
    );
    const r = await loadStackFile(file);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toEqual([
      { file, line: 5, col: 10, path: 'services.web.cwd', message: `${join(temp.dir, 'wbe')} does not exist (yet?): the service cannot start without it` },
      { file, line: 6, col: 26, path: 'services.docs.cwd', message: `${join(temp.dir, 'notes.txt')} is not a folder (yet?): the service cannot start without it` },
    ]);
  });

  it('has no warnings when every cwd is there', async () => {
    temp = makeTempDir();
    const file = join(temp.dir, 'hearth.yaml');
    writeFileSync(file, 'services:\n  api: { cmd: pwd }\n');
    const r = await loadStackFile(file);
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.warnings).toBeUndefined();
  });
});
