import type { ServiceResources } from '../../../shared/types';
import { cpuScale, formatBytes, formatCpu, rssScale } from '../model/resources';
import { Sparkline } from './sparkline';

/** CPU% and RSS of the service's whole process tree, as text and as sparklines of the last ~2 minutes. */
export function ResourceMeter({ resources: r }: { resources: ServiceResources }) {
  const cpu = formatCpu(r.cpu_percent);
  const rss = formatBytes(r.rss_bytes);
  const limit = r.ram_limit_bytes !== null ? ` / ${formatBytes(r.ram_limit_bytes)}` : '';
  return (
    <div className="resources" title="CPU and memory (RSS) of the whole process tree, sampled every 2 s">
      <span className="resource">
        <span className="resource-label">CPU</span>
        <Sparkline values={r.history.map((h) => h.cpu_percent)} max={cpuScale(r.history)} label={`CPU ${cpu}, last ${r.history.length} samples`} className="spark-cpu" />
        <span className="resource-value">{cpu}</span>
      </span>
      <span className={`resource${r.over_ram ? ' resource-over' : ''}`}>
        <span className="resource-label">MEM</span>
        <Sparkline
          values={r.history.map((h) => h.rss_bytes)}
          max={rssScale(r)}
          limit={r.ram_limit_bytes}
          label={`Memory ${rss}${limit}, last ${r.history.length} samples`}
          className="spark-mem"
        />
        <span className="resource-value">
          {rss}
          {limit && <span className="resource-limit">{limit}</span>}
        </span>
      </span>
    </div>
  );
}
