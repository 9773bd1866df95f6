// How services are described: the status table, `--json` shapes, and state-change lines of `hearth up`.
import { isSnoozeForgotten } from '../../shared/snooze';
import type { ServiceStatus, StackSnapshot } from '../../shared/types';
import { formatExit } from '../../shared/format-exit';
import { formatSize } from '../../shared/format-size';
import { portUrl } from '../../shared/port-url';
import type { Palette } from './color';
import { formatDuration } from './duration';
import { formatTable } from './format';
import { formatTook } from '../../shared/format-took';
import { killingText } from '../../shared/stop-reason';

const LIVE_STATES = new Set(['STARTING', 'RUNNING', 'STOPPING']);

/** Countdown text: "in 4s" (rounded up so it never says "in 0s" while still waiting). */
export function countdown(at: number, now: number): string {
  return `in ${formatDuration(Math.ceil(Math.max(0, at - now) / 1000) * 1000)}`;
}

export function describeExit(status: ServiceStatus): string | null {
  return status.last_exit ? formatExit(status.last_exit) : null;
}

function stateCell(status: ServiceStatus, now: number, palette: Palette): string {
  const killing = killingText(status);
  const text = status.state === 'RESTARTING' && status.next_attempt_at !== null
    ? `RESTARTING ${countdown(status.next_attempt_at, now)}`
    : status.state === 'STOPPED' && status.autostart === false
      ? 'STOPPED (on demand)'
      : killing
        ? `STOPPING (${killing})`
        : status.state;
  if (killing) return palette.red(text);
  switch (status.state) {
    case 'RUNNING':
    case 'FINISHED':
      return palette.green(text);
    case 'STARTING':
    case 'RESTARTING':
    case 'STOPPING':
    case 'PENDING':
      return palette.yellow(text);
    case 'FAILED':
      return palette.red(text);
    default:
      return palette.dim(text);
  }
}

function healthCell(status: ServiceStatus, palette: Palette): string {
  const health = status.health;
  switch (health.status) {
    case 'none':
      return '-';
    case 'unknown':
      return status.pid === null ? '-' : 'unknown'; // no process, nothing to check yet
    case 'healthy':
      return palette.green('healthy');
    case 'unhealthy':
      return palette.red(`unhealthy (${health.consecutive_failures} failed)`);
    default:
      return health.status;
  }
}

export function formatPorts(ports: Record<string, number>): string {
  const entries = Object.entries(ports);
  return entries.length ? entries.map(([name, port]) => `${name}=${port}`).join(',') : '-';
}

function snoozeCell(status: ServiceStatus, warnAfterSecs: number, now: number, palette: Palette): string {
  if (!status.snoozed) return '-';
  const age = status.snoozed_since === null ? 'yes' : formatDuration(now - status.snoozed_since);
  // A capture's snooze ends with the capture: its reason says more than its time left.
  if (status.snooze_reason) return `${age} (${status.capture ? `${status.capture.kind} ` : ''}${status.snooze_reason})`;
  if (status.snooze_until !== null) return `${age} (${formatDuration(status.snooze_until - now)} left)`;
  // An untimed snooze past the threshold was probably forgotten: health checks are still off.
  return isSnoozeForgotten(status, warnAfterSecs, now) ? palette.yellow(`${age} ⚠`) : age;
}

export const STATUS_HEADERS = ['NAME', 'STATE', 'HEALTH', 'PID', 'RESTARTS', 'UPTIME', 'PORTS', 'SNOOZE'];
/** Shown after UPTIME only when some service is measured (no empty columns off Linux or when all is stopped). */
export const RESOURCE_HEADERS = ['CPU', 'MEM'];

function resourceCells(status: ServiceStatus, palette: Palette): string[] {
  const r = status.resources;
  if (!r) return ['-', '-'];
  const mem = formatSize(r.rss_bytes);
  return [`${Math.round(r.cpu_percent)}%`, r.over_ram ? palette.yellow(`${mem} ⚠`) : mem];
}

export function formatStatusTable(snapshot: StackSnapshot, palette: Palette): string[] {
  const now = snapshot.now;
  const warnAfter = snapshot.stack?.snooze_warn_after_secs ?? 3600;
  const measured = snapshot.services.some((s) => s.resources);
  const rows = snapshot.services.map((s) => [
    palette.service(s.name)(s.name),
    stateCell(s, now, palette),
    healthCell(s, palette),
    s.pid === null ? '-' : String(s.pid),
    String(s.restarts),
    s.started_at !== null && LIVE_STATES.has(s.state) ? formatDuration(now - s.started_at) : '-',
    ...(measured ? resourceCells(s, palette) : []),
    formatPorts(s.ports),
    snoozeCell(s, warnAfter, now, palette),
  ]);
  const headers = measured ? [...STATUS_HEADERS.slice(0, 6), ...RESOURCE_HEADERS, ...STATUS_HEADERS.slice(6)] : STATUS_HEADERS;
  return [...formatTable(headers, rows, palette), ...formatCaptureList(snapshot.services, palette)];
}

const CAPTURES_SHOWN = 3;

/** Under the table: each service's newest captures, with size and duration (all of them: `hearth status --json`). */
export function formatCaptureList(services: readonly ServiceStatus[], palette: Palette): string[] {
  const rows = services.flatMap((s) =>
    (s.captures ?? []).slice(0, CAPTURES_SHOWN).map((c) => [palette.service(s.name)(s.name), c.kind, c.name, formatSize(c.bytes), formatTook(c.duration_ms)]),
  );
  if (rows.length === 0) return [];
  return ['', 'captures (newest first, in .hearth/captures/SERVICE/):', ...formatTable(['SERVICE', 'KIND', 'FILE', 'SIZE', 'TOOK'], rows, palette)];
}

/** `hearth status --json`: the stack, then every service with the most used fields first. */
export function statusJson(snapshot: StackSnapshot): { stack: StackSnapshot['stack']; services: ServiceStatus[] } {
  return {
    stack: snapshot.stack,
    services: snapshot.services.map((s) => {
      const { status, consecutive_successes, consecutive_failures, ...healthRest } = s.health;
      const { name, state, pid, restarts, ports, sandbox, snoozed, health: _health, ...rest } = s;
      return {
        name,
        state,
        pid,
        restarts,
        ports,
        sandbox,
        snoozed,
        health: { status, consecutive_successes, consecutive_failures, ...healthRest },
        ...rest,
      };
    }),
  };
}

export interface PortEntry {
  service: string;
  name: string;
  port: number;
  url: string;
}

export function portEntries(snapshot: StackSnapshot): PortEntry[] {
  return snapshot.services.flatMap((s) =>
    Object.entries(s.ports).map(([name, port]) => ({ service: s.name, name, port, url: portUrl(port) })),
  );
}

export function formatPortsTable(entries: PortEntry[], palette: Palette): string[] {
  return formatTable(['SERVICE', 'NAME', 'PORT', 'URL'], entries.map((e) => [e.service, e.name, String(e.port), e.url]), palette);
}

/**
 * What changed between two statuses of a service, as lines like `api is RUNNING (healthy)` or
 * `db restarting in 4s (exited with code 1, crash loop)`. Empty when nothing worth saying changed.
 */
export function describeChange(
  prev: ServiceStatus | undefined,
  next: ServiceStatus,
  now: number,
  /** 'problems': only errors and waits — for `hearth up`, whose supervisor log lines already tell the rest. */
  detail: 'all' | 'problems' = 'all',
): string[] {
  if (detail === 'problems') return next.error && next.error !== prev?.error ? [`${next.name}: ${next.error}`] : [];
  const lines: string[] = [];
  const stateChanged = !prev || prev.state !== next.state || prev.run !== next.run;
  const healthChanged = !!prev && prev.health.status !== next.health.status;
  if (next.state === 'RESTARTING') {
    if (stateChanged || prev?.next_attempt_at !== next.next_attempt_at) {
      const why = [describeExit(next), next.flaps >= 2 ? 'crash loop' : null].filter(Boolean).join(', ');
      const when = next.next_attempt_at !== null ? ` ${countdown(next.next_attempt_at, now)}` : '';
      lines.push(`${next.name} restarting${when}${why ? ` (${why})` : ''}`);
    }
  } else if (stateChanged || healthChanged) {
    lines.push(`${next.name} is ${next.state}${stateDetail(next)}`);
  }
  if (prev && prev.snoozed !== next.snoozed) {
    lines.push(next.snoozed ? `${next.name} health checks snoozed` : `${next.name} health checks resumed`);
  }
  if (next.error && next.error !== prev?.error) lines.push(`${next.name}: ${next.error}`);
  return lines;
}

function stateDetail(s: ServiceStatus): string {
  switch (s.state) {
    case 'STARTING':
      return s.pid !== null ? ` (pid ${s.pid})` : '';
    case 'RUNNING':
      return s.health.status !== 'none' ? ` (${s.health.status})` : s.pid !== null ? ` (pid ${s.pid})` : '';
    case 'FAILED': {
      const why = [describeExit(s), s.health.status === 'unhealthy' ? 'unhealthy' : null, `${s.failures}/${s.max_failures} failures`];
      return ` (${why.filter(Boolean).join(', ')})`;
    }
    case 'FINISHED':
      return ' (exit 0)';
    case 'STOPPING':
      return killingText(s) ? ` (${killingText(s)})` : '';
    default:
      return '';
  }
}
