// When a stream stops in the middle of a line, tell it: a debugger's "(Pdb) " or a REPL's "> " waits for
// input with no newline after it, and lines alone would never show it (`hearth attach` needs it). Told
// once the stream has been quiet for PENDING_QUIET_MS, so a chatty service, whose chunks end mid-line all
// the time, costs one timer per PENDING_QUIET_MS and no event; and only what was added since it was last told, so a
// progress bar redrawn without newlines does not resend its whole line each time.
import type { Clock, Timer } from '../clock';

/** How long a stream must be quiet, mid-line, before its unfinished line is told. */
export const PENDING_QUIET_MS = 100;

export class PendingLineWatch {
  private timer: Timer | null = null;
  /** When the last chunk came. */
  private lastChunkAt = 0;
  /** Characters of the current unfinished line already told. */
  private told = 0;

  constructor(
    private readonly clock: Clock,
    /** The unfinished line as it stands (LineSplitter.pending). */
    private readonly read: () => string,
    private readonly tell: (offset: number, text: string) => void,
  ) {}

  /** After each chunk. `ended`: it finished at least one line, so the unfinished one is a new line. */
  chunk(ended: boolean): void {
    if (ended) this.told = 0;
    this.lastChunkAt = this.clock.now();
    if (this.timer === null && this.read().length > this.told) this.arm(PENDING_QUIET_MS);
  }

  /** The stream ended (the process exited): its last line is flushed as a line, nothing more to tell. */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.told = 0;
  }

  private arm(ms: number): void {
    this.timer = this.clock.after(ms, () => this.fire());
  }

  private fire(): void {
    this.timer = null;
    const text = this.read();
    if (text.length <= this.told) return; // nothing new: the line ended, or nothing was added
    const quiet = this.clock.now() - this.lastChunkAt;
    if (quiet < PENDING_QUIET_MS) return this.arm(PENDING_QUIET_MS - quiet); // still talking: wait for a quiet moment
    this.tell(this.told, text.slice(this.told));
    this.told = text.length;
  }
}
