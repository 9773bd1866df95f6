import { sparkPoints } from '../model/resources';

export interface SparklineProps {
  values: readonly number[];
  /** Value at the top edge. */
  max: number;
  /** Drawn as a dashed line (e.g. the resources.ram limit), when inside the scale. */
  limit?: number | null;
  label: string;
  className?: string;
  width?: number;
  height?: number;
}

/** A tiny inline-SVG line chart: no dependency, scales with the card's font colour. */
export function Sparkline({ values, max, limit = null, label, className, width = 64, height = 16 }: SparklineProps) {
  const limitY = limit !== null && limit > 0 && limit <= max ? Math.round((height - 1 - (limit / max) * (height - 2)) * 10) / 10 : null;
  return (
    <svg
      className={`spark${className ? ` ${className}` : ''}`}
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      {limitY !== null && <line className="spark-limit" x1={0} x2={width} y1={limitY} y2={limitY} />}
      <polyline className="spark-line" points={sparkPoints(values, max, width, height)} />
    </svg>
  );
}
