import { useMemo } from 'react';
import { listEntries } from '../model/service-groups';
import { useHearth } from '../session/session-context';
import { ServiceGroup } from './service-group';
import { ServiceItem } from './service-item';

/**
 * The sidebar: "All services" plus one card per service, instances of a replicated service grouped.
 * Reads only the order, never statuses.
 */
export function ServiceList() {
  const order = useHearth((s) => s.order);
  const allSelected = useHearth((s) => s.selected === null);
  const select = useHearth((s) => s.select);
  const entries = useMemo(() => listEntries(order), [order]);
  return (
    <nav className="sidebar" aria-label="Services">
      <button
        type="button"
        className={`all-services${allSelected ? ' selected' : ''}`}
        aria-pressed={allSelected}
        onClick={() => select(null)}
      >
        All services <span className="muted">({order.length})</span>
      </button>
      <div role="list" aria-label="Services" className="service-list">
        {entries.map((e) =>
          e.kind === 'service' ? <ServiceItem key={e.name} name={e.name} /> : <ServiceGroup key={`group:${e.group}`} group={e.group} instances={e.instances} />,
        )}
      </div>
    </nav>
  );
}
