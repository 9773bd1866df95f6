import type { ServiceStatus } from '../../../shared/types';
import { deriveBadge } from '../model/badge';
import { useServerNow } from '../session/session-context';

export function StateBadge({ status }: { status: ServiceStatus }) {
  const now = useServerNow();
  const badge = deriveBadge(status, now);
  return (
    <span className={`badge tone-${badge.tone}`} data-state={status.state}>
      {badge.text}
    </span>
  );
}
