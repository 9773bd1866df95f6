// `hearth capture` end to end: the CLI over a real control socket to a real supervisor running a Node service.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main';
import { startControlServer, type ControlServer } from '../../electron/control/server';
import { controlSocketPath } from '../../electron/control/socket-path';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';
import { captureIo } from './capture-io';

let stack: StackUnderTest | null = null;
let server: ControlServer | null = null;
afterEach(async () => {
  await server?.close();
  await stack?.close();
  server = stack = null;
});

async function up(): Promise<StackUnderTest> {
  const s = await runStack(
    `
services:
  api:
    cmd: node profiled-server.mjs
    ports: { http: ~ }
    health_check: { http: { port: http }, initial_interval_secs: 0.2, interval_secs: 0.1, max_consecutive_failures: 1 }
  sh:
    cmd: sh -c "echo up; exec sleep 600"
`,
    { start: false },
  );
  copyFileSync(new URL('../supervisor/capture/fixtures/profiled-server.mjs', import.meta.url), join(s.dir, 'profiled-server.mjs'));
  await s.sup.invoke('start', {});
  await s.waitState('api', 'RUNNING');
  server = await startControlServer({ supervisor: s.sup, socketPath: controlSocketPath(s.dir) });
  return s;
}

describe('hearth capture', () => {
  it('writes a CPU profile and says where, how big and how to open it', async () => {
    stack = await up();
    const io = captureIo(stack.dir);
    const code = await main(['capture', 'api', 'cpu', '--for', '1s'], io);
    expect(io.err.text).toMatch(/^capturing cpu of api with node-inspector for 1s; its health checks are snoozed until it ends \(Ctrl-C ends it early\)\n$/);
    expect(code).toBe(0);
    const [wrote, open] = io.out.lines();
    const file = /^wrote (\S+) \(\d+(\.\d)? KiB, took \d+\.\ds\)$/.exec(wrote!)![1]!;
    expect(file.startsWith(join(stack.dir, '.hearth/captures/api/'))).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('samples');
    expect(open).toMatch(/^open it with: the flame graph in Hearth/);
    expect(stack.status('api').snoozed).toBe(false);
    // …and `hearth status` lists it under the table.
    const status = captureIo(stack.dir);
    await main(['status'], status);
    expect(status.out.text).toMatch(new RegExp(`captures \\(newest first.*\\n.*SERVICE +KIND +FILE +SIZE +TOOK\\n.*api +cpu +${file.split('/').pop()!.replace(/\./g, '\\.')} +\\d`));
  });

  it('ends early on Ctrl-C, keeps the profile and exits 130', async () => {
    stack = await up();
    const io = captureIo(stack.dir);
    const running = main(['capture', 'api', 'cpu', '--for', '5m'], io);
    await waitFor(() => stack!.lines.some((l) => /inspector opened/.test(l.text)), { what: 'the capture under way' });
    io.interrupt();
    expect(await running).toBe(130);
    expect(io.err.text).toContain('ending the capture early…');
    const file = /^wrote (\S+)/.exec(io.out.lines()[0]!)![1]!;
    expect(existsSync(file)).toBe(true);
    expect(stack.status('api')).toMatchObject({ snoozed: false, capture: null });
  });

  it('without a kind, lists what can be taken and why the rest cannot; refuses a missing one with the reason', async () => {
    stack = await up();
    const io = captureIo(stack.dir);
    expect(await main(['capture', 'sh'], io)).toBe(0);
    expect(io.out.lines()[0]).toMatch(/^sh \(pid \d+, native\):$/);
    expect(io.out.text).toMatch(/ {2}heap {5}not available: no heap profile for a native process/);
    const refused = captureIo(stack.dir);
    expect(await main(['capture', 'sh', 'heap'], refused)).toBe(1);
    expect(refused.err.text).toMatch(/^hearth capture: no heap capture of sh \(native\): no heap profile/);
    const bad = captureIo(stack.dir);
    expect(await main(['capture', 'sh', 'memory'], bad)).toBe(2);
    expect(bad.err.text).toMatch(/unknown kind "memory" \(one of cpu, heap, core, threads\)/);
  });

  it('hearth debug prints where to attach; --end ends the session and unsnoozes', async () => {
    stack = await up();
    const io = captureIo(stack.dir);
    expect(await main(['debug', 'api'], io)).toBe(0);
    const port = /^api: inspector on ws:\/\/127\.0\.0\.1:(\d+)\/\S+$/m.exec(io.out.text)?.[1];
    expect(port).toBeDefined();
    expect(io.out.text).toContain(`chrome://inspect (Configure… 127.0.0.1:${port})`);
    expect(stack.status('api').snooze_reason).toBe('debug');
    const end = captureIo(stack.dir);
    expect(await main(['debug', 'api', '--end'], end)).toBe(0);
    expect(end.out.text).toBe('ended the debug session of api: health checks resume\n');
    await stack.waitState('api', (s) => !s.snoozed && s.capture === null);
  });
});
