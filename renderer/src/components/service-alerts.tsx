import type { ServiceStatus } from '../../../shared/types';
import { ramWarning } from '../model/resources';
import { snoozeInfo } from '../model/snooze';
import { useHearth, useServerNow } from '../session/session-context';
import { formatDuration } from '../time/format';

/** Everything that needs the reader's attention: errors, crash loops, last exit, snooze state. */
export function ServiceAlerts({ status }: { status: ServiceStatus }) {
  const now = useServerNow();
  const stack = useHearth((s) => s.stack);
  const snooze = snoozeInfo(status, stack, now);
  const memory = status.resources ? ramWarning(status.resources) : null;
  const exit = status.last_exit;
  const showExit = exit !== null && (status.state === 'FAILED' || status.state === 'RESTARTING' || status.state === 'FINISHED' || status.state === 'STOPPED');
  return (
    <>
      {snooze && (
        <div className={`alert ${snooze.warning ? 'alert-warn' : 'alert-snooze'}`}>
          <span>{snooze.label}</span>
          {snooze.left && <span> · {snooze.left}</span>}
          {snooze.warning && <div className="alert-strong">{snooze.warning}</div>}
        </div>
      )}
      {status.error && <div className="alert alert-err">⚠ {status.error}</div>}
      {memory && (
        <div className="alert alert-warn" role="status">
          ⚠ {memory}
        </div>
      )}
      {status.flaps >= 2 && (
        <div className="alert alert-warn">
          Crash loop: {status.flaps} quick exits in a row
          {status.backoff_ms > 0 ? `, waiting ${formatDuration(status.backoff_ms)} between tries` : ''}
        </div>
      )}
      {showExit && exit && (
        <div className={`exit ${status.state === 'FAILED' ? 'exit-failed' : ''}`}>
          last exit: {exit.signal ? `killed by ${exit.signal}` : `code ${exit.code ?? '?'}`}, {formatDuration(now - exit.at)} ago
          {status.state === 'FAILED' && !status.service && status.max_failures > 0
            ? ` (${status.failures}/${status.max_failures} failures)`
            : ''}
        </div>
      )}
    </>
  );
}
