// Where one service's output goes. Every line, the child's and the supervisor's own notes about it,
// gets its stack-wide sequence number here and then goes, in that one order, to the in-memory ring (the
// UI's scrollback), the rotated log file and the UIs. A run's unfinished lines (a prompt) are kept by its
// RunOutput; the last lines of output stay at hand for the restart policy (did it say EADDRINUSE?).
import type { LogLine, LogStream, OutputStream, PartialLine } from '../../../shared/types';
import type { Clock } from '../clock';
import type { ServiceConfig } from '../config/types';
import { logDirOf } from '../layout';
import type { SplitBatch } from '../logs/line-splitter';
import { LogRing, type LogBudget } from '../logs/log-ring';
import { RotatingLogFile } from '../logs/log-file';
import { OUTPUT_STREAMS, RunOutput } from '../logs/run-output';

export interface FanoutContext {
  clock: Clock;
  sandbox: string;
  /** Reserves `count` consecutive stack-wide sequence numbers; returns the first. */
  nextSeq(count: number): number;
  onLines(lines: LogLine[]): void;
  onPartial(partial: PartialLine): void;
  /** The bytes every service's ring may hold together. */
  logBudget: LogBudget;
  /** The log file's error came or went (it is part of status). */
  onChange(): void;
}

/** What the fan-out may do to the process whose output it reads: stop reading it for a while. */
export interface Flow {
  pause(): void;
  resume(): void;
}

/** How many lines of the child's own output are kept for the restart policy to look at. */
const RECENT_OUTPUT_LINES = 20;

export class OutputFanout {
  private readonly ring: LogRing;
  private readonly file: RotatingLogFile;
  /** The current (or last) run's output streams. */
  private output: { run: number; streams: RunOutput } | null = null;
  /** Run number the supervisor's own lines are filed under (the current or last run; 0 before the first). */
  private run = 0;
  private recent: string[] = [];
  /** Listeners to the process's own lines (a capture waiting for Node's inspector address, a JVM's dump). */
  private readonly taps = new Set<(line: string) => void>();

  constructor(
    private readonly cfg: Pick<ServiceConfig, 'name' | 'logs'>,
    private readonly ctx: FanoutContext,
  ) {
    this.ring = new LogRing(cfg.logs.ring_lines, cfg.logs.ring_bytes, ctx.logBudget);
    this.file = new RotatingLogFile({
      dir: logDirOf(ctx.sandbox),
      name: cfg.name,
      maxBytes: cfg.logs.max_bytes,
      keep: cfg.logs.keep,
      onError: () => this.ctx.onChange(),
      onRecover: () => this.ctx.onChange(),
    });
  }

  get logPath(): string {
    return this.file.path;
  }

  /** Why the log file cannot be written, or null. */
  get fileError(): string | null {
    return this.file.error;
  }

  /**
   * A new run begins: its streams, and the handler for its process's output. Reading pauses (backpressure,
   * instead of dropping lines) while the log file is behind, through `flow`, which is asked for lazily
   * because the process is spawned with this handler.
   */
  beginRun(run: number, maxLineBytes: number, flow: () => Flow): (stream: OutputStream, chunk: Buffer) => void {
    this.run = run;
    this.recent = [];
    const service = this.cfg.name;
    const streams = new RunOutput(maxLineBytes, this.ctx.clock, (stream, offset, text) => this.ctx.onPartial({ service, stream, run, offset, text }));
    this.output = { run, streams };
    let paused = false;
    return (stream, chunk) => {
      this.lines(stream, streams.push(stream, chunk), run);
      if (this.file.congested && !paused) {
        paused = true;
        flow().pause();
        this.file.onDrain(() => {
          paused = false;
          flow().resume();
        });
      }
    };
  }

  /** The run's main process exited (its pipes may live on in what it started): its unfinished lines end here. */
  breakRun(run: number): void {
    const streams = this.output?.run === run ? this.output.streams : null;
    for (const { stream, batch } of streams?.breakLines() ?? []) this.lines(stream, batch, run);
  }

  /** The run's process is gone: each stream's last line, even without a newline. */
  endRun(run: number): void {
    const streams = this.output?.run === run ? this.output.streams : null;
    if (!streams) return;
    for (const stream of OUTPUT_STREAMS) this.lines(stream, streams.end(stream), run);
  }

  /** A supervisor-side line in this service's log. */
  system(text: string): void {
    this.lines('system', { texts: [text], truncated: [], ascii: false }, this.run);
  }

  /** Calls `listener` with each line the process prints from now on, until the returned function is called. */
  tap(listener: (line: string) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  /** The process's own lines of run `run` still in the ring (newest last), at most `n`. */
  runLines(run: number, n = 500): string[] {
    return this.ring.tail(n).filter((l) => l.run === run && l.stream !== 'system').map((l) => l.text);
  }

  /** Whether one of the last lines of the current run's output matches. */
  saidRecently(pattern: RegExp): boolean {
    return this.recent.some((line) => pattern.test(line));
  }

  /** The running process's unfinished lines, whole (a prompt waiting for input). */
  partialLines(): PartialLine[] {
    if (!this.output) return [];
    const { run, streams } = this.output;
    return streams.pending().map(({ stream, text }) => ({ service: this.cfg.name, stream, run, offset: 0, text }));
  }

  tail(n: number): LogLine[] {
    return this.ring.tail(n);
  }

  clear(): void {
    this.ring.clear();
  }

  /** A reload's new bounds for the ring (the newest lines that fit stay). */
  setLimits(logs: ServiceConfig['logs']): void {
    this.ring.setLimits(logs.ring_lines, logs.ring_bytes);
  }

  async close(): Promise<void> {
    await this.file.close();
    this.ctx.logBudget.remove(this.ring);
  }

  /** One chunk's lines to the ring, the file and the UIs: work per chunk, one small object per line. */
  private lines(stream: LogStream, { texts, truncated, ascii }: SplitBatch, run: number): void {
    const n = texts.length;
    if (n === 0) return;
    if (stream !== 'system') {
      if (this.taps.size > 0) for (const text of texts) for (const tap of [...this.taps]) tap(text);
      this.recent.push(...(n > RECENT_OUTPUT_LINES ? texts.slice(n - RECENT_OUTPUT_LINES) : texts));
      if (this.recent.length > RECENT_OUTPUT_LINES) this.recent.splice(0, this.recent.length - RECENT_OUTPUT_LINES);
    }
    const ts = this.ctx.clock.now();
    const service = this.cfg.name;
    let seq = this.ctx.nextSeq(n);
    const out = new Array<LogLine>(n);
    for (let i = 0; i < n; i++) out[i] = { seq: seq++, service, run, ts, stream, text: texts[i]! };
    for (const i of truncated) out[i]!.truncated = true;
    this.ring.pushAll(out, ascii);
    this.file.writeLines(ts, stream, texts, ascii);
    this.ctx.onLines(out);
  }
}
