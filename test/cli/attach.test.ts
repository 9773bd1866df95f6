// `hearth attach SERVICE` as people run it (bin/hearth.js, a real process with a piped stdin) against a
// real background stack: what is typed reaches the service, its output comes back, and detaching
// leaves the service running with its stdin open.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hearthBin } from '../helpers/hearth-bin';
import { pidsWithEnv } from '../helpers/proc';
import { uniqueMark, writeStack, type StackDir } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hearth.js');
let stack: StackDir;
const mark = uniqueMark('attach');
const hearth = (...args: string[]) => hearthBin(stack.file, args, { HEARTH_TEST_MARK: mark });

beforeAll(async () => {
  stack = writeStack(`services:
  repl:
    cmd: cat
    health_check: { shell: { shell_command: "true" }, initial_interval_secs: 0.2, interval_secs: 1 }
  docs: { cmd: cat, autostart: false }
  dbg: { cmd: sh ./dbg.sh }
`,
    // A debugger's loop: a prompt with no newline, then an answer read from stdin.
    { 'dbg.sh': 'echo ready; while true; do printf "(Pdb) "; read cmd || exit 0; echo "did $cmd"; done\n' },
  );
  expect((await hearth('up', '-d', '--wait', '--timeout', '30s')).code).toBe(0);
});

afterAll(async () => {
  await hearth('down');
  for (const pid of pidsWithEnv(`HEARTH_TEST_MARK=${mark}`)) process.kill(pid, 'SIGKILL');
  stack.cleanup();
});

function attach(service: string) {
  const child = spawn(process.execPath, [BIN, '-f', stack.file, 'attach', service], { cwd: stack.dir, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

async function replPid(): Promise<number> {
  const status = JSON.parse((await hearth('status', '--json')).out) as { services: Array<{ name: string; pid: number | null }> };
  return status.services.find((s) => s.name === 'repl')!.pid!;
}

describe('hearth attach', () => {
  it('sends typed lines to the service and shows what it answers; Ctrl-D detaches and it runs on', async () => {
    const pid = await replPid();
    const a = attach('repl');
    await waitFor(() => a.err().includes('attached to repl'), { what: 'attached' });
    expect(a.err()).toContain(`attached to repl (pid ${pid}): what you type goes to its stdin; Ctrl-C or Ctrl-D detaches`);
    expect(a.err()).toContain('`hearth snooze repl` first'); // it has health checks and is not snoozed
    a.child.stdin.write('print 42\n');
    await waitFor(() => a.out().includes('print 42'), { what: 'the echo' });
    a.child.stdin.end(); // Ctrl-D
    expect(await a.exited).toBe(0);
    expect(a.err()).toContain('detached; repl keeps running');

    // Attached again: the same process, its stdin still open, and the last lines shown first.
    const again = attach('repl');
    await waitFor(() => again.out().includes('print 42'), { what: 'history' });
    again.child.stdin.write('second\n');
    await waitFor(() => again.out().includes('second'), { what: 'second echo' });
    again.child.kill('SIGINT'); // Ctrl-C
    expect(await again.exited).toBe(0);
    expect(await replPid()).toBe(pid);
  });

  it("shows a prompt that has no newline before anything is typed, and the rest of its line after", async () => {
    const a = attach('dbg');
    // Without it, "(Pdb) " would show only once its line ended, that is after the answer it waits for.
    await waitFor(() => /dbg +\| \(Pdb\) $/.test(a.out()), { what: 'the prompt, last on the screen' });
    expect(a.out()).toMatch(/\ndbg +\| ready\ndbg +\| \(Pdb\) $/); // after its start line
    a.child.stdin.write('next\n'); // piped: nothing echoes it; the prompt's line ends, the answer is a line of its own
    await waitFor(() => /did next\ndbg +\| \(Pdb\) $/.test(a.out()), { what: 'the answer and the next prompt' });
    expect(a.out()).toMatch(/\ndbg +\| ready\ndbg +\| \(Pdb\) \ndbg +\| did next\ndbg +\| \(Pdb\) $/);
    a.child.kill('SIGINT');
    expect(await a.exited).toBe(0);
  });

  it('refuses a service with no process, and an unknown one', async () => {
    const stopped = await hearthBin(stack.file, ['attach', 'docs']);
    expect(stopped).toMatchObject({ code: 1, out: '' });
    expect(stopped.err).toContain('docs is STOPPED: it has no process to attach to (`hearth start docs`)');
    const unknown = await hearthBin(stack.file, ['attach', 'nope']);
    expect(unknown.err).toContain('unknown service "nope" (services: repl, docs, dbg)');
  });
});
