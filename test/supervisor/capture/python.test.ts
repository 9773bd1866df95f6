// A real Python service: its runtime is read from the process, and py-spy takes its CPU profile and thread
// dump when installed. py-spy comes from PyPI, which CI cannot reach (and Debian bookworm does not package
// it): without it the py-spy tests print why they skipped, and the capture says how to get it.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../electron/supervisor/capture/tools';
import { runStack, type StackUnderTest } from '../harness';

const python = findOnPath('python3');
const pySpy = findOnPath('py-spy');
if (!pySpy) process.stdout.write('SKIPPED: py-spy is not installed (pip install py-spy; PyPI is not reachable from CI): the py-spy capture tests did not run\n');
if (!python) process.stdout.write('SKIPPED: python3 is not installed: the Python capture tests did not run\n');

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function pythonStack(): Promise<StackUnderTest> {
  const s = await runStack(`
services:
  py:
    cmd: python3 -u busy.py
`, { start: false });
  copyFileSync(new URL('./fixtures/busy.py', import.meta.url), join(s.dir, 'busy.py'));
  await s.sup.invoke('start', {});
  await s.waitState('py', (st) => st.state === 'RUNNING' && s.lines.some((l) => l.text === 'busy-python up'));
  return s;
}

describe.runIf(python)('a Python service', () => {
  it('is recognised as Python from its process, and says what py-spy adds', async () => {
    stack = await pythonStack();
    const tools = await stack.sup.invoke('capture_tools', { service: 'py' });
    expect(tools.runtime).toBe('python');
    const cpu = tools.methods.find((m) => m.kind === 'cpu')!;
    if (pySpy) expect(cpu).toMatchObject({ available: true, engine: 'py-spy' });
    else {
      expect(cpu).toEqual({ kind: 'cpu', engine: null, available: false, detail: 'py-spy not found: pip install py-spy' });
      await expect(stack.sup.invoke('capture', { service: 'py', kind: 'cpu' })).rejects.toThrow('no cpu capture for py (python): py-spy not found: pip install py-spy');
      expect(stack.status('py').snoozed).toBe(false);
    }
  });

  it.runIf(pySpy)('py-spy records a speedscope profile with the service\'s own function', async () => {
    stack = await pythonStack();
    const { capture } = await stack.sup.invoke('capture', { service: 'py', kind: 'cpu', for_secs: 2 });
    expect(capture).toMatchObject({ engine: 'py-spy', format: 'speedscope', flame: true });
    const profile = JSON.parse(readFileSync(capture.file, 'utf8')) as { shared: { frames: Array<{ name: string }> } };
    expect(profile.shared.frames.map((f) => f.name)).toContain('spin_the_wheel');
    expect(stack.status('py')).toMatchObject({ snoozed: false, restarts: 0 });
  });

  it.runIf(pySpy)('py-spy dumps the Python stack', async () => {
    stack = await pythonStack();
    const { capture } = await stack.sup.invoke('capture', { service: 'py', kind: 'threads' });
    expect(readFileSync(capture.file, 'utf8')).toContain('spin_the_wheel');
  });
});
