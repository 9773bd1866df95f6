import { describe, expect, it } from 'vitest';
import { methodList, planCaptures, type PlanInput } from '../../../electron/supervisor/capture/plan';
import { classifyRuntime, hasGoBuildInfo } from '../../../electron/supervisor/capture/runtime';
import type { CaptureTool } from '../../../electron/supervisor/capture/tools';
import { testTempDir } from '../../helpers/temp-dir';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ALL = new Map<CaptureTool, string>([
  ['gcore', '/usr/bin/gcore'],
  ['gdb', '/usr/bin/gdb'],
  ['perf', '/usr/bin/perf'],
  ['py-spy', '/usr/bin/py-spy'],
]);
const input = (over: Partial<PlanInput>): PlanInput => ({ runtime: 'native', tools: ALL, ports: {}, exe: '/bin/app', platform: 'linux', ...over });
const summary = (over: Partial<PlanInput>) => Object.fromEntries(methodList(planCaptures(input(over))).map((m) => [m.kind, m.available ? m.engine : m.detail]));

describe('classifyRuntime', () => {
  it('reads the runtime from the executable, and Go from its build info', () => {
    expect(classifyRuntime({ exe: '/usr/bin/node', argv: ['node', 'app.js'], goBinary: false })).toBe('node');
    expect(classifyRuntime({ exe: '/usr/bin/nodejs', argv: [], goBinary: false })).toBe('node');
    expect(classifyRuntime({ exe: '/usr/bin/python3.11', argv: [], goBinary: false })).toBe('python');
    expect(classifyRuntime({ exe: '/usr/lib/jvm/java-17/bin/java', argv: [], goBinary: false })).toBe('jvm');
    expect(classifyRuntime({ exe: '/home/me/bin/api', argv: [], goBinary: true })).toBe('go');
    expect(classifyRuntime({ exe: '/usr/sbin/nginx', argv: [], goBinary: false })).toBe('native');
  });

  it("finds Go's build-info magic in a binary, also across a read boundary", () => {
    const dir = testTempDir();
    const file = join(dir, 'bin');
    const body = Buffer.alloc(2 * 1024 * 1024, 0);
    Buffer.from('\xff Go buildinf:', 'latin1').copy(body, 1024 * 1024 - 5);
    writeFileSync(file, body);
    expect(hasGoBuildInfo(file)).toBe(true);
    writeFileSync(file, Buffer.alloc(4096, 1));
    expect(hasGoBuildInfo(file)).toBe(false);
    expect(hasGoBuildInfo('/usr/bin/sh')).toBe(false);
  });
});

describe('planCaptures', () => {
  it('takes everything from a Node process over its inspector, and the core with gcore', () => {
    expect(summary({ runtime: 'node' })).toEqual({ cpu: 'node-inspector', heap: 'node-inspector', core: 'gcore', threads: 'node-inspector' });
  });

  it('says why a missing tool is missing, and how to get it', () => {
    const none = new Map<CaptureTool, string>();
    expect(summary({ runtime: 'python', tools: none })).toEqual({
      cpu: 'py-spy not found: pip install py-spy',
      heap: expect.stringMatching(/^no heap capture for Python/),
      core: 'gcore not found: apt-get install gdb',
      threads: 'gdb not found: apt-get install gdb',
    });
    expect(summary({ runtime: 'native', tools: none, platform: 'darwin' }).cpu).toBe('perf is Linux-only');
  });

  it('uses a Go service\'s pprof port, and names the port it lacks', () => {
    expect(summary({ runtime: 'go', ports: { pprof: 6060 } })).toEqual({ cpu: 'pprof', heap: 'pprof', core: 'gcore', threads: 'pprof' });
    const without = methodList(planCaptures(input({ runtime: 'go' })));
    expect(without.find((m) => m.kind === 'heap')!.detail).toMatch(/no port named "pprof"/);
    // Never SIGQUIT for Go (it exits after its dump): gdb's native stacks instead.
    expect(without.find((m) => m.kind === 'threads')!.engine).toBe('gdb');
  });

  it('dumps JVM threads with SIGQUIT and python threads with py-spy', () => {
    expect(summary({ runtime: 'jvm' }).threads).toBe('sigquit');
    expect(summary({ runtime: 'python' })).toMatchObject({ cpu: 'py-spy', threads: 'py-spy' });
  });
});
