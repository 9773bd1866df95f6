import { lazy, Suspense, useEffect, useState } from 'react';
import { timelineModel } from '../model/timeline';
import { useHearth, useServerNow, useSession } from '../session/session-context';

// The chart library is loaded when a timeline is first shown, not with the page.
const HealthTimeline = lazy(() => import('./health-timeline').then((m) => ({ default: m.HealthTimeline })));

/** The selected service's health history, one run at a time (the newest first shown). */
export function HealthPanel({ service }: { service: string }) {
  const { captures } = useSession();
  const runs = useHearth((s) => s.healthRuns[service]);
  const checks = useHearth((s) => s.services[service]?.health.checks ?? 0);
  const run = useHearth((s) => s.services[service]?.run ?? 0);
  const snoozed = useHearth((s) => s.services[service]?.snoozed ?? false);
  const now = useServerNow();
  const [picked, setPicked] = useState<number | null>(null);
  // Fetched again whenever a check, a run or a snooze changed what it shows.
  useEffect(() => {
    void captures.loadHealth(service);
  }, [captures, service, checks, run, snoozed]);
  if (!runs) return <div className="panel-empty">Loading the health history…</div>;
  if (runs.length === 0) return <div className="panel-empty">No run of {service} yet.</div>;
  const shown = runs.find((r) => r.run === picked) ?? runs[runs.length - 1]!;
  const model = timelineModel(shown, now);
  return (
    <section className="health-panel" aria-label={`Health timeline of ${service}`}>
      <div className="panel-head">
        <label>
          Run{' '}
          <select value={shown.run} onChange={(e) => setPicked(Number(e.target.value))} aria-label="Run">
            {runs.map((r) => (
              <option key={r.run} value={r.run}>
                {r.run}
                {r.ended_at === null ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{model.summary}</span>
      </div>
      <Suspense fallback={<div className="panel-empty">Loading the chart…</div>}>
        <HealthTimeline model={model} service={service} />
      </Suspense>
    </section>
  );
}
