// The stdout and stderr of one process run: each split into lines, each watched for an unfinished line
// that stays unfinished (a prompt), which is told apart from the lines.
//
// One pipe may have several writers (a script and what it starts, a server and its workers), and a line
// one of them left without a newline must not be glued to the next line of another. Writers cannot be
// told apart in a pipe, so the line is ended where the writer has most likely changed: when the main
// process exits (breakLines), and when a partial line has been quiet for the prompt time and a chunk
// with a line of its own arrives (not a `\r` redraw, which continues its line: a progress bar).
import type { OutputStream } from '../../../shared/types';
import type { Clock } from '../clock';
import { LineSplitter, type SplitBatch } from './line-splitter';
import { PENDING_QUIET_MS, PendingLineWatch } from './pending-line';

export const OUTPUT_STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

export class RunOutput {
  private readonly splitters: Record<OutputStream, LineSplitter>;
  private readonly watches: Record<OutputStream, PendingLineWatch>;
  /** When each stream's last chunk came. */
  private readonly lastChunkAt: Record<OutputStream, number> = { stdout: 0, stderr: 0 };

  constructor(
    maxLineBytes: number,
    private readonly clock: Clock,
    onPartial: (stream: OutputStream, offset: number, text: string) => void,
  ) {
    this.splitters = { stdout: new LineSplitter(maxLineBytes), stderr: new LineSplitter(maxLineBytes) };
    const watch = (stream: OutputStream): PendingLineWatch =>
      new PendingLineWatch(clock, () => this.splitters[stream].pending(), (offset, text) => onPartial(stream, offset, text));
    this.watches = { stdout: watch('stdout'), stderr: watch('stderr') };
  }

  /** The complete lines of one chunk (a stale partial line first, ended, when the chunk starts another). */
  push(stream: OutputStream, chunk: Buffer): SplitBatch {
    const now = this.clock.now();
    const stale = now - this.lastChunkAt[stream] >= PENDING_QUIET_MS && this.splitters[stream].pending().length > 0 && chunk[0] !== CR && chunk.includes(LF);
    this.lastChunkAt[stream] = now;
    const ended = stale ? this.end(stream) : null;
    const batch = this.splitters[stream].push(chunk);
    this.watches[stream].chunk(batch.texts.length > 0);
    return ended ? joinBatches(ended, batch) : batch;
  }

  /** The main process exited: each stream's unfinished line is a line of its own (what follows is another writer's). */
  breakLines(): Array<{ stream: OutputStream; batch: SplitBatch }> {
    return OUTPUT_STREAMS.filter((stream) => this.splitters[stream].pending().length > 0).map((stream) => ({ stream, batch: this.end(stream) }));
  }

  /** The stream closed: its last line, even without a newline. */
  end(stream: OutputStream): SplitBatch {
    this.watches[stream].stop();
    return this.splitters[stream].end();
  }

  /** The unfinished line of each stream that has one, as it stands. */
  pending(): Array<{ stream: OutputStream; text: string }> {
    return OUTPUT_STREAMS.map((stream) => ({ stream, text: this.splitters[stream].pending() })).filter((p) => p.text.length > 0);
  }
}

const CR = 0x0d;
const LF = 0x0a;

function joinBatches(a: SplitBatch, b: SplitBatch): SplitBatch {
  if (a.texts.length === 0) return b;
  return { texts: [...a.texts, ...b.texts], truncated: [...a.truncated, ...b.truncated.map((i) => i + a.texts.length)], ascii: a.ascii && b.ascii };
}
