import { useHearth } from '../session/session-context';

export function ConnectionBanner() {
  const connection = useHearth((s) => s.connection);
  if (connection.connected) return null;
  if (connection.loggedOut) {
    return (
      <div className="banner banner-err" role="alert">
        <strong>Not logged in</strong> — {connection.error}
      </div>
    );
  }
  return (
    <div className="banner banner-err" role="alert">
      <strong>Connection lost</strong> — reconnecting…
      {connection.error && <span className="muted"> ({connection.error})</span>}
      <span className="muted"> The stack keeps running; what you see may be stale.</span>
    </div>
  );
}
