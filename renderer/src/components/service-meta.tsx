import type { ServiceStatus } from '../../../shared/types';
import { useServerNow } from '../session/session-context';
import { formatDuration } from '../time/format';
import { PortLinks } from './port-links';

const REASON_TEXT: Record<string, string> = {
  initial: 'first start',
  exited: 'exited',
  failed: 'job failed',
  unhealthy: 'health checks failed',
  'port-in-use': 'port was in use',
  manual: 'manual restart',
  'config-changed': 'config changed',
  'file-changed': 'file changed',
};

/** Uptime, pid, restarts, ports, last restart reason: one dense line. */
export function ServiceMeta({ status }: { status: ServiceStatus }) {
  const now = useServerNow();
  const up = status.started_at !== null && status.pid !== null ? formatDuration(now - status.started_at) : null;
  const reason = status.last_restart_reason;
  const detail = status.last_restart_detail ? ` (${status.last_restart_detail})` : '';
  return (
    <div className="meta">
      {up !== null && <span title="Uptime of the current process">up {up}</span>}
      {status.pid !== null && <span title="Process id">pid {status.pid}</span>}
      <span title="Restarts since the stack started" className={status.restarts > 0 ? 'meta-strong' : undefined}>
        {status.restarts} restart{status.restarts === 1 ? '' : 's'}
      </span>
      {reason && reason !== 'initial' && (
        <span title="Why the last (re)start happened" className="meta-reason">
          ↻ restarted: {REASON_TEXT[reason] ?? reason}
          {detail}
        </span>
      )}
      <PortLinks ports={status.ports} />
    </div>
  );
}
