// Carries supervisor events to the window's renderer on the single EVENT_CHANNEL (shared/ipc-channels.ts).
//
// Events are DROPPED (never queued) whenever the renderer cannot use them: no window, window
// destroyed, page (re)loading and not yet subscribed, or window hidden to the tray. Nothing is lost
// by dropping, because whenever forwarding resumes the renderer first gets a fresh `snapshot`, which
// supersedes every event it missed. That keeps a hidden window from burning CPU on log lines and
// means the sink holds no unbounded buffer. It never throws: the supervisor must not be disturbed by
// a window going away mid-send.
import type { EventName, HearthEvents } from '../../shared/contract';
import { EVENT_CHANNEL } from '../../shared/ipc-channels';
import type { StackSnapshot } from '../../shared/types';

/** The part of Electron's WebContents the sink needs (a fake in tests). */
export interface SinkTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface WindowSinkStats {
  sent: number;
  dropped: number;
  failed: number;
}

export interface WindowSink {
  /** Forward one event (or drop it, see above). */
  push<E extends EventName>(event: E, payload: HearthEvents[E]): void;
  /** The window's webContents (or null when the window is gone). */
  attach(target: SinkTarget | null): void;
  /** The page asked for events (preload's 'hearth:subscribe'): send a snapshot, then forward. */
  rendererReady(): void;
  /** The page started (re)loading: its listeners are gone until it subscribes again. */
  rendererGone(): void;
  /** Window shown / hidden. Showing re-sends a snapshot if the page is subscribed. */
  setVisible(visible: boolean): void;
  stats(): WindowSinkStats;
}

export function createWindowSink(snapshot: () => StackSnapshot): WindowSink {
  let target: SinkTarget | null = null;
  let subscribed = false;
  let visible = true;
  const stats: WindowSinkStats = { sent: 0, dropped: 0, failed: 0 };

  const usable = (): SinkTarget | null => {
    if (!target) return null;
    try {
      if (target.isDestroyed()) {
        target = null;
        subscribed = false;
        return null;
      }
    } catch {
      target = null;
      return null;
    }
    return target;
  };

  const send = (event: EventName, payload: unknown) => {
    const t = subscribed && visible ? usable() : null;
    if (!t) {
      stats.dropped += 1;
      return;
    }
    try {
      t.send(EVENT_CHANNEL, event, payload);
      stats.sent += 1;
    } catch {
      // e.g. "Render frame was disposed": the page is going away; it resyncs when it comes back.
      stats.failed += 1;
    }
  };

  const resync = () => {
    if (!subscribed || !visible || !usable()) return;
    let snap: StackSnapshot;
    try {
      snap = snapshot();
    } catch {
      stats.failed += 1;
      return;
    }
    send('snapshot', snap);
  };

  return {
    push(event, payload) {
      send(event, payload);
    },
    attach(next) {
      target = next;
      subscribed = false;
    },
    rendererReady() {
      subscribed = true;
      resync();
    },
    rendererGone() {
      subscribed = false;
    },
    setVisible(next) {
      const wasVisible = visible;
      visible = next;
      if (next && !wasVisible) resync();
    },
    stats: () => ({ ...stats }),
  };
}
