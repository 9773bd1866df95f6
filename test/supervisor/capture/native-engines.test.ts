// gcore, gdb and perf against real processes (a shell loop, a C-free subject any machine has), and the
// JVM's SIGQUIT thread dump when a JDK is installed.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcoreEngine, gdbThreadsEngine, perfEngine } from '../../../electron/supervisor/capture/native-engines';
import { sigquitEngine } from '../../../electron/supervisor/capture/runtime-engines';
import { findOnPath } from '../../../electron/supervisor/capture/tools';
import { FIXTURES, startSubject } from './job-kit';

const gcore = findOnPath('gcore');
const gdb = findOnPath('gdb');
const perf = findOnPath('perf');
const java = findOnPath('java');

/** A test that needs a tool the machine lacks says so on its own line: a skip, never a pass. */
function needs(tool: string, path: string | null): boolean {
  if (!path) process.stdout.write(`SKIPPED: ${tool} is not installed (.ci/run installs it with apt-get)\n`);
  return path !== null;
}

const SHELL_LOOP = ['-c', 'echo up; while :; do i=$((i+1)); done'];

describe.runIf(needs('gcore', gcore))('gcore', () => {
  it('writes a core dump of a shell process that gdb opens, and the process runs on', async () => {
    const s = startSubject('/bin/sh', SHELL_LOOP);
    await s.waitLine(/up/);
    const out = await gcoreEngine(gcore!, '/bin/sh').run(s.job('core'));
    expect(out.file).toMatch(/\.core$/);
    expect(out.openWith).toBe(`gdb /bin/sh ${out.file}`);
    // An ELF core file: the magic, then type ET_CORE (4).
    const head = readFileSync(out.file).subarray(0, 18);
    expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(head.readUInt16LE(16)).toBe(4);
    expect(statSync(out.file).size).toBeGreaterThan(10_000);
    expect(s.child.exitCode).toBeNull();
    const bt = execFileSync(gdb ?? 'gdb', ['-batch', '-nx', '-ex', 'info threads', '/bin/sh', out.file], { encoding: 'utf8' });
    expect(bt).toMatch(/process \d+|LWP \d+/);
  }, 60_000);

  it('says what went wrong for a process that is gone', async () => {
    const s = startSubject('/bin/sh', ['-c', 'exit 0']);
    await new Promise((r) => s.child.once('exit', r));
    await expect(gcoreEngine(gcore!, '/bin/sh').run(s.job('core'))).rejects.toThrow(/gcore wrote no core file: .*/);
  }, 60_000);
});

describe.runIf(needs('gdb', gdb))('gdb thread stacks', () => {
  it("prints every thread's native stack", async () => {
    const s = startSubject('/bin/sh', SHELL_LOOP);
    await s.waitLine(/up/);
    const out = await gdbThreadsEngine(gdb!).run(s.job('threads'));
    expect(readFileSync(out.file, 'utf8')).toMatch(/^#0 /m);
    expect(s.child.exitCode).toBeNull();
  }, 60_000);
});

describe.runIf(needs('perf', perf))('perf', () => {
  it('records a busy process and leaves perf script text for the flame graph', async () => {
    const s = startSubject('/bin/sh', SHELL_LOOP);
    await s.waitLine(/up/);
    const out = await perfEngine(perf!).run(s.job('cpu', { durationMs: 1000 }));
    expect(out.format).toBe('perf-script');
    // perf script: one header line per sample naming the command and pid.
    expect(readFileSync(out.file, 'utf8')).toMatch(new RegExp(`^sh\\s+${s.pid} `, 'm'));
    expect(statSync(`${s.job('cpu').basePath}.perf.data`).size).toBeGreaterThan(0);
  }, 60_000);
});

describe.runIf(needs('java', java))('the JVM (SIGQUIT)', () => {
  it("takes the thread dump the JVM prints and leaves it running", async () => {
    const s = startSubject(java!, [join(FIXTURES, 'Busy.java')]);
    await s.waitLine(/busy-java up/);
    const out = await sigquitEngine.run(s.job('threads'));
    const text = readFileSync(out.file, 'utf8');
    expect(text).toMatch(/^Full thread dump /);
    expect(text).toContain('"hearth-busy-thread"');
    expect(s.child.exitCode).toBeNull();
  }, 60_000);
});
