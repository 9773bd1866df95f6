// The live view of `hearth up` / `hearth serve`: turns supervisor events into terminal lines, and
// handles Ctrl-C (first: stop everything gracefully; second: SIGKILL the services; third: Node's default).
import type { EventName, HearthEvents } from '../../shared/contract';
import { looksLikePrompt, promptEnd } from '../../shared/prompt';
import type { LogLine, PartialLine, ServiceStatus, StackSnapshot } from '../../shared/types';
import type { StackHost } from '../host/stack-host';
import type { SupervisorListener } from '../supervisor/api';
import { formatIssue } from '../supervisor/config/issues';
import type { Palette } from './color';
import { formatSystemLine, prefixWidth, sanitizeLogText } from './format';
import { LogBlockFormatter } from './log-block';
import type { CliContext } from './io';
import { LineOutput } from './output';
import { createSnoozeReminder } from './snooze-reminder';
import { describeChange } from './status-format';

/** How many of a service's latest supervisor lines are remembered to avoid repeating one as an error. */
const RECENTLY_SAID = 8;
/** Characters of a prompt quoted in the hint (promptEnd). */
const PROMPT_QUOTED = 40;

/**
 * The hint `hearth up` gives when a service goes quiet in the middle of a line: this terminal shows whole
 * lines only and its stdin is not the service's, so a prompt ("(Pdb) ") would wait unseen.
 */
export function promptHint(partial: PartialLine): string {
  const text = sanitizeLogText(partial.text, false);
  return `${partial.service} printed ${JSON.stringify(promptEnd(text, PROMPT_QUOTED))} and went quiet: if that is a prompt, answer it with \`hearth attach ${partial.service}\``;
}

export interface LivePrinterOptions {
  out: LineOutput;
  palette: Palette;
  /** Print log lines (up) or only state changes (serve). */
  logs: boolean;
  cwd: string;
  now?: () => number;
  /** Service names known before the first snapshot, so early lines (reaped orphans) align too. */
  names?: string[];
  /** Print each line's time of day first (`hearth up --timestamps`). */
  timestamps?: boolean;
}

export interface LivePrinter {
  listener: SupervisorListener;
  /** Prints a supervisor-style line (`hearth | …`) aligned with the log lines. */
  system(text: string): void;
  /** Cancels the pending forgotten-snooze reminders. */
  dispose(): void;
}

export function createLivePrinter(opts: LivePrinterOptions): LivePrinter {
  const { out, palette } = opts;
  const now = opts.now ?? Date.now;
  const statuses = new Map<string, ServiceStatus>();
  let width = prefixWidth(opts.names ?? []);
  let lastErrors = '[]';
  let lastLoadedAt: number | null = null;
  const timestamps = opts.timestamps ?? false;
  /**
   * Per service, its last few supervisor lines, as printed (`name: text`): an error such a line already
   * said (a spawn error) is not printed again from the status. The snapshot's logs, and then each batch of
   * logs, come before the status they explain (the supervisor flushes logs first).
   */
  const recentlySaid = new Map<string, Set<string>>();
  const remember = (lines: readonly LogLine[]): void => {
    for (const line of lines) {
      if (line.stream !== 'system') continue;
      const said = recentlySaid.get(line.service) ?? new Set<string>();
      if (said.size >= RECENTLY_SAID) said.delete(said.values().next().value!);
      said.add(`${line.service}: ${line.text}`);
      recentlySaid.set(line.service, said);
    }
  };
  const system = (text: string): void => out.line(formatSystemLine(text, width, palette, timestamps ? now() : undefined));
  const snoozes = createSnoozeReminder((text) => system(palette.yellow(text)), now);
  // With logs shown, the supervisor's own lines (started, healthy, restarting…) already tell each change.
  const detail = opts.logs ? 'problems' : 'all';
  const reWidth = (): void => {
    width = prefixWidth(statuses.keys());
  };
  /** Per service, the run whose prompt hint was given: once a run, not at each pause of a progress bar. */
  const hinted = new Map<string, number>();
  const blocks = new LogBlockFormatter(palette, timestamps);
  const print = (lines: readonly LogLine[]): void => out.batches(lines, (slice) => blocks.format(slice, width));

  const handlers: { [E in EventName]?: (payload: HearthEvents[E]) => void } = {
    snapshot(snapshot: StackSnapshot) {
      statuses.clear();
      for (const s of snapshot.services) statuses.set(s.name, s);
      reWidth();
      lastErrors = JSON.stringify(snapshot.stack?.config_errors ?? []);
      lastLoadedAt = snapshot.stack?.loaded_at ?? null;
      if (opts.logs) {
        print(snapshot.logs);
        remember(snapshot.logs);
      }
      const onDemand = (s: ServiceStatus): boolean => s.autostart === false && s.state === 'STOPPED';
      for (const s of snapshot.services) {
        if (onDemand(s)) continue; // one line for all of them below, not "x is STOPPED" each
        for (const text of describeChange(undefined, s, snapshot.now, detail)) if (!recentlySaid.get(s.name)?.has(text)) system(text);
      }
      const manual = new Set(snapshot.services.filter(onDemand).map((s) => s.group ?? s.name));
      if (manual.size > 0) system(`not started (autostart: false): ${[...manual].join(', ')}; \`hearth start NAME\` starts one`);
      snoozes.setWarnAfter(snapshot.stack?.snooze_warn_after_secs ?? 0);
      for (const s of snapshot.services) snoozes.update(s);
    },
    service(next) {
      const prev = statuses.get(next.name);
      statuses.set(next.name, next);
      if (!prev) reWidth();
      const said = recentlySaid.get(next.name);
      for (const text of describeChange(prev, next, now(), detail)) if (!said?.has(text)) system(text);
      snoozes.update(next);
    },
    service_removed({ name }) {
      statuses.delete(name);
      snoozes.remove(name);
      system(`${name} was removed from the stack`);
    },
    stack(info) {
      const errors = JSON.stringify(info.config_errors);
      if (info.config_errors.length > 0 && errors !== lastErrors) {
        system(palette.red('the stack file has errors; the running stack is unchanged:'));
        for (const issue of info.config_errors) system(`  ${formatIssue(issue, opts.cwd)}`);
      } else if (info.config_errors.length === 0 && info.loaded_at !== lastLoadedAt) {
        system(`reloaded ${info.file}`);
      }
      lastErrors = errors;
      lastLoadedAt = info.loaded_at;
      snoozes.setWarnAfter(info.snooze_warn_after_secs);
    },
    logs({ lines }) {
      if (!opts.logs) return;
      remember(lines);
      print(lines);
    },
    partial_line(partial) {
      if (!opts.logs || hinted.get(partial.service) === partial.run || partial.offset > 0 || !looksLikePrompt(partial.text)) return;
      hinted.set(partial.service, partial.run);
      system(palette.yellow(promptHint(partial)));
    },
  };

  const listener: SupervisorListener = (event, payload) => {
    const handler = handlers[event] as ((payload: unknown) => void) | undefined;
    handler?.(payload);
  };
  return { listener, system, dispose: () => snoozes.dispose() };
}

/** Reaped orphans, as one line (or none). */
export function describeOrphans(orphans: StackHost['orphans']): string[] {
  const killed = orphans.filter((o) => o.killed);
  const kept = orphans.filter((o) => !o.killed);
  const lines: string[] = [];
  const list = (items: typeof orphans): string => items.map((o) => `${o.service} (pid ${o.pid})`).join(', ');
  if (killed.length) {
    lines.push(`reaped ${killed.length} process${killed.length === 1 ? '' : 'es'} left by an earlier run: ${list(killed)}`);
  }
  for (const o of kept) lines.push(`${o.service} (pid ${o.pid}) from an earlier run: ${o.reason}`);
  return lines;
}

/** Second Ctrl-C: SIGKILL every service's process group so the graceful close finishes at once. */
export function killAll(snapshot: StackSnapshot): number {
  let killed = 0;
  for (const s of snapshot.services) {
    if (s.pid === null) continue;
    try {
      process.kill(-s.pid, 'SIGKILL'); // services run in their own process group (pgid = pid)
      killed++;
    } catch {
      try {
        process.kill(s.pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

/**
 * Runs until Ctrl-C/SIGTERM or until the host closes by itself (`hearth down`), then closes `before`
 * (e.g. the web host) and the stack host. Returns the exit code.
 */
export async function runUntilStopped(
  host: StackHost,
  ctx: CliContext,
  printer: LivePrinter,
  out: LineOutput,
  before?: () => Promise<void>,
): Promise<number> {
  let interrupts = 0;
  let requested!: () => void;
  const interrupted = new Promise<void>((resolve) => (requested = resolve));
  const unregister = ctx.io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      printer.system('stopping… (Ctrl-C again to kill the services at once)');
      requested();
    } else if (interrupts === 2) {
      const count = killAll(host.supervisor.snapshot());
      printer.system(`killing ${count} process group${count === 1 ? '' : 's'} (SIGKILL)…`);
      // A third Ctrl-C gets Node's default handling: exit now, whatever is left.
      unregister();
    }
  });
  try {
    const why = await Promise.race([interrupted.then(() => 'interrupt' as const), host.closed.then(() => 'closed' as const)]);
    await before?.();
    await host.close();
    printer.system(why === 'closed' ? 'stopped (shutdown requested)' : 'stopped');
    await out.flushed();
    return 0;
  } finally {
    if (interrupts < 2) unregister();
  }
}
