export function EmptyState({ kind }: { kind: 'connecting' | 'logged-out' | 'no-stack' | 'no-services' }) {
  if (kind === 'logged-out') {
    return (
      <div className="empty" role="status">
        <h2>Not logged in</h2>
        <p>
          Open the login link <code>hearth serve</code> printed; for a new one, run <code>hearth open</code> (or press Enter where it runs).
        </p>
      </div>
    );
  }
  if (kind === 'connecting') {
    return (
      <div className="empty" role="status">
        <h2>Connecting to Hearth…</h2>
      </div>
    );
  }
  if (kind === 'no-services') {
    return (
      <div className="empty" role="status">
        <h2>This stack has no services</h2>
        <p>Add services to the stack file and reload the config.</p>
      </div>
    );
  }
  return (
    <div className="empty" role="status">
      <h2>No stack loaded</h2>
      <p>
        Run <code>hearth up</code> in a folder with a <code>hearth.yaml</code>, or fix the errors above and reload.
      </p>
    </div>
  );
}
