// Fault 8: the log folder cannot be made, the disk is full, the sandbox cannot be made. The
// supervisor does not crash, the service's status carries a clear error, the service keeps running
// (its lines still reach the UI), and writing resumes once the problem is gone, with a line saying
// how many lines the file missed. Tests run as root here, where chmod stops nothing: a path whose
// parent is a file, a symlink to /dev/full (refused, never followed: a planted symlink must not
// redirect a service's output), and (when mount is allowed) a real full tmpfs stand in.
// The log writer's unit tests are in test/supervisor/logs/log-file.test.ts, the snooze file's in
// test/supervisor/snooze.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../shared/types';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';

let stack: StackUnderTest | null = null;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await stack?.close().catch(() => undefined);
  stack = null;
  for (const c of cleanups.splice(0).reverse()) c();
});

const CHATTY = `
services:
  chatty:
    cmd: i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.02; done
`;

const sandbox = (s: StackUnderTest, name: string) => join(s.dir, '.hearth', 'sandbox', name);
const ticks = (s: StackUnderTest) => s.lines.filter((l) => l.service === 'chatty' && l.stream === 'stdout').length;

/** Once the file is written again, the status stops reporting the old problem. */
async function errorClears(s: StackUnderTest): Promise<void> {
  await s.waitState('chatty', (x) => x.error === null, 2000).catch(() => {
    throw new Error(`status still shows "${s.status('chatty').error}" after the log file works again`);
  });
}

/** Lines shown to the UI keep flowing whatever happens to the file. */
async function stillFlowing(s: StackUnderTest): Promise<void> {
  const before = ticks(s);
  await waitFor(() => ticks(s) >= before + 5, { what: 'more output lines in the UI' });
}

/** The chatty stack (not started) with its service's sandbox on a real 256 kB tmpfs; skips where mount is not allowed. */
async function chattyOnTmpfs(skip: (why: string) => void): Promise<{ dir: string; stack: StackUnderTest }> {
  const { dir, cleanup } = makeTempDir('htmpfs-');
  cleanups.push(cleanup);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    skip('cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)');
  }
  cleanups.push(() => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }));
  const s = await runStack(CHATTY, { start: false });
  mkdirSync(join(s.dir, '.hearth', 'sandbox'), { recursive: true });
  symlinkSync(dir, sandbox(s, 'chatty'));
  return { dir, stack: s };
}

describe('log folder or disk unusable', () => {
  it('the log folder cannot be created: error in status, service runs, writing resumes once fixed', async () => {
    stack = await runStack(CHATTY, { start: false });
    const logs = join(sandbox(stack, 'chatty'), '.logs');
    mkdirSync(sandbox(stack, 'chatty'), { recursive: true });
    writeFileSync(logs, 'a file where the log folder should be');
    await stack.sup.invoke('start', {});

    const broken = await stack.waitState('chatty', (s) => s.error !== null && s.state === 'RUNNING');
    expect(broken.error).toMatch(/cannot write log file .*chatty\.log: E(EXIST|NOTDIR)/);
    await stillFlowing(stack);

    rmSync(logs);
    // The writer retries every 2 s; the first line that makes it is the note about what was lost.
    const text = await waitFor(() => (existsSync(join(logs, 'chatty.log')) ? readFileSync(join(logs, 'chatty.log'), 'utf8') : undefined), {
      what: 'the log file to be written again',
    });
    expect(text.split('\n')[0]).toMatch(/system\| \[hearth\] \d+ log lines were not written \(log file unwritable\)$/);
    await waitFor(() => / stdout\| tick \d+\n/.test(readFileSync(join(logs, 'chatty.log'), 'utf8')), { what: 'ticks in the file' });
  });

  it('a symlink (to /dev/full) in place of the log file: refused, error in status, service runs, writing resumes once removed', async () => {
    stack = await runStack(CHATTY, { start: false });
    const logs = join(sandbox(stack, 'chatty'), '.logs');
    mkdirSync(logs, { recursive: true });
    symlinkSync('/dev/full', join(logs, 'chatty.log'));
    await stack.sup.invoke('start', {});

    const broken = await stack.waitState('chatty', (s) => s.error !== null && s.state === 'RUNNING');
    expect(broken.error).toMatch(/chatty\.log is a symlink; Hearth does not follow symlinks/);
    await stillFlowing(stack);

    rmSync(join(logs, 'chatty.log'));
    await waitFor(() => existsSync(join(logs, 'chatty.log')) && / stdout\| tick \d+\n/.test(readFileSync(join(logs, 'chatty.log'), 'utf8')), {
      what: 'the log file to be written again',
    });
    expect(readFileSync(join(logs, 'chatty.log'), 'utf8')).toMatch(/\[hearth\] \d+ log lines were not written/);
  });

  it('the status error clears once the log file is written again', async () => {
    stack = await runStack(CHATTY, { start: false });
    const logs = join(sandbox(stack, 'chatty'), '.logs');
    mkdirSync(logs, { recursive: true });
    symlinkSync('/dev/full', join(logs, 'chatty.log'));
    await stack.sup.invoke('start', {});
    await stack.waitState('chatty', (s) => s.error !== null);
    rmSync(join(logs, 'chatty.log'));
    await waitFor(() => existsSync(join(logs, 'chatty.log')) && / stdout\| tick \d+\n/.test(readFileSync(join(logs, 'chatty.log'), 'utf8')), {
      what: 'the log file to be written again',
    });
    await errorClears(stack);
  });

  it('a real full filesystem (small tmpfs): error in status, writing resumes after space is freed', async (ctx) => {
    const { dir, stack: s } = await chattyOnTmpfs((why) => ctx.skip(true, `${why}; the /dev/full case covers ENOSPC`));
    stack = s;
    const filler = join(dir, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(512 * 1024));
    } catch {
      // ENOSPC once the filesystem is full: exactly what we want
    }
    await stack.sup.invoke('start', {});
    const broken = await stack.waitState('chatty', (s) => s.error !== null && s.state === 'RUNNING');
    expect(broken.error).toMatch(/ENOSPC/);
    await stillFlowing(stack);

    rmSync(filler);
    const log = join(dir, '.logs', 'chatty.log');
    await waitFor(() => /\[hearth\] \d+ log lines were not written/.test(readFileSync(log, 'utf8')), { what: 'the log file to be written again' });
  });
});

describe('snooze file unremovable', () => {
  it('a timed snooze whose file cannot be removed (read-only filesystem) stays on, is reported once, and crashes nothing', async (ctx) => {
    const { dir, stack: s } = await chattyOnTmpfs((why) => ctx.skip(true, why));
    stack = s;
    // The log file lives off the tmpfs: a file open for writing would make the read-only remount fail (EBUSY).
    const logs = makeTempDir('hlogs-');
    cleanups.push(logs.cleanup);
    symlinkSync(logs.dir, join(dir, '.logs'));
    await stack.sup.invoke('start', {});
    await stack.waitState('chatty', 'RUNNING');
    const { until } = await stack.sup.invoke('snooze', { service: 'chatty', for_secs: 0.3 });
    execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'ignore' });
    const said = () => stack!.lines.filter((l) => l.service === 'chatty' && /^timed snooze ended, but the snooze file cannot be removed \(.*EROFS.*\)/.test(l.text));
    await waitFor(() => said().length === 1, { what: 'the failed end reported' });
    expect(Date.now()).toBeGreaterThanOrEqual(until!);
    await stillFlowing(stack);
    await stillFlowing(stack);
    expect(said()).toHaveLength(1);
    expect(stack.status('chatty')).toMatchObject({ state: 'RUNNING', snoozed: true });
    expect(existsSync(join(dir, '.healthchecksnooze'))).toBe(true);
  });
});

describe('sandbox unusable', () => {
  it('a sandbox that cannot be created fails that service with a clear error; the others and the supervisor go on', async () => {
    stack = await runStack(
      `
services:
  steady: { cmd: exec sleep 1000 }
  boxed: { cmd: exec sleep 1000 }
`,
      { start: false },
    );
    mkdirSync(sandbox(stack, 'steady'), { recursive: true });
    writeFileSync(sandbox(stack, 'boxed'), 'a file where the sandbox should be');
    await stack.sup.invoke('start', {});

    const failed = await stack.waitState('boxed', 'FAILED');
    expect(failed.error).toMatch(/^cannot start: .*E(EXIST|NOTDIR)/);
    expect(failed.pid).toBeNull();
    await stack.waitState('steady', 'RUNNING');
    await expect(stack.sup.invoke('snooze', { service: 'boxed' })).rejects.toThrow(/E(EXIST|NOTDIR)/);

    rmSync(sandbox(stack, 'boxed'));
    await stack.sup.invoke('start', { services: ['boxed'] });
    const ok: ServiceStatus = await stack.waitState('boxed', (s) => s.state === 'RUNNING' && s.pid !== null);
    expect(ok.error).toBeNull();
  });
});

describe('snooze file', () => {
  it('snoozing twice leaves one file and no temp file; unsnoozing twice is fine', async () => {
    stack = await runStack(`
services:
  api: { cmd: exec sleep 1000 }
`);
    await stack.waitState('api', 'RUNNING');
    await stack.sup.invoke('snooze', { service: 'api', for_secs: 60 });
    await stack.sup.invoke('snooze', { service: 'api' });
    expect(readdirSync(sandbox(stack, 'api')).filter((n) => n !== '.logs')).toEqual(['.healthchecksnooze']);
    expect(stack.sup.snapshot().services[0]).toMatchObject({ snoozed: true, snooze_until: null });
    await stack.sup.invoke('unsnooze', { service: 'api' });
    await stack.sup.invoke('unsnooze', { service: 'api' });
    expect(readdirSync(sandbox(stack, 'api')).filter((n) => n !== '.logs')).toEqual([]);
    expect(stack.sup.snapshot().services[0]).toMatchObject({ snoozed: false, state: 'RUNNING' });
  });
});
