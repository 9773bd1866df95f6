// The tray: its menu (as plain data), its overall health colour and its tooltip. No Electron import.
import type { ServiceStatus } from '../../shared/types';
import { formatSize } from '../../shared/format-size';
import { portUrl } from '../../shared/port-url';
import { killingText } from '../../shared/stop-reason';
import { SEPARATOR, type MenuTemplateItem } from './menu-model';

export type TrayHealth = 'healthy' | 'attention' | 'error' | 'idle';

export interface TrayState {
  /** Stack name, or null when no stack is open. */
  stackName: string | null;
  services: readonly ServiceStatus[];
  /** Errors of the last load/reload of the stack file. */
  configErrors: number;
  now: number;
}

export const SNOOZE_CHOICES = [
  { label: 'For 15 minutes', for_secs: 15 * 60 },
  { label: 'For 1 hour', for_secs: 60 * 60 },
  { label: 'Until turned off', for_secs: undefined },
] as const;

const ACTIVE_STATES = new Set(['PENDING', 'STARTING', 'RUNNING', 'RESTARTING']);

/** The colour one service contributes. */
export function serviceHealth(s: ServiceStatus): TrayHealth {
  if (killingText(s) || s.state === 'FAILED' || s.health.status === 'unhealthy' || s.flaps >= 2 || s.error !== null) return 'error';
  if (s.snoozed || s.state === 'PENDING' || s.state === 'STARTING' || s.state === 'RESTARTING' || s.state === 'STOPPING') return 'attention';
  if (s.state === 'STOPPED' || s.state === 'FINISHED') return 'idle';
  return 'healthy';
}

/** Worst of all services: error > attention > healthy; idle only when nothing runs at all. */
export function trayHealth(services: readonly ServiceStatus[]): TrayHealth {
  const all = services.map(serviceHealth);
  if (all.includes('error')) return 'error';
  if (all.includes('attention')) return 'attention';
  if (all.includes('healthy')) return 'healthy';
  return 'idle';
}

type Bucket = 'failing' | 'snoozed' | 'starting' | 'restarting' | 'running' | 'stopped';
const BUCKET_ORDER: Bucket[] = ['running', 'starting', 'restarting', 'snoozed', 'failing', 'stopped'];

function bucket(s: ServiceStatus): Bucket {
  if (serviceHealth(s) === 'error') return 'failing';
  if (s.snoozed) return 'snoozed';
  if (s.state === 'PENDING' || s.state === 'STARTING') return 'starting';
  if (s.state === 'RESTARTING') return 'restarting';
  if (s.state === 'RUNNING') return 'running';
  return 'stopped';
}

/**
 * Total CPU and memory of every service's process tree, e.g. "CPU 38% · RAM 827 MiB (1 over its limit)",
 * or null when nothing is being measured (no process, or no /proc).
 */
export function resourceTotals(services: readonly ServiceStatus[]): string | null {
  const measured = services.flatMap((s) => (s.resources ? [s.resources] : []));
  if (measured.length === 0) return null;
  const cpu = Math.round(measured.reduce((a, r) => a + r.cpu_percent, 0));
  const rss = measured.reduce((a, r) => a + r.rss_bytes, 0);
  const over = measured.filter((r) => r.over_ram).length;
  return `CPU ${cpu}% · RAM ${formatSize(rss)}${over ? ` (${over} over its limit)` : ''}`;
}

/** e.g. "Hearth — shop\n3 running, 1 starting, 1 failing\nCPU 38% · RAM 827 MiB". */
export function trayTooltip(state: Pick<TrayState, 'stackName' | 'services' | 'configErrors'>): string {
  if (state.stackName === null) return 'Hearth — no stack open';
  const counts = new Map<Bucket, number>();
  for (const s of state.services) counts.set(bucket(s), (counts.get(bucket(s)) ?? 0) + 1);
  const parts = BUCKET_ORDER.filter((b) => counts.has(b)).map((b) => `${counts.get(b)} ${b}`);
  if (state.configErrors > 0) parts.push(`${state.configErrors} config error${state.configErrors === 1 ? '' : 's'}`);
  const totals = resourceTotals(state.services);
  return `Hearth — ${state.stackName}\n${parts.length ? parts.join(', ') : 'no services'}${totals ? `\n${totals}` : ''}`;
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

/** One human line: "Running, healthy", "Restarting in 4 s (crash loop)", "Failed: exit code 1"… */
export function describeService(s: ServiceStatus, now: number): string {
  const health = s.health.status;
  switch (s.state) {
    case 'RUNNING':
      if (s.snoozed) return 'Running, health checks snoozed';
      return health === 'none' ? 'Running' : `Running, ${health}`;
    case 'STARTING':
      return s.snoozed ? 'Starting, health checks snoozed' : 'Starting';
    case 'PENDING':
      return s.depends_on.length ? `Waiting for ${s.depends_on.join(', ')}` : 'Pending';
    case 'RESTARTING': {
      const when = s.next_attempt_at !== null ? ` in ${seconds(s.next_attempt_at - now)}` : '';
      return `Restarting${when}${s.flaps >= 2 ? ' (crash loop)' : ''}`;
    }
    case 'STOPPING':
      return killingText(s) ? 'Killing: unhealthy' : 'Stopping';
    case 'STOPPED':
      return 'Stopped';
    case 'FINISHED':
      return 'Finished';
    case 'FAILED': {
      if (s.error) return `Failed: ${s.error}`;
      const exit = s.last_exit;
      if (!exit) return 'Failed';
      return `Failed: ${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}`;
    }
  }
}

function serviceItem(s: ServiceStatus, now: number): MenuTemplateItem {
  const running = ACTIVE_STATES.has(s.state);
  const submenu: MenuTemplateItem[] = [
    { label: describeService(s, now), enabled: false },
    SEPARATOR,
    { label: 'Restart', action: { command: 'restart', args: { services: [s.name] } } },
    running || s.state === 'STOPPING'
      ? { label: 'Stop', enabled: s.state !== 'STOPPING', action: { command: 'stop', args: { services: [s.name] } } }
      : { label: 'Start', action: { command: 'start', args: { services: [s.name] } } },
  ];
  // Snoozing only means something for a service with a health check (or to undo an existing snooze).
  if (s.snoozed) {
    submenu.push({ label: 'Unsnooze health checks', action: { command: 'unsnooze', args: { service: s.name } } });
  } else if (s.health.settings !== null) {
    submenu.push({
      label: 'Snooze health checks',
      type: 'submenu',
      submenu: SNOOZE_CHOICES.map((choice) => ({
        label: choice.label,
        action: {
          command: 'snooze',
          args: choice.for_secs === undefined ? { service: s.name } : { service: s.name, for_secs: choice.for_secs },
        },
      })),
    });
  }
  if (s.pid !== null) submenu.push(captureItem(s));
  const ports = Object.entries(s.ports);
  if (ports.length) {
    submenu.push(SEPARATOR);
    for (const [portName, port] of ports) {
      const url = portUrl(port);
      submenu.push({ label: `Open ${url} (${portName})`, enabled: running, action: { openExternal: url } });
    }
  }
  return { label: `${s.name} — ${describeService(s, now)}`, type: 'submenu', submenu };
}

/** CPU seconds the tray's profile samples (the UI's default too). */
export const TRAY_CPU_SECS = 10;

export const CAPTURE_CHOICES = [
  { label: `CPU profile (${TRAY_CPU_SECS} s)`, kind: 'cpu' },
  { label: 'Heap snapshot', kind: 'heap' },
  { label: 'Core dump', kind: 'core' },
  { label: 'Thread dump', kind: 'threads' },
] as const;

/** Capture ▸ cpu/heap/core/threads; while one runs, a disabled line says which (one at a time per service). */
function captureItem(s: ServiceStatus): MenuTemplateItem {
  if (s.capture) return { label: `Capturing (${s.capture.kind})…`, enabled: false };
  return {
    label: 'Capture',
    type: 'submenu',
    submenu: CAPTURE_CHOICES.map((c) => ({
      label: c.label,
      action: { command: 'capture', args: c.kind === 'cpu' ? { service: s.name, kind: c.kind, for_secs: TRAY_CPU_SECS } : { service: s.name, kind: c.kind } },
    })),
  };
}

export function buildTrayMenu(state: TrayState): MenuTemplateItem[] {
  const tail: MenuTemplateItem[] = [
    { label: 'Show Hearth', action: 'show' },
    { label: 'Quit Hearth (stops all services)', action: 'quit' },
  ];
  if (state.stackName === null) return [{ label: 'No stack open', enabled: false }, SEPARATOR, { label: 'Open Stack…', action: 'open-stack-dialog' }, ...tail];

  const items: MenuTemplateItem[] = [{ label: state.stackName, enabled: false }];
  if (state.configErrors > 0) {
    items.push({ label: `⚠ ${state.configErrors} error${state.configErrors === 1 ? '' : 's'} in the stack file`, action: 'show' });
  }
  items.push(SEPARATOR);
  if (state.services.length === 0) items.push({ label: 'No services', enabled: false });
  for (const s of state.services) items.push(serviceItem(s, state.now));
  const any = state.services.length > 0;
  // Start all leaves autostart: false services stopped, so they alone do not call for it.
  const anyIdle = state.services.some((s) => s.autostart !== false && !ACTIVE_STATES.has(s.state) && s.state !== 'STOPPING');
  items.push(SEPARATOR, { label: 'Restart all', enabled: any, action: { command: 'restart', args: {} } });
  if (anyIdle) items.push({ label: 'Start all', action: { command: 'start', args: {} } });
  items.push({ label: 'Stop all', enabled: any, action: { command: 'stop', args: {} } }, SEPARATOR, ...tail);
  return items;
}

/**
 * Icon file for a health colour. macOS shows the monochrome template image (it follows the light/dark
 * menu bar) while all is well, and colour only when something needs a look.
 */
export function trayIconFile(health: TrayHealth, platform: string): string {
  if (platform === 'darwin' && (health === 'healthy' || health === 'idle')) return 'trayTemplate.png';
  return `tray-${health}.png`;
}
