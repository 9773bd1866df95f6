// React access to the session: narrow store selectors, commands, and the supervisor's "now".
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { HearthStore } from '../state/store';
import type { Session } from './session';
import { useTick } from '../time/clock';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionContext.Provider>');
  return session;
}

/** Subscribe to one slice of the store; re-renders only when the selected value changes (Object.is). */
export function useHearth<T>(selector: (state: HearthStore) => T): T {
  return useStore(useSession().store, selector);
}

/** The supervisor's current time (ms), ticking once a second. */
export function useServerNow(): number {
  const session = useSession();
  const local = useTick(session.ticker);
  const offset = useHearth((s) => s.clockOffsetMs);
  return local + offset;
}
