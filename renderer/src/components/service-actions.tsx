import type { ServiceStatus } from '../../../shared/types';
import { canStart, canStop } from '../model/badge';
import { useSession } from '../session/session-context';

/** Restart / Stop / Start for one service. Stop and Start swap with the state. */
export function ServiceActions({ status }: { status: ServiceStatus }) {
  const { commands } = useSession();
  const name = status.name;
  const click = (run: () => Promise<void>) => (e: { stopPropagation(): void }) => {
    e.stopPropagation();
    void run();
  };
  return (
    <span className="actions">
      <button
        type="button"
        className="icon-btn"
        aria-label={`Restart ${name}`}
        title={`Restart ${name} (r)`}
        disabled={status.state === 'STOPPING'}
        onClick={click(() => commands.restart(name))}
      >
        ↻
      </button>
      {canStart(status) ? (
        <button type="button" className="icon-btn" aria-label={`Start ${name}`} title={`Start ${name} (x)`} onClick={click(() => commands.start(name))}>
          ▶
        </button>
      ) : (
        <button
          type="button"
          className="icon-btn"
          aria-label={`Stop ${name}`}
          title={`Stop ${name} (x)`}
          disabled={!canStop(status)}
          onClick={click(() => commands.stop(name))}
        >
          ■
        </button>
      )}
    </span>
  );
}
