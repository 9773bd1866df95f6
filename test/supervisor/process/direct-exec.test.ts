import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directCommand, planCommand } from '../../../electron/supervisor/process/direct-exec';
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
    // Not found, not executable: no direct form (planCommand says why, below).
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

  it('says why a plain command cannot start at all, instead of leaving the shell to exit 127 in a loop', () => {
    const dir = tempDir();
    const env = { PATH: `${dir}/none:/usr/bin:/bin` };
    expect(planCommand('hearth-no-such-command-xyz --port 1', dir, env)).toEqual({ missing: 'hearth-no-such-command-xyz', reason: 'not found on PATH' });
    expect(planCommand('./nope', dir, env)).toEqual({ missing: './nope', reason: 'no such file' });
    expect(planCommand(`${program(dir, 'plain', 0o644)}`, dir, env)).toMatchObject({ reason: 'permission denied (not executable)' });
    mkdirSync(join(dir, 'folder'));
    expect(planCommand('./folder', dir, env)).toMatchObject({ reason: 'not a file' });
    // Only where the shell would have run the same lookup: shell syntax, builtins and no PATH stay the shell's.
    for (const cmd of ['hearth-no-such-command-xyz; true', 'echo hi', 'FOO=1 hearth-no-such-command-xyz']) expect(planCommand(cmd, dir, env), cmd).toBeNull();
    expect(planCommand('hearth-no-such-command-xyz', dir, {})).toBeNull();
  });
});

// Windows' lookup (cmd.exe's): unit-tested here with real files and Windows' rules (';' in PATH, PATHEXT,
// the working folder first, no execute bit); no Windows machine runs it.
describe('planCommand, Windows rules', () => {
  function win(dir: string) {
    for (const d of ['bin', 'node']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'node', 'node.exe'), 'MZ');
    writeFileSync(join(dir, 'node', 'npx.cmd'), '@echo off');
    writeFileSync(join(dir, 'bin', 'tool.COM'), 'MZ');
    return { PATH: `${dir}/bin;${dir}/node`, PATHEXT: '.COM;.EXE;.BAT;.CMD' };
  }

  it('finds an .exe through PATHEXT and runs it directly, argv as written', () => {
    const dir = tempDir();
    const env = win(dir);
    expect(planCommand('node server.js --port 1', dir, env, undefined, 'win32')).toMatchObject({ file: join(dir, 'node', 'node.exe'), args: ['server.js', '--port', '1'], argv0: 'node' });
    expect(planCommand('node.exe -v', dir, env, undefined, 'win32')).toMatchObject({ file: join(dir, 'node', 'node.exe') });
    expect(planCommand('tool', dir, env, undefined, 'win32')).toMatchObject({ file: join(dir, 'bin', 'tool.COM') });
  });

  it('leaves npx (npx.cmd), cmd builtins and %VARS% to cmd.exe, and names what is found nowhere', () => {
    const dir = tempDir();
    const env = win(dir);
    expect(planCommand('npx vite', dir, env, undefined, 'win32')).toBeNull();
    expect(planCommand('dir /b', dir, env, undefined, 'win32')).toBeNull();
    expect(planCommand('ECHO hi', dir, env, undefined, 'win32')).toBeNull();
    expect(planCommand('node %APPDATA%', dir, env, undefined, 'win32')).toBeNull();
    expect(planCommand('nosuch --x', dir, env, undefined, 'win32')).toEqual({ missing: 'nosuch', reason: 'not found on PATH (with PATHEXT)' });
  });

  it('looks in the working folder before PATH, as cmd.exe does, and matches Path/PATHEXT in any case', () => {
    const dir = tempDir();
    win(dir);
    writeFileSync(join(dir, 'node.exe'), 'MZ');
    expect(planCommand('node', dir, { Path: `${dir}/node`, PathExt: '.EXE' }, undefined, 'win32')).toMatchObject({ file: join(dir, 'node.exe') });
  });
});
