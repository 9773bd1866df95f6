// The stdout and stderr of one process run: each split into lines, each watched for an unfinished line
// that stays unfinished (a prompt), which is told apart from the lines.
import type { OutputStream } from '../../../shared/types';
import type { Clock } from '../clock';
import { LineSplitter, type SplitBatch } from './line-splitter';
import { PendingLineWatch } from './pending-line';

export const OUTPUT_STREAMS: readonly OutputStream[] = ['stdout', 'stderr'];

export class RunOutput {
  private readonly splitters: Record<OutputStream, LineSplitter>;
  private readonly watches: Record<OutputStream, PendingLineWatch>;

  constructor(maxLineBytes: number, clock: Clock, onPartial: (stream: OutputStream, offset: number, text: string) => void) {
    this.splitters = { stdout: new LineSplitter(maxLineBytes), stderr: new LineSplitter(maxLineBytes) };
    const watch = (stream: OutputStream): PendingLineWatch =>
      new PendingLineWatch(clock, () => this.splitters[stream].pending(), (offset, text) => onPartial(stream, offset, text));
    this.watches = { stdout: watch('stdout'), stderr: watch('stderr') };
  }

  /** The complete lines of one chunk. */
  push(stream: OutputStream, chunk: Buffer): SplitBatch {
    const batch = this.splitters[stream].push(chunk);
    this.watches[stream].chunk(batch.texts.length > 0);
    return batch;
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
