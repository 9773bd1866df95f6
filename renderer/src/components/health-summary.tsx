import { useMemo } from 'react';
import { summarize } from '../model/summary';
import { useHearth, useServerNow } from '../session/session-context';

export function HealthSummary() {
  const services = useHearth((s) => s.services);
  const order = useHearth((s) => s.order);
  const now = useServerNow();
  const summary = useMemo(
    () => summarize(order.map((n) => services[n]).filter((s) => s !== undefined), now),
    [services, order, now],
  );
  return (
    <div className="summary" role="status" aria-label="Stack health">
      <span className={`verdict tone-${summary.tone}`}>{summary.verdict}</span>
      {summary.parts.map((p) => (
        <span key={p.text} className={`count tone-${p.tone}`}>
          {p.text}
        </span>
      ))}
    </div>
  );
}
