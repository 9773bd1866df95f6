// What `hearth attach` puts on the terminal: whole lines, and an unfinished line (a debugger's "(Pdb) ")
// as soon as the service told it, with the rest of that line added when the line ends, as the service's
// own terminal would show it. No I/O here: it writes through `out`, so every case is unit-tested.
import type { LogLine, PartialLine } from '../../shared/types';

export interface AttachOutput {
  /** Whole lines (a newline after each). */
  lines(lines: readonly LogLine[], format: (line: LogLine) => string): void;
  /** Text as it is, no newline added. */
  text(text: string): void;
}

/** The unfinished line on the screen. */
interface OpenLine {
  stream: PartialLine['stream'];
  run: number;
  /** Its text so far, as shown; null when only a piece of it was (attached in its middle). */
  text: string | null;
  /** The cursor is no longer right after it: the user typed a line (the terminal echoed it and its Enter). */
  moved: boolean;
}

export class AttachPrinter {
  private open: OpenLine | null = null;

  constructor(
    private readonly out: AttachOutput,
    /** A whole line with its prefix ("api | …"), no newline. */
    private readonly format: (line: LogLine) => string,
    /** Text that goes on after what is shown, made safe for a terminal as `format` makes a line's text. */
    private readonly clean: (text: string) => string,
  ) {}

  lines(lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    let rest = lines;
    const open = this.open;
    if (open) {
      this.open = null;
      const first = lines[0]!;
      if (open.text !== null && first.stream === open.stream && first.run === open.run && first.text.startsWith(open.text)) {
        // The line it began has ended: only its rest is new.
        const tail = { ...first, text: first.text.slice(open.text.length) };
        // Ended as it stood (the prompt was answered: the service's next line is a line of its own).
        if (tail.text === '' && !first.truncated) {
          if (!open.moved) this.out.text('\n');
        } else if (open.moved) this.out.lines([tail], this.format);
        else if (tail.text.includes('\r')) this.out.text(`\r${this.format(first)}\n`); // redrawn: the whole line again, over itself
        else this.out.text(`${this.clean(tail.text)}${first.truncated ? ' [truncated]' : ''}\n`);
        rest = lines.slice(1);
      } else if (!open.moved) {
        this.out.text('\n'); // another line comes between: end ours on the screen; it will come whole
      }
    }
    if (rest.length > 0) this.out.lines(rest, this.format);
  }

  partial(partial: PartialLine): void {
    const open = this.open;
    if (open && open.text !== null && open.stream === partial.stream && open.run === partial.run && partial.offset <= open.text.length) {
      const added = partial.text.slice(open.text.length - partial.offset);
      if (added.length === 0) return; // told already (the history had it)
      open.text += added;
      if (open.moved) this.out.text(this.format(line(partial, added)));
      // A progress bar redraws its line with \r: so does the screen, with the line as it stands now.
      else if (added.includes('\r')) this.out.text(`\r${this.format(line(partial, open.text))}`);
      else this.out.text(this.clean(added));
      open.moved = false;
      return;
    }
    if (open && !open.moved) this.out.text('\n');
    // A line begun on the screen: with its prefix, like any line, without the newline.
    this.out.text(this.format(line(partial, partial.text)));
    this.open = { stream: partial.stream, run: partial.run, text: partial.offset === 0 ? partial.text : null, moved: false };
  }

  /** The user typed a line: their terminal echoed it and moved to the next line. */
  typed(): void {
    if (this.open) this.open.moved = true;
  }
}

function line(partial: PartialLine, text: string): LogLine {
  return { seq: 0, service: partial.service, run: partial.run, ts: 0, stream: partial.stream, text };
}
