import { CartesianGrid, ComposedChart, Legend, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import type { HealthCheckResult } from '../../../shared/types';
import type { TimelineModel } from '../model/timeline';

const RESULT_COLOUR: Record<HealthCheckResult, string> = {
  success: 'var(--ok)',
  failure: 'var(--err)',
  ignored: 'var(--warn)',
  snoozed: 'var(--snooze)',
};
const BAND_COLOUR = { grace: 'var(--fg-faint)', snooze: 'var(--snooze)', capture: 'var(--info)' } as const;
const MARK_COLOUR = { started: 'var(--ok)', healthy: 'var(--ok)', killed: 'var(--err)', exited: 'var(--warn)', stopped: 'var(--fg-faint)', deadline: 'var(--warn)' } as const;
const RESULTS: HealthCheckResult[] = ['success', 'failure', 'ignored', 'snoozed'];
/** A snooze's label under a capture's (they usually cover the same span), the grace window's at the top. */
const BAND_LABEL_AT = { grace: 'insideTopLeft', capture: 'insideTopLeft', snooze: 'insideBottomLeft' } as const;
/** Marks close together (started, then healthy a second later) take turns above and inside the plot. */
const MARK_LABEL_AT = ['top', 'insideTopRight', 'insideBottomRight'] as const;

/** Every probe of a run (latency against time, coloured by result) over its windows and what Hearth did. */
export function HealthTimeline({ model, service }: { model: TimelineModel; service: string }) {
  return (
    <figure className="health-timeline" role="figure" aria-label={`Health checks of ${service}`}>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart margin={{ top: 24, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis type="number" dataKey="t" domain={[0, model.span]} unit="s" stroke="var(--fg-muted)" name="time" />
          <YAxis type="number" dataKey="latency" unit="ms" stroke="var(--fg-muted)" name="latency" />
          {model.bands.map((b, i) => (
            <ReferenceArea key={`b${i}`} x1={b.from} x2={b.to} fill={BAND_COLOUR[b.kind]} fillOpacity={0.15} label={{ value: b.label, position: BAND_LABEL_AT[b.kind], fill: 'var(--fg-muted)', fontSize: 11 }} />
          ))}
          {model.marks.map((m, i) => (
            <ReferenceLine key={`m${i}`} x={m.t} stroke={MARK_COLOUR[m.kind]} strokeDasharray={m.kind === 'deadline' ? '4 4' : undefined} label={{ value: m.label, position: MARK_LABEL_AT[i % MARK_LABEL_AT.length], fill: MARK_COLOUR[m.kind], fontSize: 11 }} />
          ))}
          {RESULTS.map((result) => (
            <Scatter key={result} name={result} data={model.points.filter((p) => p.result === result)} fill={RESULT_COLOUR[result]} isAnimationActive={false} />
          ))}
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
