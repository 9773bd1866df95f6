// The WebSocket side against a real server: snapshot first, invokes, batching, coalescing,
// backpressure with a really stalled client, heartbeats and clean-up.
import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { LogLine } from '../../shared/types';
import { startWebHost } from '../../electron/web/server';
import type { WebHost, WebHostOptions } from '../../electron/web/server';
import { waitFor } from '../helpers/wait-for';
import { HarnessSupervisor, runningStatus } from '../helpers/harness-supervisor';
import { login, openSocket } from './clients';
import type { RecordingSocket } from './clients';

let host: WebHost | null = null;
let sup: HarnessSupervisor;
const sockets: WebSocket[] = [];

async function start(opts: Partial<WebHostOptions> = {}): Promise<WebHost> {
  sup = new HarnessSupervisor();
  host = await startWebHost({ supervisor: sup, staticDir: '/nonexistent', ...opts });
  return host;
}

async function connect(extra: Parameters<typeof openSocket>[1] = {}): Promise<RecordingSocket> {
  const h = host!;
  const s = await openSocket(h.port, { session: await login(h.port, h.loginUrl()), ...extra });
  sockets.push(s.ws);
  return s;
}

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await host?.close();
  host = null;
});

let nextId = 1;
async function invoke(s: RecordingSocket, command: string, args: unknown): Promise<Record<string, unknown>> {
  const id = nextId++;
  s.ws.send(JSON.stringify({ type: 'invoke', id, command, args }));
  return waitFor(() => s.frames.find((f) => f.type === 'result' && f.id === id) as Record<string, unknown> | undefined, { what: `result ${id}` });
}

const logLinesOf = (s: RecordingSocket): LogLine[] => s.events('logs').flatMap((p) => (p as { lines: LogLine[] }).lines);

describe('web host WebSocket', () => {
  it('sends the snapshot first, then events as they happen', async () => {
    await start();
    const s = await connect();
    await waitFor(() => s.frames.length >= 1, { what: 'snapshot' });
    expect(s.frames[0]).toMatchObject({ type: 'event', event: 'snapshot', payload: { stack: { name: 'demo' } } });
    sup.emit('service', runningStatus('api', { state: 'RESTARTING' }));
    sup.emit('stack', { ...sup.snapshot().stack!, name: 'renamed' });
    sup.emit('service_removed', { name: 'db' });
    await waitFor(() => s.events('service_removed').length === 1, { what: 'removal' });
    expect(s.events('service')).toEqual([runningStatus('api', { state: 'RESTARTING' })]);
    expect(s.events('stack')).toMatchObject([{ name: 'renamed' }]);
    expect(s.frames.filter((f) => f.type === 'event' && f.event === 'snapshot')).toHaveLength(1);
  });

  it('runs commands, answering by id, and keeps the connection through malformed frames', async () => {
    await start();
    const s = await connect();
    expect(await invoke(s, 'restart', { services: ['api'] })).toEqual({ type: 'result', id: nextId - 1, ok: true, result: { services: ['api'] } });
    expect(sup.invokes).toEqual([{ command: 'restart', args: { services: ['api'] } }]);

    expect(await invoke(s, 'explode', {})).toMatchObject({ ok: false, error: 'unknown command "explode"' });
    expect(await invoke(s, 'snooze', { service: 'api', for_secs: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^snooze: for_secs: /) });
    expect(await invoke(s, 'status', { extra: 1 })).toMatchObject({ ok: false });
    // A logged-in page cannot mint logins: that is the control socket's alone.
    expect(await invoke(s, 'web_login', { page: true })).toMatchObject({ ok: false, error: expect.stringMatching(/^web_login: only the control socket carries this command/) });

    s.ws.send('{not json');
    s.ws.send('[1,2]');
    s.ws.send(JSON.stringify({ type: 'dance', id: 77 }));
    s.ws.send(JSON.stringify({ type: 'invoke', command: 'status', args: {} }));
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitFor(() => s.frames.filter((f) => f.type === 'result' && !f.ok && (f.id === -1 || f.id === 77)).length === 5, { what: 'error results' });
    const errors = s.frames.filter((f) => f.type === 'result' && !f.ok).map((f) => (f as { error: string }).error);
    expect(errors).toEqual(expect.arrayContaining(['frame is not valid JSON', 'frame must be a JSON object', 'unknown frame type "dance"', 'invoke needs an integer id', 'binary frames are not supported']));

    sup.onInvoke(() => {
      throw new Error('stack file has 2 error(s)');
    });
    expect(await invoke(s, 'reload', {})).toMatchObject({ ok: false, error: 'stack file has 2 error(s)' });
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    expect(sup.invokes.map((i) => i.command)).toEqual(['restart', 'reload']);
  });

  it('sends a fresh snapshot when the client asks to resubscribe', async () => {
    await start();
    const s = await connect();
    s.ws.send(JSON.stringify({ type: 'subscribe' }));
    await waitFor(() => s.events('snapshot').length === 2, { what: 'second snapshot' });
    expect(sup.listenerCount()).toBe(1);
  });

  it('batches a burst of 5,000 log lines into few frames, all in order, no gaps', async () => {
    await start();
    const s = await connect();
    await waitFor(() => s.frames.length >= 1);
    // The supervisor emits small arrays (as a chatty stack would), synchronously.
    const sent = [...sup.emitLogs('api', 2_500, { batch: 5 }), ...sup.emitLogs('db', 2_500, { batch: 1 })];
    await waitFor(() => logLinesOf(s).length >= sent.length, { what: 'all lines' });
    const logFrames = s.events('logs').length;
    expect(logFrames).toBeLessThan(50);
    expect(logFrames).toBeGreaterThanOrEqual(5); // at most 1,000 lines per frame
    const got = logLinesOf(s);
    expect(got).toEqual(sent);
    for (let i = 1; i < got.length; i++) expect(got[i]!.seq).toBe(got[i - 1]!.seq + 1);
  });

  it('batches a slow trickle by time, not one frame per line', async () => {
    await start({ flushMs: 50 });
    const s = await connect();
    const sent: LogLine[] = [];
    const started = Date.now();
    // ~200 lines, one per event, spread over a few event-loop turns.
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 10; j++) sent.push(...sup.emitLogs('api', 1));
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => logLinesOf(s).length === sent.length, { what: 'trickled lines' });
    expect(logLinesOf(s)).toEqual(sent);
    const elapsed = Date.now() - started;
    // At most one frame per flush interval (plus one for the tail).
    expect(s.events('logs').length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
  });

  it('coalesces state by service: only the latest status of each is sent', async () => {
    await start({ flushMs: 1_000 });
    const s = await connect();
    for (let i = 1; i <= 200; i++) sup.emit('service', runningStatus(i % 2 ? 'api' : 'db', { restarts: i }));
    // A command result flushes what is queued first, so state arrives before the answer.
    await invoke(s, 'status', {});
    expect(s.events('service')).toEqual([runningStatus('api', { restarts: 199 }), runningStatus('db', { restarts: 200 })]);
  });

  it('drops logs for a stalled client, never its state, and tells it how many lines it missed', async () => {
    await start({ limits: { maxBufferedBytes: 64 * 1024 }, flushMs: 20 });
    const s = await connect();
    await waitFor(() => s.frames.length >= 1);
    // Stop reading for real: the kernel buffers fill, then the server's send buffer.
    const tcp = (s.ws as unknown as { _socket: Socket })._socket;
    tcp.pause();
    const text = (i: number): string => `${i} ${'x'.repeat(1_000)}`;
    let total = 0;
    for (let round = 0; round < 40; round++) {
      total += sup.emitLogs('api', 1_000, { batch: 100, text }).length;
      await new Promise((r) => setImmediate(r));
    }
    sup.emit('service', runningStatus('api', { state: 'FAILED' }));
    total += sup.emitLogs('api', 10, { text }).length;
    tcp.resume();

    const counted = (): number =>
      logLinesOf(s).reduce((n, l) => {
        if (l.stream !== 'system') return n + 1;
        const m = /^(\d+) lines? skipped \(client too slow\)$/.exec(l.text);
        return n + (m ? Number(m[1]) : 0);
      }, 0);
    await waitFor(() => counted() === total, { what: 'every line delivered or accounted for', timeoutMs: 20_000 });
    const got = logLinesOf(s);
    const markers = got.filter((l) => l.stream === 'system');
    expect(markers.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(total); // lines really were dropped, memory did not grow with them
    const seqs = got.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(s.events('service')).toContainEqual(runningStatus('api', { state: 'FAILED' }));
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a client that stops answering pings, keeps one that answers', async () => {
    await start({ heartbeatMs: 50 });
    const good = await connect();
    const dead = await connect({ autoPong: false });
    const gone = await dead.closed;
    expect(gone.code).toBe(1006);
    expect(good.ws.readyState).toBe(WebSocket.OPEN);
    await waitFor(() => sup.listenerCount() === 1, { what: 'dead client unsubscribed' });
  });

  it('refuses oversized frames', async () => {
    await start();
    const s = await connect();
    s.ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'status', args: { pad: 'x'.repeat(100 * 1024) } }));
    expect((await s.closed).code).toBe(1009);
  });

  it('unsubscribes closed clients, and close() closes every client and unsubscribes', async () => {
    await start();
    const a = await connect();
    const b = await connect();
    await waitFor(() => sup.listenerCount() === 2, { what: 'two subscribers' });
    // Each open page shows CPU/RSS meters and holds resource sampling on; only open pages do.
    expect(sup.resourceWatchers).toBe(2);
    a.ws.close();
    await waitFor(() => sup.listenerCount() === 1, { what: 'one subscriber' });
    expect(sup.resourceWatchers).toBe(1);
    await host!.close();
    expect((await b.closed).code).toBe(1001);
    expect(sup.listenerCount()).toBe(0);
    expect(sup.resourceWatchers).toBe(0);
    await host!.close(); // idempotent
  });
});
