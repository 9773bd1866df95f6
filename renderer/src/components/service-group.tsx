import { memo } from 'react';
import { groupSummary, summaryTone } from '../model/service-groups';
import { useHearth } from '../session/session-context';
import '../styles/service-group.css';
import { ServiceItem } from './service-item';

/**
 * The instances of a replicated service under one header (`api ×3`, "3/3 healthy"). Each instance
 * stays its own card with its own snooze switch and buttons.
 */
export const ServiceGroup = memo(function ServiceGroup({ group, instances }: { group: string; instances: string[] }) {
  // A string, so the header re-renders only when the summary itself changes.
  const text = useHearth((s) => groupSummary(instances.map((n) => s.services[n])));
  const tone = summaryTone(text);
  const headerId = `service-group-${group}`;
  return (
    <div role="group" aria-labelledby={headerId} className="service-group">
      <div className="service-group-head" id={headerId}>
        <span className="service-group-name">{group}</span> <span className="muted">×{instances.length}</span>
        <span className={`badge tone-${tone}`} aria-label={`${group}: ${text}`}>
          {text}
        </span>
      </div>
      {instances.map((name) => (
        <ServiceItem key={name} name={name} />
      ))}
    </div>
  );
});
