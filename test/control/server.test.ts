import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectControl, NotRunningError } from '../../electron/control/client';
import { startControlServer, type ControlServer } from '../../electron/control/server';
import { controlSocketPath } from '../../electron/control/socket-path';
import { AlreadyRunningError } from '../../electron/control/errors';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor } from '../helpers/harness-supervisor';

let temp: ReturnType<typeof makeTempDir>;
let servers: ControlServer[];
let sockets: Socket[];

beforeEach(() => {
  temp = makeTempDir();
  servers = [];
  sockets = [];
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await server.close();
  temp.cleanup();
});

function setup(names?: string[]): { supervisor: HarnessSupervisor; socketPath: string } {
  const supervisor = new HarnessSupervisor({ file: join(temp.dir, 'hearth.yaml'), services: names });
  return { supervisor, socketPath: controlSocketPath(temp.dir) };
}

async function start(
  supervisor: HarnessSupervisor,
  socketPath: string,
  onShutdown?: () => void,
  maxPendingBytes?: number,
): Promise<ControlServer> {
  const server = await startControlServer({ supervisor, socketPath, onShutdown, maxPendingBytes });
  servers.push(server);
  return server;
}

/** A raw connection that collects parsed frames, for protocol-level tests. */
function rawConnection(socketPath: string): { socket: Socket; frames: Array<Record<string, unknown>> } {
  const socket = connect(socketPath);
  sockets.push(socket);
  const frames: Array<Record<string, unknown>> = [];
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      frames.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
    }
  });
  return { socket, frames };
}

describe('control server', () => {
  it('puts the socket in a 0700 folder with mode 0600, tightening an existing folder', async () => {
    const { supervisor, socketPath } = setup();
    mkdirSync(join(temp.dir, '.hearth'), { mode: 0o755 });
    chmodSync(join(temp.dir, '.hearth'), 0o755);
    await start(supervisor, socketPath);
    expect(socketPath).toBe(join(temp.dir, '.hearth', 'control.sock'));
    expect(statSync(join(temp.dir, '.hearth')).mode & 0o777).toBe(0o700);
    expect(lstatSync(socketPath).isSocket()).toBe(true);
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
  });

  it('answers invokes, relays supervisor errors as readable text, and says hello with pid and file', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const client = await connectControl(socketPath);
    expect(client.info).toEqual({ pid: process.pid, file: supervisor.file, protocol: 1 });
    expect(await client.invoke('start', { services: ['api'] })).toEqual({ services: ['api'] });
    expect(supervisor.invokes).toEqual([{ command: 'start', args: { services: ['api'] } }]);
    const status = await client.invoke('status', {});
    expect(status.services.find((s) => s.name === 'api')?.state).toBe('RUNNING');
    await expect(client.invoke('stop', { services: ['nope'] })).rejects.toThrow('no service named "nope" in this stack');
    // Validation happens on the server too: a bad name never reaches the supervisor.
    await expect(client.invoke('stop', { services: ['Bad Name'] })).rejects.toThrow(/stop: services.0: not a service name/);
    expect(supervisor.invokes).toHaveLength(3);
    client.close();
  });

  it('answers web_login (`hearth open`) from the web host it is given, validated; without one it says there is no web UI', async () => {
    const { supervisor, socketPath } = setup();
    const asked: unknown[] = [];
    let serving = false;
    const server = await startControlServer({
      supervisor,
      socketPath,
      webLogin: (args) => {
        asked.push(args);
        return serving ? { url: 'http://127.0.0.1:4321/#code=x', page: args.page ? '/p/login.html' : null } : null;
      },
    });
    servers.push(server);
    const client = await connectControl(socketPath);
    await expect(client.invoke('web_login', {})).rejects.toThrow(`this hearth instance serves no web UI (pid ${process.pid})`);
    serving = true;
    expect(await client.invoke('web_login', {})).toEqual({ url: 'http://127.0.0.1:4321/#code=x', page: null });
    expect(await client.invoke('web_login', { page: true })).toEqual({ url: 'http://127.0.0.1:4321/#code=x', page: '/p/login.html' });
    // Checked against the contract like every other command: nothing odd reaches the web host.
    await expect(client.invoke('web_login', { page: 'yes' } as never)).rejects.toThrow(/^web_login: page: /);
    await expect(client.invoke('web_login', { page: true, url: 'http://evil' } as never)).rejects.toThrow(/^web_login: /);
    expect(asked).toEqual([{}, {}, { page: true }]);
    // It is the host's to answer, never the supervisor's.
    expect(supervisor.invokes).toEqual([]);
    client.close();
  });

  it('a host without a web UI (`hearth up`, the app) answers web_login with "no web UI"', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const client = await connectControl(socketPath);
    await expect(client.invoke('web_login', { page: true })).rejects.toThrow(/^this hearth instance serves no web UI/);
    client.close();
  });

  it('removes a stale socket left by a SIGKILLed process and takes its place', async () => {
    const { supervisor, socketPath } = setup();
    mkdirSync(join(temp.dir, '.hearth'), { mode: 0o700 });
    const child = spawn(process.execPath, [
      '-e',
      // As Hearth makes its socket: 0600 from the start.
      `process.umask(0o177); require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('ready'))`,
    ]);
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(lstatSync(socketPath).isSocket()).toBe(true); // left behind
    await expect(connectControl(socketPath, { stackFile: supervisor.file })).rejects.toBeInstanceOf(NotRunningError);

    await start(supervisor, socketPath);
    const client = await connectControl(socketPath);
    expect(client.info.pid).toBe(process.pid);
    client.close();
  });

  it('refuses to start a second server on a live socket', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const second = startControlServer({ supervisor: new HarnessSupervisor({ file: supervisor.file }), socketPath });
    await expect(second).rejects.toBeInstanceOf(AlreadyRunningError);
    await expect(second).rejects.toThrow(`hearth is already running this stack (pid ${process.pid})`);
    // The first one is untouched.
    const client = await connectControl(socketPath);
    expect((await client.invoke('status', {})).stack?.name).toBe('demo');
    client.close();
  });

  it('answers malformed input with error frames and keeps serving', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const { socket, frames } = rawConnection(socketPath);
    socket.write('{not json\n');
    socket.write('[1,2]\n');
    socket.write('{"type":"invoke","id":"x","command":"status"}\n');
    socket.write('{"type":"launch"}\n');
    socket.write('{"type":"invoke","id":7,"command":"frobnicate","args":{}}\n');
    socket.write('{"type":"invoke","id":8,"command":"status","args":{"extra":1}}\n');
    socket.write('{"type":"invoke","id":9,"command":"status","args":{}}\n');
    await waitFor(() => frames.length >= 8, { what: 'all answers' });
    expect(frames[0]).toMatchObject({ type: 'hello' });
    expect(frames[1]).toMatchObject({ type: 'error', error: expect.stringContaining('malformed JSON') });
    expect(frames[2]).toMatchObject({ type: 'error', error: 'a frame must be a JSON object' });
    expect(frames[3]).toMatchObject({ type: 'error', error: 'invoke: "id" must be an integer' });
    expect(frames[4]).toMatchObject({ type: 'error', error: 'unknown frame type "launch"' });
    expect(frames.slice(5)).toEqual(
      expect.arrayContaining([
        { type: 'result', id: 7, ok: false, error: 'unknown command "frobnicate"' },
        expect.objectContaining({ type: 'result', id: 8, ok: false, error: expect.stringMatching(/^status: /) }),
        expect.objectContaining({ type: 'result', id: 9, ok: true }),
      ]),
    );
    expect(supervisor.invokes.map((c) => c.command)).toEqual(['status']);
  });

  it('skips an over-long line, reports it, and resynchronises at the next newline', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const { socket, frames } = rawConnection(socketPath);
    const huge = `{"type":"invoke","id":1,"command":"status","args":{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`;
    socket.write(huge);
    socket.write('{"type":"invoke","id":2,"command":"status","args":{}}\n');
    await waitFor(() => frames.length >= 3, { what: 'error + result' });
    expect(frames[1]).toMatchObject({ type: 'error', error: expect.stringContaining('longer than') });
    expect(frames[2]).toMatchObject({ type: 'result', id: 2, ok: true });
  });

  it('sends the snapshot first, then every event, and unsubscribes when the client leaves', async () => {
    const { supervisor, socketPath } = setup();
    supervisor.log('api', 'before subscribing');
    await start(supervisor, socketPath);
    const client = await connectControl(socketPath);
    const seen: Array<[string, unknown]> = [];
    await client.subscribe((event, payload) => seen.push([event, payload]));
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toBe('snapshot');
    expect((seen[0]![1] as { logs: Array<{ text: string }> }).logs.map((l) => l.text)).toEqual(['before subscribing']);
    expect(supervisor.listenerCount()).toBe(1);

    supervisor.setService('db', { state: 'STARTING', pid: 99 });
    supervisor.log('db', 'listening', 'stderr');
    await waitFor(() => seen.length >= 3, { what: 'two events' });
    expect(seen[1]).toEqual(['service', expect.objectContaining({ name: 'db', state: 'STARTING', pid: 99 })]);
    expect(seen[2]).toEqual(['logs', { lines: [expect.objectContaining({ service: 'db', text: 'listening', stream: 'stderr' })] }]);
    await expect(client.subscribe(() => undefined)).rejects.toThrow('already subscribed');

    client.close();
    await waitFor(() => supervisor.listenerCount() === 0, { what: 'unsubscribe on disconnect' });
    // `hearth logs -f` shows no CPU/RSS, so it never asked for sampling.
    expect(supervisor.resourceWatchers).toBe(0);
  });

  it('keeps resource sampling on while a subscriber that shows it (status --watch) is connected', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const client = await connectControl(socketPath);
    await client.subscribe(() => undefined, { resources: true });
    expect(supervisor.resourceWatchers).toBe(1);
    client.close();
    await waitFor(() => supervisor.listenerCount() === 0, { what: 'unsubscribe on disconnect' });
    expect(supervisor.resourceWatchers).toBe(0);
  });

  it('disconnects a subscriber that stops reading instead of buffering without bound', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath, undefined, 256 * 1024);
    const reader = await connectControl(socketPath);
    await reader.subscribe(() => undefined);
    const { socket, frames } = rawConnection(socketPath);
    socket.write('{"type":"subscribe"}\n');
    await waitFor(() => frames.some((f) => f.event === 'snapshot'), { what: 'snapshot' });
    socket.pause(); // a stuck client: the kernel buffer fills, then the server's own buffer
    let closed = false;
    socket.on('close', () => (closed = true));
    const text = 'x'.repeat(1000);
    // 20 kB a step, far under the cap: the reading subscriber drains each step between polls, so only the
    // stuck one can pile up past it (200 kB a step tripped the cap for the reader too, on a loaded machine).
    await waitFor(
      () => {
        for (let i = 0; i < 20; i++) supervisor.log('api', text);
        return supervisor.listenerCount() === 1;
      },
      { what: 'slow subscriber dropped' },
    );
    socket.resume();
    await waitFor(() => closed, { what: 'connection closed' });
    // The well-behaved subscriber and the server carry on.
    expect(await reader.invoke('logs', { tail: 1 })).toEqual({ lines: [expect.objectContaining({ text })] });
    reader.close();
  });

  it('cuts a stuck subscriber off once 8 MiB are queued for it by default', async () => {
    const { supervisor, socketPath } = setup();
    await start(supervisor, socketPath);
    const { socket, frames } = rawConnection(socketPath);
    socket.write('{"type":"subscribe"}\n');
    await waitFor(() => frames.some((f) => f.event === 'snapshot'), { what: 'snapshot' });
    socket.pause();
    const text = 'x'.repeat(1000);
    let logged = 0;
    await waitFor(
      () => {
        for (let i = 0; i < 100; i++, logged += text.length) supervisor.log('api', text);
        return supervisor.listenerCount() === 0;
      },
      { what: 'stuck subscriber dropped', timeoutMs: 20_000 },
    );
    // 8 MiB of frames plus what the kernel's socket buffers took; 32 MiB (the old bound) would not pass.
    const MiB = 1024 * 1024;
    expect(logged).toBeGreaterThan(7 * MiB);
    expect(logged).toBeLessThan(12 * MiB);
  });

  it('does not count the snapshot against the bound: a tail larger than it still reaches the client', async () => {
    const { supervisor, socketPath } = setup();
    const text = 'y'.repeat(1000);
    for (let i = 0; i < 1000; i++) supervisor.log('api', text); // a 1 MB tail in the snapshot
    await start(supervisor, socketPath, undefined, 64 * 1024);
    const { socket, frames } = rawConnection(socketPath);
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write('{"type":"subscribe"}\n');
    await waitFor(() => closed || frames.some((f) => f.event === 'snapshot'), { what: 'snapshot or hang-up' });
    expect(closed).toBe(false);
    const snapshot = frames.find((f) => f.event === 'snapshot') as { payload: { logs: unknown[] } };
    expect(snapshot.payload.logs).toHaveLength(1000);
    // Live changes follow, and the bound applies to them again.
    supervisor.log('api', 'after the snapshot');
    await waitFor(() => frames.some((f) => f.event === 'logs' && JSON.stringify(f.payload).includes('after the snapshot')), { what: 'live line' });
    expect(closed).toBe(false);
  });

  it('caps open connections: past the cap they are closed as they arrive, and the server serves on', async () => {
    const { supervisor, socketPath } = setup();
    servers.push(await startControlServer({ supervisor, socketPath, maxConnections: 20 }));
    const clients = Array.from({ length: 30 }, () => {
      const c = rawConnection(socketPath);
      let closed = false;
      c.socket.on('close', () => (closed = true));
      c.socket.on('error', () => undefined);
      return { ...c, closed: () => closed };
    });
    await waitFor(() => clients.every((c) => c.frames.length > 0 || c.closed()), { what: 'every connection answered or closed' });
    expect(clients.filter((c) => c.frames.some((f) => f.type === 'hello')).length).toBe(20);
    expect(clients.filter((c) => c.closed()).length).toBe(10);
    for (const c of clients) c.socket.destroy();
    await waitFor(async () => {
      try {
        const client = await connectControl(socketPath);
        client.close();
        return true;
      } catch {
        return false;
      }
    }, { what: 'a new client served once the others left' });
  });

  it('falls back to a short private path in the temp folder for long stack folders', async () => {
    const longDir = join(temp.dir, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(longDir, { recursive: true });
    const socketPath = controlSocketPath(longDir);
    expect(socketPath).not.toContain(longDir);
    expect(socketPath).toMatch(/\/hearth-\d+\/[0-9a-f]{16}\.sock$/);
    expect(controlSocketPath(longDir)).toBe(socketPath); // deterministic
    expect(controlSocketPath(`${longDir}x`)).not.toBe(socketPath);
    const supervisor = new HarnessSupervisor({ file: join(longDir, 'hearth.yaml') });
    const server = await start(supervisor, socketPath);
    expect(statSync(join(socketPath, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    const client = await connectControl(socketPath);
    expect(client.info.file).toBe(supervisor.file);
    client.close();
    await server.close();
    expect(existsSync(socketPath)).toBe(false);
  });

  it('removes its socket on close and fails in-flight and later clients cleanly', async () => {
    const { supervisor, socketPath } = setup();
    const server = await start(supervisor, socketPath);
    const client = await connectControl(socketPath, { stackFile: supervisor.file });
    await server.close();
    expect(existsSync(socketPath)).toBe(false);
    await client.closed;
    await expect(client.invoke('status', {})).rejects.toThrow('closed the connection');
    const error = await connectControl(socketPath, { stackFile: supervisor.file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotRunningError);
    expect((error as Error).message).toBe(
      `no running hearth instance for ${supervisor.file} (start one with: hearth up -f ${supervisor.file})`,
    );
  });

  it('hands shutdown to the host after replying', async () => {
    const { supervisor, socketPath } = setup();
    let shutdowns = 0;
    await start(supervisor, socketPath, () => shutdowns++);
    const client = await connectControl(socketPath);
    expect(await client.invoke('shutdown', {})).toEqual({ stopping: true });
    await waitFor(() => shutdowns === 1, { what: 'onShutdown' });
    expect(supervisor.invokes).toEqual([]);
    client.close();
  });
});
