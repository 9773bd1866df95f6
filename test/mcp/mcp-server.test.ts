// `hearth mcp` as an agent runs it: a real child process on stdio, driven by the official SDK's client,
// against a real stack over its control socket.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../electron/control/server';
import { controlSocketPath } from '../../electron/control/socket-path';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from '../supervisor/harness';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hearth.js');
let stack: StackUnderTest;
let server: ControlServer;
let client: Client;
let stderr = '';

beforeAll(async () => {
  stack = await runStack(
    `
services:
  api:
    cmd: node profiled-server.mjs
    ports: { http: ~ }
    health_check: { http: { port: http }, initial_interval_secs: 0.2, interval_secs: 0.1, max_consecutive_failures: 1 }
  late:
    cmd: node -e "console.log('late up'); setInterval(() => {}, 1000)"
    autostart: false
`,
    { start: false },
  );
  copyFileSync(new URL('../supervisor/capture/fixtures/profiled-server.mjs', import.meta.url), join(stack.dir, 'profiled-server.mjs'));
  await stack.sup.invoke('start', {});
  server = await startControlServer({ supervisor: stack.sup, socketPath: controlSocketPath(stack.dir) });
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, '-f', stack.file, 'mcp'], cwd: stack.dir, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  client = new Client({ name: 'hearth-test', version: '1.0.0' });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
  await stack?.close();
});

type ToolResult = { content: Array<{ type: string; text: string }>; isError?: boolean };
async function call(name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}
const json = (r: ToolResult): unknown => JSON.parse(r.content[0]!.text);

describe('hearth mcp (stdio, the SDK client)', () => {
  it('lists the tools with their schemas, and says on stderr what it serves', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['capture', 'capture_tools', 'captures', 'health_history', 'logs', 'restart', 'snooze', 'start', 'status', 'stop', 'unsnooze', 'wait_healthy'].sort(),
    );
    const capture = tools.find((t) => t.name === 'capture')!;
    expect(capture.inputSchema.properties).toHaveProperty('kind');
    expect(capture.annotations?.readOnlyHint).toBe(false);
    expect(stderr).toContain(`hearth mcp: serving ${stack.file}`);
  });

  it('waits until healthy, then reports the status', async () => {
    expect(json(await call('wait_healthy', { services: ['api'], timeout_secs: 30 }))).toEqual({ ready: true, lines: ['ready: api'] });
    const status = json(await call('status')) as { services: Array<{ name: string; state: string; health: string }> };
    expect(status.services.find((s) => s.name === 'api')).toMatchObject({ state: 'RUNNING', health: 'healthy' });
    expect(status.services.find((s) => s.name === 'late')).toMatchObject({ state: 'STOPPED' });
  });

  it('starts a service and finds its line with a search', async () => {
    await call('start', { services: ['late'] });
    expect(json(await call('wait_healthy', { services: ['late'] }))).toMatchObject({ ready: true });
    // RUNNING comes at its spawn (no health check); its first line a moment later.
    const lines = await waitFor(async () => {
      const found = (json(await call('logs', { service: 'late', search: 'LATE UP' })) as { lines: string[] }).lines;
      return found.some((l) => l.includes('stdout')) ? found : null;
    }, { what: "late's line" });
    // Its output line, and the supervisor's "started" line (its command holds the words too); nothing else.
    expect(lines.some((l) => / late stdout: late up$/.test(l))).toBe(true);
    expect(lines.every((l) => /late up/i.test(l))).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(2);
    const byRegex = json(await call('logs', { search: '/^started pid \\d+/' })) as { lines: string[] };
    expect(byRegex.lines.length).toBeGreaterThanOrEqual(2);
  });

  it('captures a CPU profile under a snooze and lists it; the health history shows the capture', async () => {
    const result = json(await call('capture', { service: 'api', kind: 'cpu', for_secs: 1 })) as { capture: { file: string; kind: string; bytes: number } };
    expect(result.capture).toMatchObject({ kind: 'cpu' });
    expect(result.capture.bytes).toBeGreaterThan(0);
    const listed = json(await call('captures', { service: 'api' })) as { captures: Array<{ file: string }> };
    expect(listed.captures[0]!.file).toBe(result.capture.file);
    const history = json(await call('health_history', { service: 'api' })) as { runs: Array<{ windows: Array<{ kind: string }> }> };
    expect(history.runs.at(-1)!.windows.map((w) => w.kind)).toContain('capture');
    expect(stack.status('api')).toMatchObject({ snoozed: false, restarts: 0 });
  });

  it('validates arguments as every boundary does, and reports errors as tool errors', async () => {
    const bad = await call('snooze', { service: '../etc' });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/not a service name/);
    const unknown = await call('stop', { services: ['nope'] });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0]!.text).toMatch(/unknown service "nope"/);
    const extra = await call('status', { sneaky: true });
    expect(extra.isError).toBe(true);
  });
});
