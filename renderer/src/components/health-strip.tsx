import type { HealthView } from '../../../shared/types';
import { currentStreak, healthTooltip, recordTitle, streakText } from '../model/health-text';

/** The last health checks as cells (newest right) with the current streak; tooltip = config + position. */
export function HealthStrip({ health }: { health: HealthView }) {
  if (!health.settings) return null;
  const tooltip = healthTooltip(health);
  const streak = currentStreak(health);
  return (
    <div className="health" title={tooltip} tabIndex={0} aria-label={`Health checks: ${streakText(health)}. ${tooltip}`}>
      <span className="health-cells" aria-hidden="true">
        {health.history.map((r, i) => (
          <span key={`${r.at}-${i}`} className={`cell cell-${r.result}`} title={recordTitle(r)} />
        ))}
      </span>
      <span className={`streak ${streak ? `streak-${streak.kind}` : ''}`}>{streakText(health)}</span>
    </div>
  );
}
