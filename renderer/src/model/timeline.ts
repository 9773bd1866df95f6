// A run's health history as what the timeline chart draws: probes as points (seconds since the run began,
// latency, result), the grace window and start deadline, the snooze and capture windows as bands, and what
// Hearth did as marks. Pure, so the chart component only lays it out.
import type { HealthCheckResult, HealthRun } from '../../../shared/types';

export interface TimelinePoint {
  t: number;
  latency: number;
  result: HealthCheckResult;
  failures: number;
  detail?: string;
}

export interface TimelineBand {
  from: number;
  to: number;
  kind: 'grace' | 'snooze' | 'capture';
  label: string;
}

export interface TimelineMark {
  t: number;
  kind: 'started' | 'healthy' | 'killed' | 'exited' | 'stopped' | 'deadline';
  label: string;
}

export interface TimelineModel {
  points: TimelinePoint[];
  bands: TimelineBand[];
  marks: TimelineMark[];
  /** Seconds the chart spans. */
  span: number;
  /** The longest failure run in this run, against its limit: the "why was it killed" number. */
  worstFailureRun: number;
  maxFailures: number;
  summary: string;
}

const secs = (ms: number) => Math.round(ms / 100) / 10;

export function timelineModel(run: HealthRun, now: number): TimelineModel {
  const start = run.started_at;
  const end = run.ended_at ?? now;
  const at = (ms: number) => secs(ms - start);
  const points = run.probes.map((p) => ({
    t: at(p.at),
    // A snoozed check was not performed: drawn on the axis, its colour says so.
    latency: p.latency_ms ?? 0,
    result: p.result,
    failures: p.failures,
    ...(p.detail ? { detail: p.detail } : {}),
  }));
  const bands: TimelineBand[] = [];
  if (run.grace_checks > 0 && run.interval_secs > 0) {
    bands.push({ from: 0, to: run.grace_checks * run.interval_secs + run.interval_secs, kind: 'grace', label: `grace: first ${run.grace_checks} checks (m)` });
  }
  for (const w of run.windows) {
    bands.push({ from: at(w.from), to: at(w.to ?? end), kind: w.kind, label: w.kind === 'capture' ? `capture ${w.detail ?? ''}`.trim() : `snoozed${w.detail ? ` (${w.detail})` : ''}` });
  }
  const marks: TimelineMark[] = run.events.map((e) => ({ t: at(e.at), kind: e.kind, label: e.detail ? `${e.kind}: ${e.detail}` : e.kind }));
  if (run.start_deadline_checks > 0 && run.interval_secs > 0) {
    marks.push({ t: (run.start_deadline_checks + 1) * run.interval_secs, kind: 'deadline', label: `start deadline: ${run.start_deadline_checks} checks (n)` });
  }
  let worst = 0;
  for (const p of run.probes) worst = Math.max(worst, p.failures);
  const counts = new Map<HealthCheckResult, number>();
  for (const p of run.probes) counts.set(p.result, (counts.get(p.result) ?? 0) + 1);
  const parts = (['success', 'failure', 'ignored', 'snoozed'] as const).filter((r) => counts.has(r)).map((r) => `${counts.get(r)} ${r}`);
  const summary = `run ${run.run} (${run.reason ?? 'initial'}): ${run.probes.length} checks${parts.length ? ` — ${parts.join(', ')}` : ''}; longest failure run ${worst} of max ${run.max_consecutive_failures}`;
  return { points, bands, marks, span: Math.max(secs(end - start), 1), worstFailureRun: worst, maxFailures: run.max_consecutive_failures, summary };
}

/** The speedscope page (shipped in the renderer build) showing a profile at `profileUrl` (a blob: URL). */
export function speedscopeUrl(profileUrl: string, title: string): string {
  return `speedscope/index.html#profileURL=${encodeURIComponent(profileUrl)}&title=${encodeURIComponent(title)}`;
}
