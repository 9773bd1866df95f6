// Results: rows of (figure, metric, system, median of runs), ratios, the stdout table, the JSON file.
import type { SystemName } from '../systems/types';

export interface Row {
  figure: string;
  metric: string;
  unit: string;
  /**
   * Reference rows, not supervisors: 'node pipe' (a bare Node pipe-to-file copy), 'empty node' (a Node
   * process that runs nothing: the least memory any Node supervisor can hold).
   */
  system: SystemName | 'node pipe' | 'empty node';
  /** The figure: median of `runs` (or the percentile the metric names). */
  value: number;
  runs: number[];
  lowerIsBetter: boolean;
  note?: string;
}

export interface Skip {
  figure: string;
  system: Row['system'] | 'all';
  reason: string;
}

export interface Target {
  figure: string;
  text: string;
  pass: boolean | null; // null: could not be judged (a column was skipped)
  detail: string;
}

export class Report {
  readonly rows: Row[] = [];
  readonly skips: Skip[] = [];
  readonly notes: string[] = [];
  readonly targets: Target[] = [];

  add(row: Row): void {
    this.rows.push(row);
  }

  skip(figure: string, system: Skip['system'], reason: string): void {
    this.skips.push({ figure, system, reason });
    process.stdout.write(`  SKIP ${figure} [${system}]: ${reason}\n`);
  }

  find(figure: string, metric: string, system: Row['system']): Row | undefined {
    return this.rows.find((r) => r.figure === figure && r.metric === metric && r.system === system);
  }

  /** value / other value of the same figure+metric; null when either is missing or zero. */
  ratio(row: Row, to: SystemName): number | null {
    const other = this.find(row.figure, row.metric, to);
    if (!other || other === row || !Number.isFinite(other.value) || other.value === 0 || !Number.isFinite(row.value)) return null;
    return row.value / other.value;
  }

  target(figure: string, text: string, pass: boolean | null, detail: string): void {
    this.targets.push({ figure, text, pass, detail });
  }

  table(): string {
    const head = ['figure', 'metric', 'system', 'median', 'runs', 'x baseline', 'x hearth'];
    const body = this.rows.map((r) => {
      const xb = r.system === 'baseline' ? '1' : fmtRatio(this.ratio(r, 'baseline'));
      const xh = r.system === 'hearth' ? '1' : fmtRatio(this.ratio(r, 'hearth'));
      return [r.figure, r.metric, r.system, `${fmt(r.value)} ${r.unit}`, String(r.runs.length), xb, xh];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
  }

  targetsText(): string {
    return this.targets
      .map((t) => `${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'MISS'}  ${t.figure}: ${t.text} — ${t.detail}`)
      .join('\n');
  }
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

export function fmtRatio(r: number | null): string {
  return r === null ? '-' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}
