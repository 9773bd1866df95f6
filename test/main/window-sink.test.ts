import { describe, expect, it } from 'vitest';
import type { StackSnapshot } from '../../shared/types';
import { createWindowSink, type SinkTarget } from '../../electron/main/window-sink';
import { EVENT_CHANNEL } from '../../shared/ipc-channels';
import { makeStatus } from './fixtures';

/** A stand-in for Electron's WebContents that records what it was sent. */
function fakeWebContents() {
  const sent: Array<[string, unknown]> = [];
  let destroyed = false;
  let throwOnSend = false;
  const target: SinkTarget = {
    isDestroyed: () => destroyed,
    send(channel, event, payload) {
      if (throwOnSend) throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      expect(channel).toBe(EVENT_CHANNEL);
      sent.push([event as string, payload]);
    },
  };
  return {
    target,
    sent,
    destroy: () => (destroyed = true),
    breakSend: () => (throwOnSend = true),
  };
}

let snapshots = 0;
const snapshot = (): StackSnapshot => {
  snapshots += 1;
  return { stack: null, services: [makeStatus('api')], logs: [], now: snapshots };
};

describe('window sink', () => {
  it('drops everything until the page subscribes, then starts with a snapshot', () => {
    const wc = fakeWebContents();
    const sink = createWindowSink(snapshot);
    sink.push('service', makeStatus('api'));
    sink.attach(wc.target);
    sink.push('service', makeStatus('api'));
    expect(wc.sent).toEqual([]);

    sink.rendererReady();
    sink.push('service', makeStatus('api', { state: 'STOPPING' }));
    sink.push('logs', { lines: [] });
    expect(wc.sent.map(([event]) => event)).toEqual(['snapshot', 'service', 'logs']);
    expect(sink.stats()).toEqual({ sent: 3, dropped: 2, failed: 0 });
  });

  it('drops while hidden and resyncs with a fresh snapshot when shown', () => {
    const wc = fakeWebContents();
    const sink = createWindowSink(snapshot);
    sink.attach(wc.target);
    sink.rendererReady();
    sink.setVisible(false);
    for (let i = 0; i < 1000; i += 1) sink.push('logs', { lines: [] });
    expect(wc.sent.map(([e]) => e)).toEqual(['snapshot']);
    sink.setVisible(true);
    sink.setVisible(true); // showing twice does not send twice
    sink.push('service', makeStatus('api'));
    expect(wc.sent.map(([e]) => e)).toEqual(['snapshot', 'snapshot', 'service']);
    expect(sink.stats().dropped).toBe(1000);
  });

  it('stops on reload until the new page subscribes again', () => {
    const wc = fakeWebContents();
    const sink = createWindowSink(snapshot);
    sink.attach(wc.target);
    sink.rendererReady();
    sink.rendererGone();
    sink.push('service', makeStatus('api'));
    sink.rendererReady();
    expect(wc.sent.map(([e]) => e)).toEqual(['snapshot', 'snapshot']);
  });

  it('never throws for a destroyed window or a failing send', () => {
    const wc = fakeWebContents();
    const sink = createWindowSink(snapshot);
    sink.attach(wc.target);
    sink.rendererReady();
    wc.breakSend();
    expect(() => sink.push('service', makeStatus('api'))).not.toThrow();
    expect(sink.stats().failed).toBe(1);

    wc.destroy();
    expect(() => sink.push('service', makeStatus('api'))).not.toThrow();
    expect(() => sink.setVisible(false)).not.toThrow();
    expect(() => sink.setVisible(true)).not.toThrow();
    expect(() => sink.rendererReady()).not.toThrow();

    const throwing: SinkTarget = {
      isDestroyed: () => {
        throw new Error('Object has been destroyed');
      },
      send: () => {},
    };
    sink.attach(throwing);
    sink.rendererReady();
    expect(() => sink.push('service', makeStatus('api'))).not.toThrow();
  });

  it('survives a snapshot provider that throws', () => {
    const wc = fakeWebContents();
    const sink = createWindowSink(() => {
      throw new Error('supervisor closed');
    });
    sink.attach(wc.target);
    expect(() => sink.rendererReady()).not.toThrow();
    expect(sink.stats().failed).toBe(1);
  });

  it('a new window starts unsubscribed', () => {
    const first = fakeWebContents();
    const second = fakeWebContents();
    const sink = createWindowSink(snapshot);
    sink.attach(first.target);
    sink.rendererReady();
    sink.attach(second.target);
    sink.push('service', makeStatus('api'));
    expect(second.sent).toEqual([]);
    sink.rendererReady();
    expect(second.sent.map(([e]) => e)).toEqual(['snapshot']);
  });
});
