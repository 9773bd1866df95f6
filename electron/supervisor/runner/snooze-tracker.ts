// What one service's `.healthchecksnooze` says, kept current. The file is the authority (snooze.ts): a
// `touch`/`rm` in a terminal counts exactly like the UI's switch. This tracker watches the sandbox so a
// change shows in the UI at once, re-reads the file before every health check, and removes a timed snooze
// when its time is up, on a timer of its own: nothing polls, so an idle service costs no wake-ups (the
// watch polls only while the sandbox folder is missing).
import { mkdirSync } from 'node:fs';
import type { Clock, Timer } from '../clock';
import { readSnooze, removeSnooze, sameInfo, snoozeExpired, watchSnooze, writeSnooze, type SnoozeInfo } from '../snooze';

export interface SnoozeContext {
  clock: Clock;
  sandbox: string;
  /** A line in the service's log. */
  note(text: string): void;
  /** The snooze state changed (it is part of status); `before` is what it was. */
  onChange(before: SnoozeInfo, after: SnoozeInfo): void;
}

export class SnoozeTracker {
  private info: SnoozeInfo = { snoozed: false, since: null, until: null };
  /** Fires when a timed snooze is due to end. */
  private endTimer: Timer | null = null;
  /** The end time of a timed snooze whose file could not be removed (reported once). */
  private unremovableUntil: number | null = null;
  private unwatch: () => void;

  constructor(private readonly ctx: SnoozeContext) {
    this.refresh();
    this.unwatch = this.watch();
  }

  get current(): SnoozeInfo {
    return this.info;
  }

  /** Reads the file now (before every check) and returns whether checks are paused. */
  check(): boolean {
    this.refresh();
    return this.info.snoozed;
  }

  /** Snoozes for `forSecs`, or until removed; the end time, or null. */
  snoozeFor(forSecs: number | undefined): number | null {
    const until = forSecs ? this.ctx.clock.now() + forSecs * 1000 : null;
    mkdirSync(this.ctx.sandbox, { recursive: true });
    writeSnooze(this.ctx.sandbox, until);
    this.ctx.note(until ? `health checks snoozed for ${Math.round(forSecs ?? 0)}s` : 'health checks snoozed');
    this.refresh();
    return until;
  }

  unsnooze(): void {
    removeSnooze(this.ctx.sandbox);
    this.ctx.note('health checks resumed (snooze removed)');
    this.refresh();
  }

  /** The sandbox folder was just created: the watch, which was polling for it, now watches the folder. */
  rewatch(): void {
    this.unwatch();
    this.unwatch = this.watch();
  }

  dispose(): void {
    this.unwatch();
    this.endTimer?.cancel();
    this.endTimer = null;
  }

  private watch(): () => void {
    return watchSnooze(this.ctx.sandbox, (info) => this.refresh(info));
  }

  /** Takes in what the snooze file says now; a timed snooze past its end is removed right here. */
  private refresh(info = readSnooze(this.ctx.sandbox)): void {
    if (snoozeExpired(info, this.ctx.clock.now())) {
      try {
        removeSnooze(this.ctx.sandbox);
        this.ctx.note('timed snooze ended; health checks resumed');
      } catch (error) {
        // Not ours to force (permissions): the file still pauses checks, as it would for Aurora. Said once per end time.
        if (this.unremovableUntil !== info.until) this.ctx.note(`timed snooze ended, but the snooze file cannot be removed (${(error as Error).message}): health checks stay paused until it is`);
        this.unremovableUntil = info.until;
      }
      info = readSnooze(this.ctx.sandbox); // not re-checked: a file we cannot remove must not loop
    }
    if (!sameInfo(info, this.info)) {
      const before = this.info;
      this.info = info;
      this.armEnd();
      this.ctx.onChange(before, info);
    }
  }

  /** One timer at the end of a timed snooze, re-armed whenever the file changes (e.g. extended). */
  private armEnd(): void {
    this.endTimer?.cancel();
    this.endTimer = null;
    const until = this.info.snoozed ? this.info.until : null;
    if (until === null) return;
    const left = until - this.ctx.clock.now();
    if (left <= 0) return; // over already (a file that could not be removed): nothing left to time
    // A timer may fire a hair before the wall clock reaches `until`; refresh then re-arms.
    this.endTimer = this.ctx.clock.after(left + 1, () => {
      this.endTimer = null;
      this.refresh();
      if (!this.endTimer) this.armEnd();
    });
  }
}
