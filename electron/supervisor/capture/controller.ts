// One service's captures: snooze it (the real .healthchecksnooze, reason "capture"), run the engine its
// runtime calls for, unsnooze, and file the result. A capture never leaves a snooze behind: it is removed
// when the capture ends or fails, when it is cancelled (Ctrl-C on `hearth capture`), when the service stops,
// when the supervisor closes — and a Hearth that finds one left by a crashed Hearth removes it (snooze-owner.ts).
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { CaptureInfo, CaptureKind, CaptureRunning, CaptureTools } from '../../../shared/types';
import { CAPTURES_IN_STATUS } from '../../../shared/types';
import { formatSize } from '../../../shared/format-size';
import { formatTook } from '../../../shared/format-took';
import { attachHint, type DebugEngine } from '../../../shared/debug-hint';
import type { Clock } from '../clock';
import { isOrphanedSnooze, readSnooze, removeSnooze, writeSnooze, type SnoozeOwner } from '../snooze';
import type { TimelineInput } from '../health/timeline';
import { listCaptures, lockDown, newCaptureBase, writeCaptureMeta } from './capture-files';
import { FLAME_FORMATS } from './engine';
import { methodList, planCaptures, type Planned } from './plan';
import { findAppProcess } from './app-process';
import { detectRuntime } from './runtime';
import { ownerAlive, selfOwner } from './snooze-owner';
import { availableTools } from './tools';
import { closeInspectorAt, establishedOn, freePort, inspectorOnPort } from './debug-session';
import { attachDebugpy, debugpyListenPort, planDebugpy, stopDebugpyAdapter } from './python-debug';
import { readProcStat } from '../process/proc-stat';
import type { ProcessPlatform } from '../process/platform/types';

export const SNOOZE_REASON = 'capture';
export const DEBUG_REASON = 'debug';
/** How often a debug session looks whether its debugger is still attached. */
const ATTACH_POLL_MS = 500;
/** A debug session nobody attached to within this time ends (its snooze would otherwise be forgotten). */
const ATTACH_WAIT_MS = 15 * 60_000;
export const DEFAULT_CAPTURE_SECS = 30;
export const MAX_CAPTURE_SECS = 600;

interface OpenedDebugger {
  url: string;
  /** Closes the debugger's port when the session ends. */
  close(): Promise<void>;
}

interface DebugBackend {
  engine: DebugEngine;
  /** A port the process listens on already (a service started under debugpy); else a free one is taken. */
  port?: number;
  open(port: number, signal: AbortSignal): Promise<OpenedDebugger>;
}

/** What the controller needs from its service's runner. */
export interface CaptureHost {
  readonly name: string;
  readonly sandbox: string;
  readonly capturesDir: string;
  readonly clock: Clock;
  /** The runner's process backend: the tree below a wrapper is read through it. */
  readonly platform: ProcessPlatform;
  /** The process to capture now (a shell's child for a command run through /bin/sh), or null. */
  target(): { pid: number; run: number } | null;
  ports(): Record<string, number>;
  note(text: string): void;
  tapOutput(listener: (line: string) => void): () => void;
  recentOutput(): string[];
  /** The snooze file changed: read it now (status, timeline). */
  snoozeChanged(): void;
  timeline(input: TimelineInput): void;
  onChange(): void;
}

/** How long a capture's own snooze may last at most, should the capture hang: then checks resume anyway. */
function snoozeBudgetMs(kind: CaptureKind, durationMs: number): number {
  return kind === 'cpu' ? durationMs + 120_000 : kind === 'core' ? 15 * 60_000 : 5 * 60_000;
}

interface Running {
  view: CaptureRunning;
  abort: AbortController;
  /** This capture wrote the snooze file (false when the user had snoozed already). */
  ownSnooze: boolean;
  /** Settles once the capture has ended and its snooze is gone. */
  settled: Promise<void>;
}

export class CaptureController {
  private running: Running | null = null;
  private recentCache: CaptureInfo[] | null = null;
  /** Processes (pid and start time) this controller attached debugpy to: it cannot be attached twice. */
  private readonly debugpyAttached = new Set<string>();

  constructor(private readonly host: CaptureHost) {}

  /** A capture snooze whose Hearth is gone is removed (called once the runner has read its sandbox). */
  recoverOrphanedSnooze(): void {
    const info = readSnooze(this.host.sandbox);
    if (!isOrphanedSnooze(info, ownerAlive)) return;
    try {
      removeSnooze(this.host.sandbox);
      this.host.note(`removed the ${info.reason} snooze left by hearth pid ${info.owner!.pid}, which is gone; health checks resume`);
    } catch (error) {
      this.host.note(`a ${info.reason} snooze left by hearth pid ${info.owner!.pid} cannot be removed: ${(error as Error).message}`);
    }
    this.host.snoozeChanged();
  }

  get current(): CaptureRunning | null {
    return this.running?.view ?? null;
  }

  /** Read from disk (a file deleted by hand is no longer listed). */
  list(limit = CAPTURES_IN_STATUS): CaptureInfo[] {
    return listCaptures(this.host.capturesDir, limit);
  }

  /** The newest few for status, read once and then kept current by this controller's own captures. */
  recent(): CaptureInfo[] {
    this.recentCache ??= this.list(CAPTURES_IN_STATUS);
    return this.recentCache;
  }

  async tools(): Promise<CaptureTools> {
    const target = await this.appTarget();
    const found = target ? detectRuntime(target.pid) : null;
    if (!target || !found) return { service: this.host.name, pid: null, runtime: null, methods: [] };
    return { service: this.host.name, pid: target.pid, runtime: found.runtime, methods: methodList(this.plan(found)) };
  }

  /**
   * The process a capture or debug session is of: the service's own, or below wrappers like npm start the
   * app that they run (app-process.ts), with why.
   */
  private async appTarget(): Promise<{ pid: number; run: number; why: string; wrapped: boolean } | null> {
    const top = this.host.target();
    if (!top) return null;
    const picked = await findAppProcess(top.pid, this.host.platform);
    // The scan took a moment: a process that ran again meanwhile is another one.
    if (this.host.target()?.run !== top.run) return null;
    return { pid: picked.pid, run: top.run, why: picked.why, wrapped: picked.via.length > 0 };
  }

  private plan(found: NonNullable<ReturnType<typeof detectRuntime>>) {
    return planCaptures({ runtime: found.runtime, tools: availableTools(), ports: this.host.ports(), exe: found.facts.exe });
  }

  /**
   * `hearth debug`: a debugger's port on the running process (Node: the inspector on a free port; Python:
   * debugpy), the service snoozed (reason "debug") until a debugger has attached there and detached again,
   * or `endDebug`, or its process ends, or nobody attached within ATTACH_WAIT_MS.
   */
  async debug(): Promise<{ url: string; port: number; engine: DebugEngine }> {
    const host = this.host;
    this.refuseWhileRunning('session');
    const target = await this.appTarget();
    // Asked again after the tree was read: nothing below awaits before this session is recorded as running.
    this.refuseWhileRunning('session');
    if (!target) throw new Error(`${host.name} has no running process to debug`);
    const found = detectRuntime(target.pid);
    // Everything that can refuse is asked before the service is snoozed.
    const backend = this.debugBackend(target.pid, found);
    const abort = new AbortController();
    let settle: () => void = () => undefined;
    const startedAt = host.clock.now();
    const running: Running = { view: { kind: 'debug', engine: backend.engine, started_at: startedAt, until: null }, abort, ownSnooze: false, settled: new Promise((r) => (settle = r)) };
    this.running = running;
    let opened: OpenedDebugger;
    try {
      running.ownSnooze = this.snoozeFor(startedAt, null, DEBUG_REASON);
      host.timeline({ type: 'window-open', at: startedAt, kind: 'capture', detail: `debug (${backend.engine})` });
      const port = backend.port ?? (await freePort());
      if (target.wrapped) host.note(`debugging ${target.why}`);
      if (backend.engine === 'debugpy' && backend.port === undefined) host.note(`attaching debugpy to pid ${target.pid} (through ${process.platform === 'darwin' ? 'lldb' : 'gdb'}; a few seconds)`);
      opened = await backend.open(port, abort.signal);
      running.view = { ...running.view, debug: { url: opened.url, port, attached: false } };
      host.note(`debugger wanted on ${opened.url} (${attachHint(backend.engine, port)}): health checks snoozed until it detaches`);
      host.onChange();
    } catch (error) {
      this.finish(running, settle);
      throw error;
    }
    const start = readProcStat(target.pid)?.startTime ?? null;
    void this.watchDebugger(running, { pid: target.pid, start })
      .then(() => opened.close())
      .catch(() => undefined)
      .finally(() => this.finish(running, settle));
    return { url: opened.url, port: running.view.debug!.port, engine: backend.engine };
  }

  private debugBackend(pid: number, found: ReturnType<typeof detectRuntime>): DebugBackend {
    const name = this.host.name;
    if (found?.runtime === 'node') {
      return {
        engine: 'node-inspector',
        open: async (port, signal) => {
          const url = await inspectorOnPort(this.job(pid, signal), port);
          return {
            url,
            close: async () => {
              if (!(await closeInspectorAt(url)) && ownerAlive({ pid, start: readProcStat(pid)?.startTime ?? null })) this.host.note(`the inspector at ${url} could not be reached to close it: it stays open until the process exits`);
            },
          };
        },
      };
    }
    if (found?.runtime === 'python') {
      // Started under debugpy by its command: that listener is the service's own, left as it is.
      const own = debugpyListenPort(found.facts.argv);
      if (own !== null) return { engine: 'debugpy', port: own, open: async (port) => ({ url: `tcp://127.0.0.1:${port}`, close: async () => undefined }) };
      const key = `${pid}:${readProcStat(pid)?.startTime ?? ''}`;
      const plan = planDebugpy(pid, found.facts, name, process.platform, this.debugpyAttached.has(key));
      if ('error' in plan) throw new Error(plan.error);
      return {
        engine: 'debugpy',
        open: async (port, signal) => {
          this.debugpyAttached.add(key);
          await attachDebugpy(plan, pid, port, name, signal);
          return {
            url: `tcp://127.0.0.1:${port}`,
            close: async () => {
              const stopped = stopDebugpyAdapter(port);
              if (stopped.length) this.host.note(`stopped debugpy's adapter on port ${port} (pid ${stopped.join(', ')}): nobody can attach there now`);
            },
          };
        },
      };
    }
    throw new Error(`hearth debug attaches to Node and Python services only (${name} runs ${found?.runtime ?? 'nothing'})`);
  }

  /** Ends the debug session under way (`hearth debug --end`); false when there is none. */
  endDebug(): boolean {
    if (this.running?.view.kind !== 'debug') return false;
    this.running.abort.abort();
    return true;
  }

  /** Until the debugger detached (Linux: its connection is gone), the session was ended, its process exited, or nobody came. */
  private async watchDebugger(running: Running, target: SnoozeOwner): Promise<void> {
    const port = running.view.debug!.port;
    let attached = false;
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        clearInterval(poll);
        clearTimeout(nobody);
        resolve();
      };
      const nobody = setTimeout(() => {
        if (!attached) {
          this.host.note(`no debugger attached within ${ATTACH_WAIT_MS / 60_000} min: ending the debug session`);
          stop();
        }
      }, ATTACH_WAIT_MS);
      const poll = setInterval(() => {
        if (!ownerAlive(target)) {
          this.host.note(`the debugged process (pid ${target.pid}) exited: ending the debug session`);
          stop();
          return;
        }
        const now = (establishedOn(port) ?? 0) > 0;
        if (now === attached) return;
        attached = now;
        running.view = { ...running.view, debug: { ...running.view.debug!, attached } };
        this.host.note(attached ? 'debugger attached' : 'debugger detached: health checks resume');
        this.host.onChange();
        if (!attached) stop();
      }, ATTACH_POLL_MS);
      running.abort.signal.addEventListener('abort', stop, { once: true });
    });
  }

  private finish(running: Running, settle: () => void): void {
    if (this.running === running) this.running = null;
    this.unsnooze(running);
    this.host.timeline({ type: 'window-close', at: this.host.clock.now(), kind: 'capture' });
    this.host.onChange();
    settle();
  }

  private job(pid: number, signal: AbortSignal) {
    const host = this.host;
    return {
      pid,
      kind: 'threads' as const,
      durationMs: 0,
      basePath: '',
      signal,
      ports: host.ports(),
      note: (text: string) => host.note(text),
      tapOutput: (l: (line: string) => void) => host.tapOutput(l),
      recentOutput: () => host.recentOutput(),
    };
  }

  private refuseWhileRunning(what: 'capture' | 'session'): void {
    const running = this.running;
    if (!running) return;
    throw new Error(what === 'capture' ? `a ${running.view.kind} capture of ${this.host.name} is under way; wait for it, or cancel it` : `a ${running.view.kind} session of ${this.host.name} is under way`);
  }

  /** Ends the capture under way early (a sampling capture keeps what it has). */
  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort.abort();
    return true;
  }

  async capture(kind: CaptureKind, forSecs = DEFAULT_CAPTURE_SECS): Promise<CaptureInfo> {
    const host = this.host;
    this.refuseWhileRunning('capture');
    const target = await this.appTarget();
    // Asked again after the tree was read: nothing below awaits before this capture is recorded as running.
    this.refuseWhileRunning('capture');
    if (!target) throw new Error(`${host.name} has no running process to capture`);
    const found = detectRuntime(target.pid);
    if (!found) throw new Error(`${host.name}'s process (pid ${target.pid}) is gone`);
    const planned: Planned = this.plan(found)[kind];
    if (!planned.engine) throw new Error(`no ${kind} capture for ${host.name} (${found.runtime}): ${planned.method.detail}`);
    const engine = planned.engine;
    const durationMs = Math.min(MAX_CAPTURE_SECS, forSecs) * 1000;
    const startedAt = host.clock.now();
    const abort = new AbortController();
    let settle: () => void = () => undefined;
    const running: Running = {
      view: { kind, engine: engine.name, started_at: startedAt, until: kind === 'cpu' ? startedAt + durationMs : null },
      abort,
      ownSnooze: false,
      settled: new Promise((resolve) => (settle = resolve)),
    };
    this.running = running;
    try {
      running.ownSnooze = this.snoozeFor(startedAt, startedAt + snoozeBudgetMs(kind, durationMs), SNOOZE_REASON);
      host.timeline({ type: 'window-open', at: startedAt, kind: 'capture', detail: `${kind} (${engine.name})` });
      host.note(`${kind} capture with ${engine.name} (${target.wrapped ? target.why : `pid ${target.pid}`}, ${found.runtime})${kind === 'cpu' ? ` for ${durationMs / 1000}s` : ''}: health checks snoozed until it ends`);
      host.onChange();
      const base = newCaptureBase(host.capturesDir, kind, startedAt);
      const out = await engine.run({
        pid: target.pid,
        kind,
        durationMs,
        basePath: base,
        signal: abort.signal,
        ports: host.ports(),
        note: (text) => host.note(text),
        tapOutput: (l) => host.tapOutput(l),
        recentOutput: () => host.recentOutput(),
      });
      lockDown(base);
      const name = basename(out.file);
      const info: CaptureInfo = {
        service: host.name,
        kind,
        engine: engine.name,
        format: out.format,
        file: out.file,
        name,
        bytes: statSync(out.file).size,
        started_at: startedAt,
        duration_ms: host.clock.now() - startedAt,
        pid: target.pid,
        target: target.why,
        run: target.run,
        open_with: out.openWith,
        flame: FLAME_FORMATS.has(out.format),
      };
      await writeCaptureMeta(base, info);
      this.recentCache = [info, ...this.recent().filter((c) => c.name !== info.name)].slice(0, CAPTURES_IN_STATUS);
      host.note(`${kind} capture written: ${out.file} (${formatSize(info.bytes)}, took ${formatTook(info.duration_ms)})`);
      return info;
    } catch (error) {
      host.note(`${kind} capture failed: ${(error as Error).message}`);
      throw error;
    } finally {
      this.running = null;
      this.unsnooze(running);
      host.timeline({ type: 'window-close', at: host.clock.now(), kind: 'capture' });
      host.onChange();
      settle();
    }
  }

  /** Ends whatever runs and waits until its snooze is gone (supervisor closing, service removed or stopped). */
  async dispose(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.abort.abort();
    await running.settled;
  }

  /** Writes the capture (or debug) snooze unless the user's own is on (theirs stays, and stays theirs). */
  private snoozeFor(now: number, until: number | null, reason: string): boolean {
    if (readSnooze(this.host.sandbox).snoozed) return false;
    writeSnooze(this.host.sandbox, until, now, { reason, owner: selfOwner() });
    this.host.snoozeChanged();
    return true;
  }

  /** Removes the snooze only if it is still the one this capture wrote (a user may have snoozed meanwhile). */
  private unsnooze(running: Running): void {
    if (!running.ownSnooze) return;
    const info = readSnooze(this.host.sandbox);
    if (info.reason !== (running.view.kind === 'debug' ? DEBUG_REASON : SNOOZE_REASON) || info.owner?.pid !== process.pid) return;
    try {
      removeSnooze(this.host.sandbox);
    } catch (error) {
      this.host.note(`the capture snooze cannot be removed (${(error as Error).message}): health checks stay paused until it is`);
    }
    this.host.snoozeChanged();
  }
}
