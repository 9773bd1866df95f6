// A service's log on disk: <dir>/<name>.log, rotated to .1 … .{keep} by size. Lines are queued and
// written in batches by one async loop (never a sync write per line); the lines of one output chunk
// are formatted together into one string, so a chatty service costs a join per chunk, not work per
// line. The queue is bounded: if the disk cannot keep up, or the file cannot be written at all, lines
// are dropped and counted, and a marker line says so once writing works again. Nothing here throws at
// the caller.
import { open, mkdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, LogStream } from '../../../shared/types';
import { APPEND_NOFOLLOW, assertOwnFile, assertOwnFolder, openError, READ_NOFOLLOW } from '../safe-fs';
import { SlabArena, type SlabRegion } from './write-slabs';

export interface RotatingLogFileOptions {
  dir: string;
  /** 'api' -> api.log */
  name: string;
  maxBytes: number;
  /** Rotated files kept besides the current one. */
  keep: number;
  onError?: (err: Error) => void;
  /** The file can be written again after an error (`error` went back to null). */
  onRecover?: () => void;
  /** After a failure, the next attempt to open the file waits this long (default 2000 ms). */
  retryMs?: number;
  /** Queued-but-unwritten bytes beyond which new lines are dropped (default 4 MiB). */
  maxQueueBytes?: number;
}

/** The current file of the log `name` in `dir` (rotated ones add .1, .2, …). */
export function logFilePath(dir: string, name: string): string {
  return join(dir, `${name}.log`);
}

/** `2026-11-25T10:00:00.000Z stdout| ` : what precedes each line's text in the file. */
function linePrefix(ts: number, stream: LogStream): string {
  return `${new Date(ts).toISOString()} ${stream}| `;
}

/** Lines as they appear in the file, each ending with a newline. */
export function formatLogLines(ts: number, stream: LogStream, texts: readonly string[]): string {
  const prefix = linePrefix(ts, stream);
  return prefix + texts.join(`\n${prefix}`) + '\n';
}

/**
 * formatLogLines, encoded into a region of the file's slabs (write-slabs.ts). The body is joined once
 * and encoded straight into the region: concatenating prefix + body + newline as strings would make V8
 * copy the whole body flat a second time.
 */
function encodeLogLines(ts: number, stream: LogStream, texts: readonly string[], ascii: boolean, arena: SlabArena): SlabRegion {
  const prefix = linePrefix(ts, stream);
  const body = texts.join(`\n${prefix}`);
  // ASCII text is one byte per character: its length is its size, and it is copied, not encoded.
  const encoding = ascii ? 'latin1' : 'utf8';
  const bodyBytes = ascii ? body.length : Buffer.byteLength(body);
  const region = arena.take(prefix.length + bodyBytes + 1);
  const buf = region.buf;
  buf.write(prefix, 0, 'latin1');
  buf.write(body, prefix.length, encoding);
  buf[buf.length - 1] = 10;
  return region;
}

export function formatLogLine(line: LogLine): string {
  return formatLogLines(line.ts, line.stream, [line.text]);
}

const FILE_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (stdout|stderr|system)\| /;

/**
 * A line of the file back as a LogLine (formatLogLines' inverse), for reading logs with no instance running.
 * `seq` is left 0 and `run` unknown (0); a line not in the format (a file edited by hand) is null.
 */
export function parseLogFileLine(line: string, service: string): LogLine | null {
  const m = FILE_LINE.exec(line);
  if (!m) return null;
  return { seq: 0, service, run: 0, ts: Date.parse(m[1]!), stream: m[2] as LogStream, text: line.slice(m[0].length) };
}

export class RotatingLogFile {
  readonly path: string;
  /** Why the log file cannot be written right now, or null. */
  error: string | null = null;

  private readonly opts: Required<Omit<RotatingLogFileOptions, 'onError' | 'onRecover'>> & Pick<RotatingLogFileOptions, 'onError' | 'onRecover'>;
  private handle: FileHandle | null = null;
  private size = 0;
  /** Formatted lines, and markers standing for lines dropped at that point because the queue was full. */
  private queue: QueueEntry[] = [];
  private queueBytes = 0;
  /** Lines lost while the file could not be written; reported before the next line that makes it. */
  private lost = 0;
  private nextOpenAt = 0;
  private draining: Promise<void> | null = null;
  private drainWaiters: Array<() => void> = [];
  /** Where queued lines are encoded; a region is released once written or dropped. */
  private readonly arena = new SlabArena();

  /** More than half the queue bound is waiting: the producer should pause until onDrain. */
  get congested(): boolean {
    return this.queueBytes > this.opts.maxQueueBytes / 2;
  }

  /** Calls `fn` once the queue is below half its bound again. */
  onDrain(fn: () => void): void {
    if (!this.congested) fn();
    else this.drainWaiters.push(fn);
  }
  private closed = false;

  constructor(opts: RotatingLogFileOptions) {
    this.opts = { retryMs: 2000, maxQueueBytes: 4 * 1024 * 1024, ...opts };
    this.path = logFilePath(opts.dir, opts.name);
  }

  write(line: LogLine): void {
    this.writeLines(line.ts, line.stream, [line.text]);
  }

  /** Lines of one stream sharing one timestamp (the lines of one output chunk); `ascii`: all are ASCII. */
  writeLines(ts: number, stream: LogStream, texts: readonly string[], ascii = false): void {
    const lines = texts.length;
    if (this.closed || lines === 0) return;
    if (this.error !== null && Date.now() < this.nextOpenAt) {
      this.lost += lines; // not even queued: the file is known to be unwritable until the next retry
      return;
    }
    // Encoded here, once: the writer then hands the queued buffers to one writev, with no join or re-encoding.
    const region = encodeLogLines(ts, stream, texts, ascii, this.arena);
    const buf = region.buf;
    if (this.queueBytes + buf.length > this.opts.maxQueueBytes) {
      this.arena.release(region);
      // The disk does not keep up: drop, but keep a (tiny) marker at this very place in the stream.
      const last = this.queue[this.queue.length - 1];
      if (last && 'dropped' in last) last.dropped += lines;
      else this.queue.push({ dropped: lines });
      return;
    }
    this.queue.push({ buf, lines, region });
    this.queueBytes += buf.length;
    this.draining ??= this.drain();
  }

  /** Resolves when every line written so far is on disk (or was dropped). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Flushes, then closes the file; later writes are ignored. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.handle?.close().catch(() => {});
    this.handle = null;
  }

  private async drain(): Promise<void> {
    // Let the lines of the current tick (one output chunk is often many lines) join one batch.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        this.queueBytes = 0;
        if (!this.handle && !(await this.open())) {
          this.lost += batch.reduce<number>((n, e) => n + weight(e), 0);
          this.release(batch);
          continue;
        }
        if (this.lost > 0) batch.unshift({ dropped: this.lost, reason: 'log file unwritable' });
        this.lost = 0;
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const w of waiters) w();
        await this.writeBatch(batch);
        this.release(batch); // written, or counted as lost: either way its bytes are no longer needed
      }
    } finally {
      this.draining = null;
      if (this.queue.length === 0) this.arena.idle();
    }
  }

  private release(batch: QueueEntry[]): void {
    for (const e of batch) if ('region' in e) this.arena.release(e.region);
  }

  private async writeBatch(batch: QueueEntry[]): Promise<void> {
    const bufs = batch.map((e) => ('buf' in e ? e.buf : Buffer.from(this.marker(e))));
    let bytes = 0;
    for (const b of bufs) bytes += b.length;
    // Common case: the whole batch fits in the current file: one gathered write.
    if (this.handle && this.size + bytes <= this.opts.maxBytes) {
      try {
        await this.handle.writev(bufs);
        this.size += bytes;
      } catch (error) {
        await this.writeFailed(error as Error, batch.reduce<number>((n, e) => n + weight(e), 0));
      }
      return;
    }
    // The batch crosses maxBytes: split it into lines, so the file is rotated exactly at a line boundary.
    const units = batch.flatMap((e, k) => ('buf' in e ? linesOf(e.buf).map((buf) => ({ buf, weight: 1 })) : [{ buf: bufs[k]!, weight: e.dropped }]));
    let i = 0;
    try {
      while (i < units.length) {
        if (this.size > 0 && this.size + units[i]!.buf.length > this.opts.maxBytes) await this.rotate();
        // As many lines as fit in the current file go out in one write (at least one, however long).
        let j = i + 1;
        let size = units[i]!.buf.length;
        while (j < units.length && this.size + size + units[j]!.buf.length <= this.opts.maxBytes) size += units[j++]!.buf.length;
        const handle = this.handle;
        if (!handle) throw new Error('log file is not open');
        await handle.writev(units.slice(i, j).map((u) => u.buf));
        this.size += size;
        i = j;
      }
    } catch (error) {
      // Disk full, folder removed from under us, … : count the rest of this batch as lost, try again later.
      await this.writeFailed(error as Error, units.slice(i).reduce<number>((n, u) => n + u.weight, 0));
    }
  }

  private async writeFailed(error: Error, lines: number): Promise<void> {
    this.lost += lines;
    this.fail(error);
    await this.handle?.close().catch(() => {});
    this.handle = null;
  }

  private marker(m: DropMarker): string {
    const why = m.reason ?? 'the disk did not keep up';
    return formatLogLine({ seq: 0, service: this.opts.name, run: 0, ts: Date.now(), stream: 'system', text: `[hearth] ${m.dropped} log lines were not written (${why})` });
  }

  /** api.log -> api.log.1 -> … -> api.log.{keep}; the rename onto .{keep} deletes the oldest. */
  private async rotate(): Promise<void> {
    await this.handle?.close().catch(() => {});
    this.handle = null;
    const { keep } = this.opts;
    for (let k = keep - 1; k >= 1; k--) await rename(`${this.path}.${k}`, `${this.path}.${k + 1}`).catch(ignoreMissing);
    if (keep >= 1) await rename(this.path, `${this.path}.1`).catch(ignoreMissing);
    else await unlink(this.path).catch(ignoreMissing);
    this.nextOpenAt = 0;
    if (!(await this.open())) throw new Error(this.error ?? 'cannot reopen log file');
  }

  private async open(): Promise<boolean> {
    if (Date.now() < this.nextOpenAt) return false;
    try {
      await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
      // Never through a symlink (a planted `.logs` or `web.log` would send the output elsewhere), never a file of another user.
      assertOwnFolder(this.opts.dir);
      const handle = await open(this.path, APPEND_NOFOLLOW, 0o600).catch((error: unknown) => {
        throw openError(this.path, error);
      });
      try {
        const info = await handle.stat();
        assertOwnFile(this.path, info);
        this.size = info.size;
      } catch (error) {
        await handle.close().catch(() => {});
        throw error;
      }
      this.handle = handle;
      if (this.error !== null) {
        this.error = null;
        this.opts.onRecover?.();
      }
      return true;
    } catch (error) {
      this.fail(error as Error);
      return false;
    }
  }

  private fail(err: Error): void {
    this.nextOpenAt = Date.now() + this.opts.retryMs;
    const message = `cannot write log file ${this.path}: ${err.message}`;
    if (message === this.error) return; // report a failure once, not once per line
    this.error = message;
    this.opts.onError?.(new Error(message, { cause: err }));
  }
}

interface DropMarker {
  dropped: number;
  reason?: string;
}
/** Formatted lines (`lines` of them, each ending with a newline, in `region`), or lines dropped at that point. */
type QueueEntry = { buf: Buffer; lines: number; region: SlabRegion } | DropMarker;

/** How many of the service's lines a queue entry stands for. */
function weight(entry: QueueEntry): number {
  return 'buf' in entry ? entry.lines : entry.dropped;
}

/** Views (no copies) of each line of `buf`, newline included. */
function linesOf(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const nl = buf.indexOf(10, pos);
    const end = nl < 0 ? buf.length : nl + 1;
    out.push(buf.subarray(pos, end));
    pos = end;
  }
  return out;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/**
 * The last `n` lines of a log file, oldest first, continuing into the rotated files (.1, .2, …)
 * when the current one holds fewer. Reads backwards in blocks: cost is O(n), not O(file size).
 */
export async function readTail(path: string, n: number): Promise<string[]> {
  let out: string[] = [];
  for (let k = 0; out.length < n && k < 1000; k++) {
    const lines = await tailOfFile(k === 0 ? path : `${path}.${k}`, n - out.length);
    if (lines === null) {
      if (k > 0) break;
      continue; // no current file (never written, or mid-rotation): the rotated ones may still exist
    }
    out = lines.concat(out); // not unshift(...lines): that overflows the stack for large n
  }
  return out;
}

async function tailOfFile(file: string, want: number): Promise<string[] | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, READ_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const { size } = await handle.stat();
    const blocks: Buffer[] = [];
    let pos = size;
    let newlines = 0;
    // want + 1 newlines: the last one normally just ends the file's final line.
    while (pos > 0 && newlines <= want) {
      const len = Math.min(64 * 1024, pos);
      pos -= len;
      const block = Buffer.alloc(len);
      const { bytesRead } = await handle.read(block, 0, len, pos);
      const got = block.subarray(0, bytesRead);
      for (let at = got.indexOf(10); at >= 0; at = got.indexOf(10, at + 1)) newlines++;
      blocks.unshift(got);
    }
    const lines = Buffer.concat(blocks).toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    // When reading stopped mid-file, lines[0] is a fragment; keeping only `want` leaves it out.
    return lines.slice(Math.max(0, lines.length - want));
  } finally {
    await handle.close().catch(() => {});
  }
}
