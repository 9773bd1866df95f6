import { useMemo, useState } from 'react';
import { CartesianGrid, ComposedChart, Legend, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { HealthCheckResult } from '../../../shared/types';
import type { TimelineModel } from '../model/timeline';
import { labelLanesMargin, TimelineLabels, type TimelineLabel } from './timeline-labels';

const RESULT_COLOUR: Record<HealthCheckResult, string> = {
  success: 'var(--ok)',
  failure: 'var(--err)',
  ignored: 'var(--warn)',
  snoozed: 'var(--snooze)',
};
const BAND_COLOUR = { grace: 'var(--fg-faint)', snooze: 'var(--snooze)', capture: 'var(--info)' } as const;
const MARK_COLOUR = { started: 'var(--ok)', healthy: 'var(--ok)', killed: 'var(--err)', exited: 'var(--warn)', stopped: 'var(--fg-faint)', deadline: 'var(--warn)' } as const;
const RESULTS: HealthCheckResult[] = ['success', 'failure', 'ignored', 'snoozed'];

/** Every probe of a run (latency against time, coloured by result) over its windows and what Hearth did. */
export function HealthTimeline({ model, service }: { model: TimelineModel; service: string }) {
  const [lanes, setLanes] = useState(1);
  const labels = useMemo<TimelineLabel[]>(
    () => [
      ...model.bands.map((b) => ({ t: b.from, text: b.label, colour: BAND_COLOUR[b.kind], swatch: 'band' as const })),
      ...model.marks.map((m) => ({ t: m.t, text: m.label, colour: MARK_COLOUR[m.kind], swatch: 'line' as const })),
    ],
    [model],
  );
  return (
    <figure className="health-timeline" role="figure" aria-label={`Health checks of ${service}`}>
      <ResponsiveContainer width="100%" height={256 + labelLanesMargin(lanes)}>
        <ComposedChart margin={{ top: labelLanesMargin(lanes), right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis type="number" dataKey="t" domain={[0, model.span]} unit="s" stroke="var(--fg-muted)" name="time" />
          <YAxis type="number" dataKey="latency" unit="ms" stroke="var(--fg-muted)" name="latency" />
          {model.bands.map((b, i) => (
            <ReferenceArea key={`b${i}`} x1={b.from} x2={b.to} fill={BAND_COLOUR[b.kind]} fillOpacity={0.15} />
          ))}
          {model.marks.map((m, i) => (
            <ReferenceLine key={`m${i}`} x={m.t} stroke={MARK_COLOUR[m.kind]} strokeDasharray={m.kind === 'deadline' ? '4 4' : undefined} />
          ))}
          {RESULTS.map((result) => (
            <Scatter key={result} name={result} data={model.points.filter((p) => p.result === result)} fill={RESULT_COLOUR[result]} isAnimationActive={false} />
          ))}
          <TimelineLabels labels={labels} onLanes={setLanes} />
          <Tooltip cursor={false} />
          <Legend />
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="muted">
        Longest failure run {model.worstFailureRun} of max_consecutive_failures {model.maxFailures}
      </figcaption>
    </figure>
  );
}
