import { chmodSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnProcess, type ChildHandle } from '../../../electron/supervisor/process/spawn';
import { descendantsIn, procTable, readProcStat } from '../../../electron/supervisor/process/proc-stat';
import { linuxPlatform } from '../../../electron/supervisor/process/platform/linux';
import { posixPsPlatform } from '../../../electron/supervisor/process/platform/posix-ps';
import type { ShellConfig } from '../../../electron/supervisor/config/types';
import { isAlive } from '../../helpers/proc';
import { testTempDir } from '../../helpers/temp-dir';
import { waitFor } from '../../helpers/wait-for';

const started: ChildHandle[] = [];
afterEach(() => {
  for (const h of started.splice(0)) {
    try {
      if (h.pid > 0) process.kill(-h.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const linux = linuxPlatform();

/** Where a process sleeps in the kernel ('' when gone). */
const wchan = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
};

async function run(cmd: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env, more: { platform?: typeof linux; shell?: ShellConfig } = {}) {
  const out: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  // A chunk is valid only during the call (the real pipes read into one shared buffer): keep a copy.
  const handle = await spawnProcess({ cmd, cwd, env, platform: more.platform ?? linux, shell: more.shell, onOutput: (s, c) => out[s].push(Buffer.from(c)) });
  started.push(handle);
  const text = (s: 'stdout' | 'stderr') => Buffer.concat(out[s]).toString('utf8');
  return { handle, text };
}

describe('spawnProcess', () => {
  it('runs the command through /bin/sh in its own process group and captures both streams', async () => {
    const dir = testTempDir();
    const { handle, text } = await run('echo "out $HEARTH_T $(pwd)"; echo err >&2; exit 3', dir, { ...process.env, HEARTH_T: 'x1' });
    expect(handle.pid).toBeGreaterThan(0);
    expect(handle.spawnError).toBeNull();
    expect(handle.startedAt).toBeLessThanOrEqual(Date.now());
    const exit = await handle.exited;
    expect(exit).toEqual({ code: 3, signal: null });
    expect(text('stdout')).toBe(`out x1 ${dir}\n`);
    expect(text('stderr')).toBe('err\n');
  });

  it('records the /proc start time and makes the child a process group leader', async () => {
    const { handle } = await run('sleep 30');
    const stat = readProcStat(handle.pid);
    expect(stat).not.toBeNull();
    expect(handle.startTime).toBe(stat?.startTime);
    expect(stat?.pgrp).toBe(handle.pid);
    expect(stat?.pgrp).not.toBe(readProcStat(process.pid)?.pgrp);
    process.kill(-handle.pid, 'SIGTERM');
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('gives the child real pipes as fds 0-2: it can open /dev/stdout, /dev/stderr and /dev/stdin by path', async () => {
    const { handle, text } = await run('test -p /dev/stdout && test -p /dev/stdin && echo fifo; echo out > /dev/stdout; echo err | tee /dev/stderr >/dev/null; read line < /dev/stdin; echo "got $line"');
    handle.write('typed\n');
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    expect(text('stdout')).toBe('fifo\nout\ngot typed\n');
    expect(text('stderr')).toBe('err\n');
  });

  it('keeps backpressure on the real pipes: a paused reader stops the writer, resuming lets it finish', async () => {
    // 4 MB in 64 kB writes: far more than a pipe holds.
    const { handle, text } = await run('head -c 4000000 /dev/zero | tr "\\0" x; echo; echo done >&2');
    handle.pause();
    // The writer (tr) sleeps in the kernel's pipe write: its pipe to us is full and nobody reads.
    const writer = await waitFor(() => descendantsIn(procTable(), handle.pid).find((pid) => /pipe_write/.test(wchan(pid))), { what: 'the writer blocked on its full pipe' });
    expect(text('stdout').length).toBeLessThan(4_000_000);
    expect(readProcStat(writer)?.state).toBe('S');
    handle.resume();
    await handle.exited;
    expect(text('stdout').length).toBe(4_000_001);
    expect(text('stderr')).toBe('done\n');
  });

  it('leaves no fd behind: 100 runs through the real pipes, the fd count back where it was', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    await (await run('true; exit')).handle.exited; // the pipe pool made, the first time
    const before = fds();
    for (let i = 0; i < 100; i++) {
      const { handle } = await run('echo hi; echo err >&2; exit');
      await handle.exited;
    }
    // Sockets are closed asynchronously: let the last ones settle.
    await waitFor(() => fds() <= before + 2, { what: `fds back near ${before} (now ${fds()})` });
  });

  it('reads every pipe into one reused buffer, and two chatty children at once still arrive intact', async () => {
    // Each child prints its own byte on stdout and another on stderr: any chunk overwritten by another
    // pipe's read before it was handed over would show a foreign byte or a wrong count.
    const views = new Set<ArrayBuffer>();
    const got = new Map<string, Buffer[]>();
    const start = (tag: string, a: string, b: string) =>
      spawnProcess({
        cmd: `head -c 3000000 /dev/zero | tr "\\0" ${a}; head -c 2000000 /dev/zero | tr "\\0" ${b} >&2`,
        cwd: process.cwd(),
        env: process.env,
        platform: linux,
        onOutput: (s, c) => {
          views.add(c.buffer as ArrayBuffer);
          const key = `${tag}:${s}`;
          got.set(key, [...(got.get(key) ?? []), Buffer.from(c)]);
        },
      });
    const [one, two] = await Promise.all([start('one', 'a', 'b'), start('two', 'c', 'd')]);
    started.push(one, two);
    await Promise.all([one.exited, two.exited]);
    const text = (key: string) => Buffer.concat(got.get(key) ?? []).toString('latin1');
    expect(text('one:stdout')).toBe('a'.repeat(3_000_000));
    expect(text('one:stderr')).toBe('b'.repeat(2_000_000));
    expect(text('two:stdout')).toBe('c'.repeat(3_000_000));
    expect(text('two:stderr')).toBe('d'.repeat(2_000_000));
    // Hundreds of reads, all into the same memory: no allocation per read.
    expect(views.size).toBe(1);
  });

  it('drains a chatty child so it never blocks on a full pipe', async () => {
    // 8 MB on stdout and stderr each: far beyond the 64 KB pipe buffer.
    const { handle, text } = await run('head -c 8000000 /dev/zero | tr "\\0" a; head -c 8000000 /dev/zero | tr "\\0" b >&2');
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    expect(text('stdout').length).toBe(8_000_000);
    expect(text('stderr').length).toBe(8_000_000);
  });

  it('reports the exit soon even when a grandchild keeps the pipes open', async () => {
    const { handle } = await run('sleep 30 & echo started');
    const t0 = Date.now();
    const exit = await handle.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000);
    // The grandchild (sleep) is still alive in the group and still holds the pipes; afterEach kills it.
    expect(() => process.kill(-handle.pid, 0)).not.toThrow();
  });

  it('does not throw when the working directory is missing: exit 127 and a clear spawnError', async () => {
    const { handle } = await run('echo hi', '/definitely/not/here');
    expect(handle.spawnError?.message).toBe('working directory /definitely/not/here does not exist');
    expect(handle.pid).toBe(0);
    expect(await handle.exited).toEqual({ code: 127, signal: null });
  });

  it('does not throw on a NUL byte in the command', async () => {
    const { handle } = await run('echo \0 hi');
    expect(handle.spawnError?.message).toMatch(/cannot start/);
    expect(await handle.exited).toEqual({ code: 127, signal: null });
  });

  it('a command word found nowhere on PATH is a spawn error saying so, known when spawnProcess resolves', async () => {
    const { handle } = await run('hearth-no-such-command-xyz --port 1');
    expect(handle.spawnError?.message).toBe('cannot start "hearth-no-such-command-xyz": not found on PATH');
    expect(handle.pid).toBe(0);
    expect(await handle.exited).toEqual({ code: 127, signal: null });
  });

  it('an unknown command inside shell syntax is the shell\'s own exit 127, as before', async () => {
    const { handle, text } = await run('hearth-no-such-command-xyz; exit $?');
    expect(await handle.exited).toEqual({ code: 127, signal: null });
    expect(handle.spawnError).toBeNull();
    expect(text('stderr')).toMatch(/not found/);
    await waitFor(() => !isAlive(handle.pid), { what: 'shell gone' });
  });

  it('a shell that does not exist is a spawn error once spawnProcess resolves (Node reports it a tick later)', async () => {
    const { handle } = await run('echo hi; exit', process.cwd(), process.env, { shell: { shell_command: '/nonexistent/hearth-sh', shell_argument: '-c' } });
    expect(handle.pid).toBe(0);
    expect(handle.spawnError?.message).toBe(`cannot start "echo hi; exit" in ${process.cwd()}: /nonexistent/hearth-sh not found`);
    expect(await handle.exited).toEqual({ code: 127, signal: null });
  });

  it('runs every command through a configured shell: (bash -c here), plain words too', async () => {
    const { handle, text } = await run('echo $BASH_VERSION', process.cwd(), process.env, { shell: { shell_command: 'bash', shell_argument: '-c' } });
    expect(handle.viaShell).toBe(true);
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    expect(text('stdout')).toMatch(/^\d+\.\d+/);
  });

  it('the posix-ps backend reads the start time from ps (whole seconds, UTC) and the child still leads its group', async () => {
    const ps = posixPsPlatform();
    const t0 = Math.floor(Date.now() / 1000);
    const { handle } = await run('sleep 30', process.cwd(), process.env, { platform: ps });
    expect(handle.startTime).toBeNull(); // not known yet: one ps call away
    await handle.identified;
    expect(handle.startTime).toBeGreaterThanOrEqual(t0 - 1);
    expect(handle.startTime).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
    expect(readProcStat(handle.pid)?.pgrp).toBe(handle.pid);
    expect((await ps.read(handle.pid))?.startTime).toBe(handle.startTime);
  });

  it('runs plain words without the shell: the pid is the program itself, argv as written, a SIGKILL is its own exit', async () => {
    const { handle } = await run('sleep  30', process.cwd(), { ...process.env, PATH: `/nonexistent:${process.env.PATH ?? '/usr/bin:/bin'}` });
    expect(readFileSync(`/proc/${handle.pid}/cmdline`, 'utf8')).toBe('sleep\u000030\u0000');
    expect(readlinkSync(`/proc/${handle.pid}/exe`)).toMatch(/\/sleep$/);
    expect(readProcStat(handle.pid)?.pgrp).toBe(handle.pid);
    process.kill(handle.pid, 'SIGKILL');
    expect(await handle.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('gives a program run without the shell the same environment, PWD and cwd as the shell would', async () => {
    const dir = testTempDir();
    const real = join(realpathSync(dir), 'real');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'link'));
    for (const [cwd, pwd] of [
      [join(dir, 'link'), join(dir, 'link')], // inherited PWD names the cwd: kept, symlink and all
      [join(dir, 'link'), '/'], // a stale PWD: the physical path
      [real, undefined],
    ] as const) {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/h', HEARTH_X: 'a b=c' };
      if (pwd) env.PWD = pwd;
      // `; exit` is shell syntax, so that one runs as /bin/sh -c with env as a child of the shell.
      const direct = await run('env', cwd, env);
      const shell = await run('env; exit', cwd, env);
      await Promise.all([direct.handle.exited, shell.handle.exited]);
      const sorted = (t: string) => t.split('\n').filter(Boolean).sort();
      expect(sorted(direct.text('stdout')), `${cwd} ${pwd}`).toEqual(sorted(shell.text('stdout')));
      expect(sorted(direct.text('stdout'))).toContain(`PWD=${pwd === join(dir, 'link') ? pwd : real}`);
    }
  });

  it('falls back to the shell when the direct start fails: a script without #! runs as a shell script', async () => {
    const dir = testTempDir();
    const script = join(dir, 'no-shebang');
    writeFileSync(script, 'echo "from script $1"\n');
    chmodSync(script, 0o755);
    const { handle, text } = await run(`${script} one`, dir);
    expect(await handle.exited).toEqual({ code: 0, signal: null });
    expect(handle.spawnError).toBeNull();
    expect(text('stdout')).toBe('from script one\n');
  });

  it('a file named as the command that is not executable cannot start, and says why', async () => {
    const dir = testTempDir();
    const file = join(dir, 'not-exec');
    writeFileSync(file, '#!/bin/sh\necho no\n');
    chmodSync(file, 0o644);
    const { handle } = await run(file, dir);
    expect(await handle.exited).toEqual({ code: 127, signal: null });
    expect(handle.spawnError?.message).toBe(`cannot start "${file}": permission denied (not executable)`);
    expect((await run(`${dir}/nothing-here`, dir)).handle.spawnError?.message).toBe(`cannot start "${dir}/nothing-here": no such file`);
  });
});
