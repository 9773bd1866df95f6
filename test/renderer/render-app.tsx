// Mounts the real App over a HarnessHost with a controllable clock and synchronous log notification.
import { act, render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { App } from '../../renderer/src/components/app';
import { createSession, type Session } from '../../renderer/src/session/session';
import { SessionContext } from '../../renderer/src/session/session-context';
import type { Ticker } from '../../renderer/src/time/clock';
import { HarnessHost } from './harness';
import { T0 } from './fixtures';

export interface ManualClock extends Ticker {
  /** Moves local time forward and re-renders everything that shows time. */
  advance(ms: number): void;
}

export function manualClock(start = T0): ManualClock {
  let t = start;
  const listeners = new Set<() => void>();
  return {
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    now: () => t,
    advance(ms) {
      act(() => {
        t += ms;
        for (const l of [...listeners]) l();
      });
    },
  };
}

export interface Mounted extends RenderResult {
  host: HarnessHost;
  session: Session;
  clock: ManualClock;
  emit: HarnessHost['emit'];
}

export function makeSession(host = new HarnessHost(), clock = manualClock()): { host: HarnessHost; session: Session; clock: ManualClock } {
  const session = createSession(host, {
    ticker: clock,
    localNow: clock.now,
    logs: { schedule: (run) => run() },
  });
  return { host, session, clock };
}

/** Renders the whole App, or `children` inside the session context when given. */
export function renderApp(children?: ReactNode, setup = makeSession()): Mounted {
  const { host, session, clock } = setup;
  const result = render(
    children ? <SessionContext.Provider value={session}>{children}</SessionContext.Provider> : <App session={session} />,
  );
  const emit: HarnessHost['emit'] = (event, payload) => act(() => host.emit(event, payload));
  return { ...result, host, session, clock, emit };
}
