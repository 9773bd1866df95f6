import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directCommand } from '../../../electron/supervisor/process/direct-exec';
import { testTempDir } from '../../helpers/temp-dir';

function tempDir(): string {
  return realpathSync(testTempDir());
}

function program(dir: string, name: string, mode = 0o755): string {
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\necho hi\n');
  chmodSync(file, mode);
  return file;
}

describe('directCommand', () => {
  it('splits plain words on blanks and keeps the command word as argv[0]', () => {
    const dir = tempDir();
    const d = directCommand('  /bin/sleep\t86399  --a=b,c:d@e%f+g ./x  ', dir, { PATH: '/usr/bin:/bin' });
    expect(d).toMatchObject({ file: '/bin/sleep', args: ['86399', '--a=b,c:d@e%f+g', './x'], argv0: '/bin/sleep' });
  });

  it('searches PATH as the shell does: first executable regular file, relative and empty entries against the cwd', () => {
    const dir = tempDir();
    for (const d of ['a', 'b', 'c', 'rel/bin']) mkdirSync(join(dir, d), { recursive: true });
    program(join(dir, 'a'), 'tool', 0o644); // not executable: skipped
    mkdirSync(join(dir, 'b', 'tool')); // a directory: skipped
    const found = program(join(dir, 'c'), 'tool');
    const env = { PATH: `${dir}/a:${dir}/b:${dir}/c` };
    expect(directCommand('tool --x', dir, env)).toMatchObject({ file: found, args: ['--x'], argv0: 'tool' });
    const rel = program(join(dir, 'rel/bin'), 'other');
    expect(directCommand('other', dir, { PATH: 'rel/bin' })?.file).toBe(rel);
    const here = program(dir, 'mine');
    expect(directCommand('mine', dir, { PATH: '/nonexistent::/usr/bin' })?.file).toBe(here);
    expect(directCommand('./mine', dir, { PATH: '/usr/bin' })).toMatchObject({ file: here, argv0: './mine' });
  });

  it('leaves to the shell anything it could treat differently', () => {
    const dir = tempDir();
    const env = { PATH: '/usr/bin:/bin' };
    const shellSyntax = [
      'sleep $HOME', 'sleep "1"', "sleep '1'", 'sleep \\1', 'sleep `x`', 'sleep 1*', 'sleep 1?', 'sleep [1]', 'sleep ~',
      'sleep 1 # c', 'sleep 1; sleep 2', 'sleep 1 & x', 'sleep 1 | cat', 'sleep 1 > f', 'sleep 1 < f', 'sleep (1)',
      'sleep {1,2}', 'sleep 1\nsleep 2', 'sleep 1\r', 'sleep é', '! sleep 1', 'sleep 1 && true', '', '   ',
    ];
    for (const cmd of shellSyntax) expect(directCommand(cmd, dir, env), cmd).toBeNull();
    // Builtins (even those that are also programs), keywords, an assignment prefix.
    for (const cmd of ['echo hi', 'true', 'kill 1', 'cd /', 'exec sleep 1', 'if', 'time sleep 1', 'FOO=1 sleep 1', 'test -e x', '. ./x', ': x']) {
      expect(directCommand(cmd, dir, env), cmd).toBeNull();
    }
    // Not found, not executable: the shell reports it (127 / 126) as always.
    expect(directCommand('hearth-no-such-command-xyz', dir, env)).toBeNull();
    expect(directCommand(`${program(dir, 'plain', 0o644)} x`, dir, env)).toBeNull();
    expect(directCommand('sleep 1', dir, {})).toBeNull(); // no PATH: each shell has its own default
    expect(directCommand('sleep 1', dir, env)).not.toBeNull();
  });

  it('leaves to the shell an environment the shell would rewrite or act on', () => {
    const dir = tempDir();
    for (const extra of [{ IFS: ':' }, { OPTIND: '3' }, { PPID: '1' }, { BASH_ENV: '/x' }, { 'BASH_FUNC_sleep%%': '() { :; }' }, { 'A-B': '1' }, { '1X': '1' }]) {
      expect(directCommand('sleep 1', dir, { PATH: '/usr/bin:/bin', ...extra }), JSON.stringify(extra)).toBeNull();
    }
  });

  it('sets PWD as a POSIX shell does: the inherited one if it names the cwd (symlinks kept), else the physical path', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const env = { PATH: '/usr/bin:/bin' };
    expect(directCommand('sleep 1', join(dir, 'link'), { ...env, PWD: join(dir, 'link') })?.env.PWD).toBe(join(dir, 'link'));
    expect(directCommand('sleep 1', join(dir, 'real'), { ...env, PWD: join(dir, 'link') })?.env.PWD).toBe(join(dir, 'link'));
    expect(directCommand('sleep 1', join(dir, 'link'), { ...env, PWD: '/' })?.env.PWD).toBe(join(dir, 'real'));
    expect(directCommand('sleep 1', join(dir, 'link'), env)?.env.PWD).toBe(join(dir, 'real'));
    expect(directCommand('sleep 1', join(dir, 'link'), { ...env, PWD: 'link' })?.env.PWD).toBe(join(dir, 'real'));
  });
});
