// Text and sparkline geometry for a service's resource view (CPU% and RSS of its process tree).
// Pure, so the numbers are unit-tested without rendering.
import { formatSize } from '../../../shared/format-size';
import type { ResourceSample, ServiceResources } from '../../../shared/types';

/** "312 MiB", "1.4 GiB", "880 KiB": binary units, as `resources.ram` uses; a negative count reads "0 B". */
export function formatBytes(bytes: number): string {
  return formatSize(Math.max(0, bytes));
}

/** "0.4%", "12%", "180%" (several cores). */
export function formatCpu(percent: number): string {
  if (percent > 0 && percent < 10) return `${Math.round(percent * 10) / 10}%`;
  return `${Math.round(percent)}%`;
}

/**
 * SVG polyline points for `values` in a width x height box, 0 at the bottom and `max` at the top,
 * newest on the right. One value is drawn as a flat line so a fresh service still shows something.
 */
export function sparkPoints(values: readonly number[], max: number, width: number, height: number): string {
  if (values.length === 0) return '';
  const top = max > 0 ? max : 1;
  const y = (v: number) => {
    const clamped = Math.min(Math.max(v, 0), top);
    return Math.round((height - 1 - (clamped / top) * (height - 2)) * 10) / 10;
  };
  if (values.length === 1) return `0,${y(values[0]!)} ${width},${y(values[0]!)}`;
  const step = width / (values.length - 1);
  return values.map((v, i) => `${Math.round(i * step * 10) / 10},${y(v)}`).join(' ');
}

/** Scale tops: CPU never below 10% (an idle service stays a low line, not noise blown up to full height). */
export function cpuScale(history: readonly ResourceSample[]): number {
  return Math.max(10, ...history.map((h) => h.cpu_percent));
}

/** RSS scale: the largest sample, or the limit when there is one above it (so the limit line shows). */
export function rssScale(r: ServiceResources): number {
  return Math.max(1, r.ram_limit_bytes ?? 0, ...r.history.map((h) => h.rss_bytes));
}

export function ramWarning(r: ServiceResources): string | null {
  if (!r.over_ram || r.ram_limit_bytes === null) return null;
  return `Memory ${formatBytes(r.rss_bytes)} is over its ${formatBytes(r.ram_limit_bytes)} limit (resources.ram) — a warning only, it keeps running`;
}
