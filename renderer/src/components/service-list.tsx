import { useHearth } from '../session/session-context';
import { ServiceItem } from './service-item';

/** The sidebar: "All services" plus one card per service. Reads only the order, never statuses. */
export function ServiceList() {
  const order = useHearth((s) => s.order);
  const allSelected = useHearth((s) => s.selected === null);
  const select = useHearth((s) => s.select);
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
        {order.map((name) => (
          <ServiceItem key={name} name={name} />
        ))}
      </div>
    </nav>
  );
}
