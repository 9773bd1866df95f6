// The stack host with real files and processes: saving the stack file or one of the env files it names
// reloads, and only the services whose env files changed restart; a second host on a running stack fails
// without touching the first one's state.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogLine } from '../../shared/types';
import { AlreadyRunningError, openStackHost, type StackHost } from '../../electron/host/stack-host';
import { writeStack, type StackDir } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';

let stack: StackDir | null = null;
let host: StackHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
  stack?.cleanup();
  stack = null;
});

async function openWatched(yaml: string, files: Record<string, string>): Promise<{ lines: LogLine[]; pid: (name: string) => number | null }> {
  stack = writeStack(yaml, files);
  host = await openStackHost({ file: stack.file, watch: true, control: false });
  const lines: LogLine[] = [];
  host.supervisor.subscribe((event, payload) => {
    if (event === 'logs') lines.push(...(payload as { lines: LogLine[] }).lines);
  });
  const pid = (name: string): number | null => host!.supervisor.snapshot().services.find((s) => s.name === name)?.pid ?? null;
  return { lines, pid };
}

const said = (lines: LogLine[], service: string, text: string) => lines.some((l) => l.service === service && l.text === text);

describe('stack host: watching the env files', () => {
  it('reloads when an env file is saved, restarting only the services that read it', async () => {
    const { lines, pid } = await openWatched(
      'services:\n  a:\n    cmd: echo "x is $X"; sleep 1000\n    env_file: a.env\n  b:\n    cmd: sleep 1000\n',
      { 'a.env': 'X=1\n' },
    );
    await waitFor(() => said(lines, 'a', 'x is 1') && pid('b') !== null, { what: 'a started with X=1' });
    const b = pid('b');
    writeFileSync(join(stack!.dir, 'a.env'), 'X=2\n');
    await waitFor(() => said(lines, 'a', 'x is 2'), { what: 'a restarted with X=2' });
    expect(pid('b')).toBe(b);
  });

  it('follows the env files a reload adds', async () => {
    const { lines } = await openWatched('services:\n  a:\n    cmd: echo "y is $Y"; sleep 1000\n', { 'later.env': 'Y=1\n' });
    await waitFor(() => said(lines, 'a', 'y is '), { what: 'a started without Y' });
    writeFileSync(stack!.file, 'services:\n  a:\n    cmd: echo "y is $Y"; sleep 1000\n    env_file: later.env\n');
    await waitFor(() => said(lines, 'a', 'y is 1'), { what: 'the reload that names later.env' });
    writeFileSync(join(stack!.dir, 'later.env'), 'Y=2\n');
    await waitFor(() => said(lines, 'a', 'y is 2'), { what: 'a restarted after later.env was saved' });
  });
});

describe('stack host: a second one on a running stack', () => {
  it('fails as already running and leaves the running one\'s ports as they were', async () => {
    stack = writeStack('services:\n  web:\n    cmd: exec node health-server.mjs\n    ports: { http: null }\n');
    host = await openStackHost({ file: stack.file });
    const lines: LogLine[] = [];
    host.supervisor.subscribe((event, payload) => {
      if (event === 'logs') lines.push(...(payload as { lines: LogLine[] }).lines);
    });
    const port = host.supervisor.snapshot().services[0]!.ports.http!;
    // The service holds its port: a second allocation would see it taken and pick another.
    await waitFor(() => said(lines, 'web', `listening ${port}`), { what: 'web listening on its port' });
    const portsFile = join(stack.dir, '.hearth', 'ports.json');
    const before = readFileSync(portsFile, 'utf8');
    expect(before).toContain(`"web.http": ${port}`);

    await expect(openStackHost({ file: stack.file })).rejects.toBeInstanceOf(AlreadyRunningError);
    expect(readFileSync(portsFile, 'utf8')).toBe(before);
    expect(host.supervisor.snapshot().services[0]!.state).toBe('RUNNING');
  });
});
