import { describe, expect, it } from 'vitest';
import { createPreloadApi, type IpcRendererLike } from '../../electron/preload/api';
import { EVENT_CHANNEL, INVOKE_CHANNEL, OPEN_EXTERNAL_CHANNEL, SUBSCRIBE_CHANNEL } from '../../shared/ipc-channels';
import type { StackSnapshot } from '../../shared/types';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in for ipcRenderer: records calls, lets the test deliver 'hearth:event' messages. */
function fakeIpc(reply: (channel: string, args: unknown[]) => Promise<unknown> = async () => 'ok') {
  const listeners = new Map<string, Set<Listener>>();
  const calls: Array<[string, unknown[]]> = [];
  const sent: Array<[string, unknown[]]> = [];
  const ipc: IpcRendererLike = {
    invoke: (channel, ...args) => {
      calls.push([channel, args]);
      return reply(channel, args);
    },
    send: (channel, ...args) => sent.push([channel, args]),
    on: (channel, listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
      return ipc;
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const secretEvent = { sender: { send: () => 'ipcRenderer leaked!' }, ports: [] };
  const deliver = (name: unknown, payload: unknown) => listeners.get(EVENT_CHANNEL)?.forEach((l) => l(secretEvent, name, payload));
  return { ipc, calls, sent, deliver, listenerCount: (c: string) => listeners.get(c)?.size ?? 0 };
}

const snap: StackSnapshot = { stack: null, services: [], logs: [], now: 1 };

describe('preload api', () => {
  it('reports itself as the electron host and exposes only the HearthApi members', () => {
    const api = createPreloadApi(fakeIpc().ipc);
    expect(api.host).toBe('electron');
    expect(Object.keys(api).sort()).toEqual(['host', 'invoke', 'on', 'openExternal']);
  });

  it('invoke goes over hearth:invoke with command and args', async () => {
    const fake = fakeIpc(async () => ({ services: ['api'] }));
    const api = createPreloadApi(fake.ipc);
    await expect(api.invoke('restart', { services: ['api'] })).resolves.toEqual({ services: ['api'] });
    expect(fake.calls).toEqual([[INVOKE_CHANNEL, ['restart', { services: ['api'] }]]]);
  });

  it('surfaces main-process errors without the IPC wrapper text', async () => {
    const fake = fakeIpc(async () => {
      throw new Error("Error invoking remote method 'hearth:invoke': Error: restart: no service named \"x\" in this stack");
    });
    const api = createPreloadApi(fake.ipc);
    await expect(api.invoke('restart', { services: ['x'] })).rejects.toThrow(/^restart: no service named "x" in this stack$/);
  });

  it('openExternal goes over its own channel', async () => {
    const fake = fakeIpc(async () => undefined);
    await createPreloadApi(fake.ipc).openExternal('http://127.0.0.1:20001/');
    expect(fake.calls).toEqual([[OPEN_EXTERNAL_CHANNEL, ['http://127.0.0.1:20001/']]]);
  });

  it('delivers payloads only (never the IpcRendererEvent) to listeners of that event', () => {
    const fake = fakeIpc();
    const api = createPreloadApi(fake.ipc);
    const got: unknown[][] = [];
    api.on('snapshot', (...args) => got.push(['snapshot', ...args]));
    api.on('logs', (...args) => got.push(['logs', ...args]));
    fake.deliver('snapshot', snap);
    fake.deliver('logs', { lines: [] });
    fake.deliver('service_removed', { name: 'x' });
    fake.deliver(42, 'junk');
    expect(got).toEqual([
      ['snapshot', snap],
      ['logs', { lines: [] }],
    ]);
    // a single channel listener however many subscribers
    expect(fake.listenerCount(EVENT_CHANNEL)).toBe(1);
  });

  it('unsubscribe stops delivery to that listener only', () => {
    const fake = fakeIpc();
    const api = createPreloadApi(fake.ipc);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = api.on('service_removed', (p) => a.push(p));
    api.on('service_removed', (p) => b.push(p));
    offA();
    offA();
    fake.deliver('service_removed', { name: 'x' });
    expect(a).toEqual([]);
    expect(b).toEqual([{ name: 'x' }]);
  });

  it('asks main for a fresh snapshot once per tick of registrations, and for each later snapshot subscriber', async () => {
    const fake = fakeIpc();
    const api = createPreloadApi(fake.ipc);
    api.on('service', () => {});
    api.on('snapshot', () => {});
    api.on('logs', () => {});
    expect(fake.sent).toEqual([]);
    await Promise.resolve();
    expect(fake.sent).toEqual([[SUBSCRIBE_CHANNEL, []]]);
    api.on('logs', () => {});
    await Promise.resolve();
    expect(fake.sent).toHaveLength(1);
    api.on('snapshot', () => {});
    await Promise.resolve();
    expect(fake.sent).toHaveLength(2);
  });

  it('one throwing listener does not break the others', () => {
    const fake = fakeIpc();
    const api = createPreloadApi(fake.ipc);
    const got: unknown[] = [];
    const original = console.error;
    console.error = () => {};
    try {
      api.on('service_removed', () => {
        throw new Error('boom');
      });
      api.on('service_removed', (p) => got.push(p));
      fake.deliver('service_removed', { name: 'x' });
    } finally {
      console.error = original;
    }
    expect(got).toEqual([{ name: 'x' }]);
  });
});
