import { useHearth, useSession } from '../session/session-context';
import { HealthSummary } from './health-summary';
import { ThemeToggle } from './theme-toggle';

export function Header() {
  const { commands, host } = useSession();
  const stack = useHearth((s) => s.stack);
  const setHelp = useHearth((s) => s.setHelp);
  return (
    <header className="header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          ▲
        </span>
        <h1 title={stack?.file}>{stack ? stack.name : 'Hearth'}</h1>
        {stack && (
          <span className="stack-file" title={`${stack.file} (host: ${host.host})`}>
            {stack.file}
          </span>
        )}
      </div>
      {stack && <HealthSummary />}
      <span className="spacer" />
      {stack && (
        <div className="stack-actions">
          <button type="button" className="btn" onClick={() => void commands.restart()}>
            Restart all
          </button>
          <button type="button" className="btn" onClick={() => void commands.stop()}>
            Stop all
          </button>
          <button type="button" className="btn" onClick={() => void commands.start()}>
            Start all
          </button>
          <button type="button" className="btn" onClick={() => void commands.reload()} title="Re-read the stack file">
            Reload config
          </button>
        </div>
      )}
      <ThemeToggle />
      <button type="button" className="btn ghost" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
        ?
      </button>
    </header>
  );
}
