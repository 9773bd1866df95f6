// process-compose availability and shutdown -> Hearth's service/max_failures and lifecycle.
import { STOP_SIGNALS } from '../../supervisor/config/schema';
import type { StopSignal } from '../../supervisor/config/types';
import type { Notes } from '../notes';
import { isDict, int, str } from './pc-values';
import type { ImportedService } from './stack-yaml';

/** Hearth's cap on counts (config/schema.ts): process-compose's "unlimited" becomes this. */
const UNLIMITED_FAILURES = 1_000_000;

export function mapAvailability(value: unknown, name: string, svc: ImportedService, notes: Notes): void {
  const a = isDict(value) ? value : {};
  const restart = str(a.restart) ?? 'no';
  const maxRestarts = int(a.max_restarts) ?? 0;
  if (restart === 'always') {
    svc.service = true;
    if (maxRestarts > 0) notes.add(`${name}.availability`, `max_restarts ${maxRestarts}: a Hearth service always restarts`);
  } else if (restart === 'on_failure' || restart === 'on-failure') {
    svc.service = false;
    // max_restarts 0 (or absent) means unlimited in process-compose.
    if (maxRestarts > 0) svc.max_failures = maxRestarts + 1;
    else {
      svc.max_failures = UNLIMITED_FAILURES;
      notes.add(`${name}.availability`, `unlimited restarts on failure: max_failures set to ${UNLIMITED_FAILURES}`);
    }
  } else {
    svc.service = false;
    svc.max_failures = 1;
    if (restart === 'exit_on_failure') notes.add(`${name}.availability`, 'exit_on_failure: Hearth does not stop the whole stack when one job fails');
    else if (restart !== 'no') notes.add(`${name}.availability`, `restart "${restart}" is unknown; imported as a job that runs once`);
  }
  if (a.backoff_seconds !== undefined) notes.add(`${name}.availability`, 'backoff_seconds: Hearth backs off by itself (min_duration, max_backoff_secs)');
  if (a.exit_on_end !== undefined) notes.add(`${name}.availability`, 'exit_on_end: Hearth does not stop the stack when a process ends');
  for (const key of Object.keys(a)) {
    if (!['restart', 'max_restarts', 'backoff_seconds', 'exit_on_end'].includes(key)) notes.add(`${name}.availability`, `${key} has no Hearth equivalent`);
  }
}

/** process-compose gives the stop signal as a number (Linux numbering). */
const SIGNAL_NUMBERS: Record<number, StopSignal> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 10: 'SIGUSR1', 12: 'SIGUSR2', 15: 'SIGTERM' };

export function mapShutdown(value: unknown, name: string, svc: ImportedService, notes: Notes): void {
  if (!isDict(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const n = int(v);
    if (key === 'timeout_seconds' && n !== undefined) svc.lifecycle = { ...svc.lifecycle, shutdown_wait_secs: n };
    else if (key === 'signal' && n !== undefined && SIGNAL_NUMBERS[n]) {
      if (n !== 15) svc.lifecycle = { ...svc.lifecycle, stop_signal: SIGNAL_NUMBERS[n] }; // SIGTERM is the default
    } else notes.add(`${name}.shutdown.${key}`, key === 'signal' ? `signal ${String(v)}: Hearth's stop_signal is one of ${STOP_SIGNALS.join(', ')}; imported as SIGTERM` : 'no Hearth equivalent');
  }
}

