import { memo } from 'react';
import { deriveBadge } from '../model/badge';
import { useHearth } from '../session/session-context';
import { HealthStrip } from './health-strip';
import { PromptTag } from './prompt-tag';
import { ResourceMeter } from './resource-meter';
import { ServiceActions } from './service-actions';
import { ServiceAlerts } from './service-alerts';
import { ServiceMeta } from './service-meta';
import { SnoozeControl } from './snooze-control';
import { StateBadge } from './state-badge';

/** One service card. Subscribes to its own status only, so other services' updates skip it. */
export const ServiceItem = memo(function ServiceItem({ name }: { name: string }) {
  const status = useHearth((s) => s.services[name]);
  const selected = useHearth((s) => s.selected === name);
  const select = useHearth((s) => s.select);
  if (!status) return null;
  // Tone without the clock: the countdown text lives in StateBadge, the colour bar does not tick.
  const tone = deriveBadge(status, 0).tone;
  return (
    <div
      role="listitem"
      aria-label={name}
      aria-current={selected ? 'true' : undefined}
      className={`service tone-${tone}${selected ? ' selected' : ''}`}
      onClick={() => select(name)}
    >
      <div className="service-head">
        <button type="button" className="service-name" onClick={() => select(name)} title={status.cmd}>
          {name}
        </button>
        {!status.service && <span className="kind" title="A job: restarts only on failure">job</span>}
        {status.autostart === false && (
          <span className="kind" title="autostart: false: Hearth starts it only when you do (or when a service that needs it starts)">
            on demand
          </span>
        )}
        <StateBadge status={status} />
        {status.pid !== null && <PromptTag name={name} />}
        <span className="spacer" />
        <SnoozeControl status={status} />
        <ServiceActions status={status} />
      </div>
      <ServiceMeta status={status} />
      {status.resources && <ResourceMeter resources={status.resources} />}
      <HealthStrip health={status.health} />
      <ServiceAlerts status={status} />
    </div>
  );
});
