import type { Session } from '../session/session';
import { SessionContext } from '../session/session-context';
import { Layout } from './layout';

/** The whole UI over one session (host + stores). Hosts differ; this does not. */
export function App({ session }: { session: Session }) {
  return (
    <SessionContext.Provider value={session}>
      <Layout />
    </SessionContext.Provider>
  );
}
