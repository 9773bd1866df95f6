import { healthPosition } from '../model/health-text';
import { useHearth } from '../session/session-context';
import { StateBadge } from './state-badge';

/** What is running for the selected service: command, sandbox, health check and where it stands. */
export function ServiceDetail({ name }: { name: string }) {
  const status = useHearth((s) => s.services[name]);
  if (!status) return null;
  const c = status.health.settings;
  return (
    <div className="detail">
      <div className="detail-line">
        <StateBadge status={status} />
        <code className="cmd" title={status.cmd}>
          {status.cmd}
        </code>
      </div>
      <div className="detail-line muted">
        <span title="Sandbox folder">{status.sandbox}</span>
        <span>run {status.run}</span>
        {status.depends_on.length > 0 && <span>after {status.depends_on.join(', ')}</span>}
      </div>
      <div className="detail-line muted">
        {c ? (
          <span title="Aurora HealthCheckConfig">
            {c.kind} {c.target} · every {c.interval_secs}s (first after {c.initial_interval_secs}s) · timeout {c.timeout_secs}s · fail after {c.max_consecutive_failures} · ok after{' '}
            {c.min_consecutive_successes} · <strong>{healthPosition(status.health)}</strong>
          </span>
        ) : (
          <span>no health check</span>
        )}
      </div>
    </div>
  );
}
