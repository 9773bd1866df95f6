// Which desktop notifications to show, decided from consecutive ServiceStatus values.
// Pure: the Electron glue only turns the returned notes into `new Notification(...)`.
import { looksLikePrompt, promptEnd } from '../../shared/prompt';
import { checksCanKill, isSnoozeForgotten } from '../../shared/snooze';
import type { PartialLine, ServiceStatus } from '../../shared/types';

export interface NotificationSettings {
  enabled: boolean;
  /** Warn about an untimed snooze older than this; 0 or less turns the warning off. */
  snoozeWarnAfterSecs: number;
}

export interface Note {
  title: string;
  body: string;
  /** Identifies the occurrence; the glue uses it as the notification tag and for "warned once" memory. */
  key: string;
}

/** Flap count at which a restarting service is called a crash loop in a notification. */
export const CRASH_LOOP_FLAPS = 3;

function formatDuration(ms: number): string {
  const mins = Math.round(ms / 60_000);
  if (mins < 60) return `${mins} min`;
  const hours = Math.floor(mins / 60);
  const rest = mins % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** The key of a snooze occurrence: one per service per snooze file (its mtime). */
export function snoozeKey(status: Pick<ServiceStatus, 'name' | 'snoozed_since'>): string {
  return `snooze:${status.name}:${status.snoozed_since ?? 0}`;
}

/**
 * Notes for one status change. `prev` is what we knew before (undefined on first sight).
 * Calling it with prev === next (a periodic tick) only ever yields the time-based snooze warning.
 * `alreadyWarned` holds snooze keys warned about before; the caller adds the returned keys to it.
 */
export function decideNotifications(
  prev: ServiceStatus | undefined,
  next: ServiceStatus,
  now: number,
  settings: NotificationSettings,
  alreadyWarned: ReadonlySet<string>,
): Note[] {
  if (!settings.enabled) return [];
  const notes: Note[] = [];
  const name = next.name;

  if (prev && next.last_restart_reason === 'unhealthy' && next.restarts > prev.restarts) {
    const detail = next.health.last_detail ? ` (${next.health.last_detail})` : '';
    notes.push({
      title: `${name} was unhealthy and was restarted`,
      body: `${next.health.settings?.max_consecutive_failures ?? 'Too many'} health checks in a row failed${detail}. Restart #${next.restarts}.`,
      key: `unhealthy:${name}:${next.restarts}`,
    });
  }

  if ((prev?.flaps ?? 0) < CRASH_LOOP_FLAPS && next.flaps >= CRASH_LOOP_FLAPS) {
    const exit = next.last_exit;
    const how = exit ? (exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`) : 'keeps exiting';
    notes.push({
      title: `${name} is crash looping`,
      body: `It exited ${next.flaps} times in a row shortly after starting (${how}). Hearth is backing off between restarts.`,
      key: `crashloop:${name}:${next.run}`,
    });
  }

  if (next.state === 'FAILED' && prev?.state !== 'FAILED' && prev !== undefined) {
    const what = next.service ? 'Service' : 'Job';
    const why = next.error ?? (next.service ? 'it did not become healthy' : `it failed ${next.failures} of ${next.max_failures} allowed times`);
    notes.push({ title: `${what} ${name} failed`, body: `Hearth gave up: ${why}.`, key: `failed:${name}:${next.run}` });
  }

  // Only untimed snoozes are "forgotten": a timed one ends by itself.
  if (isSnoozeForgotten(next, settings.snoozeWarnAfterSecs, now)) {
    const age = now - next.snoozed_since!;
    const key = snoozeKey(next);
    if (!alreadyWarned.has(key)) {
      notes.push({
        title: `${name}: health checks still snoozed`,
        body: `Snoozed for ${formatDuration(age)}. Remember to remove .healthchecksnooze (Unsnooze) when you are done.`,
        key,
      });
    }
  }
  return notes;
}

/** Characters of a prompt quoted in a notification (promptEnd): it has room for more than a terminal line. */
const PROMPT_QUOTED = 60;

/**
 * A service went quiet at what reads like a prompt (a breakpoint's "(Pdb) "): once per run, since a REPL
 * prompts after every answer. `status`: its last known status, for the health-check warning.
 */
export function promptNote(partial: PartialLine, status: ServiceStatus | undefined, settings: NotificationSettings): Note | null {
  if (!settings.enabled || partial.offset > 0 || !looksLikePrompt(partial.text)) return null;
  const text = partial.text.trim();
  return {
    title: `${partial.service} is waiting for input`,
    body: `It printed "${promptEnd(text, PROMPT_QUOTED)}" and went quiet. Answer it in the line under its logs.${checksCanKill(status) ? ' Its health checks still run: snooze it if it sits at a breakpoint.' : ''}`,
    key: `prompt:${partial.service}:${partial.run}`,
  };
}

/**
 * Keeps the previous status of each service and the warned-snooze memory between events.
 * Fed from supervisor events; `tick` re-checks snooze ages as time passes without events.
 */
export interface Notifier {
  /** A fresh snapshot: remember the statuses without notifying (nothing "changed"). */
  reset(services: readonly ServiceStatus[]): void;
  service(next: ServiceStatus, now: number): Note[];
  removed(name: string): void;
  tick(now: number): Note[];
  /** An unfinished line was told (partial_line): a prompt, once per run of its service. */
  partial(partial: PartialLine): Note[];
}

export function createNotifier(settings: () => NotificationSettings): Notifier {
  const last = new Map<string, ServiceStatus>();
  const warned = new Set<string>();
  const remember = (notes: Note[]) => {
    for (const note of notes) if (note.key.startsWith('snooze:')) warned.add(note.key);
    return notes;
  };
  return {
    reset(services) {
      last.clear();
      for (const s of services) last.set(s.name, s);
    },
    service(next, now) {
      const notes = decideNotifications(last.get(next.name), next, now, settings(), warned);
      last.set(next.name, next);
      return remember(notes);
    },
    removed(name) {
      last.delete(name);
    },
    tick(now) {
      const notes: Note[] = [];
      for (const s of last.values()) notes.push(...decideNotifications(s, s, now, settings(), warned));
      return remember(notes);
    },
    partial(partial) {
      const note = promptNote(partial, last.get(partial.service), settings());
      if (!note || warned.has(note.key)) return [];
      warned.add(note.key);
      return [note];
    },
  };
}
