// `hearth up`'s log lines formatted a batch at a time: exactly what formatLogLine gives line by line,
// at a fraction of the cost. A batch is mostly runs of one service's lines of one stream (one output
// chunk each); a run is its prefix once, then the texts joined with "\n" + prefix: one native join per
// run instead of a sanitize, a colour and four concatenations per line. Prefixes are kept per service
// and stream until the name column's width changes. A run that needs sanitizing (a control character
// anywhere in it: \r, an escape sequence, a bidi control) or carries a cut line is formatted line by line.
import type { LogLine } from '../../shared/types';
import type { Palette } from './color';
import { BIDI_CONTROL } from '../../shared/bidi';
import { formatClockMs } from '../../shared/format-clock';
import { padName, SYSTEM_PREFIX, sanitizeLogText } from './format';

// What sanitizeLogText changes: any control character but tab and newline (\r and ESC among them), and
// the bidi controls it shows as marks.
const NEEDS_SANITIZING = new RegExp(`[\\x00-\\x08\\x0b-\\x1f\\x7f]|${BIDI_CONTROL.source}`);

export class LogBlockFormatter {
  private width = -1;
  /** `${stream} ${service}` -> what precedes the text (the time excepted). */
  private readonly prefixes = new Map<string, string>();
  private stampedAt = Number.NaN;
  private stampText = '';

  constructor(
    private readonly palette: Palette,
    private readonly timestamps = false,
  ) {}

  /** The lines as formatLogLine formats them, each ending with a newline, as one string. */
  format(lines: readonly LogLine[], width: number): string {
    if (width !== this.width) {
      this.width = width;
      this.prefixes.clear();
    }
    let out = '';
    for (let i = 0; i < lines.length; ) {
      const first = lines[i]!;
      let j = i + 1;
      while (j < lines.length && this.sameRun(first, lines[j]!)) j++;
      out += this.run(lines, i, j);
      i = j;
    }
    return out;
  }

  /** Lines i..j-1, one service, stream (and time, with timestamps). */
  private run(lines: readonly LogLine[], i: number, j: number): string {
    const first = lines[i]!;
    const prefix = (this.timestamps ? this.stamp(first.ts) : '') + this.prefixOf(first);
    const texts = new Array<string>(j - i);
    let cut = false;
    for (let k = i; k < j; k++) {
      texts[k - i] = lines[k]!.text;
      if (lines[k]!.truncated) cut = true;
    }
    const glue = `\n${prefix}`;
    let body = texts.join(glue);
    if (cut || NEEDS_SANITIZING.test(body)) {
      for (let k = i; k < j; k++) texts[k - i] = this.text(lines[k]!);
      body = texts.join(glue);
    }
    return `${prefix}${body}\n`;
  }

  private sameRun(a: LogLine, b: LogLine): boolean {
    return a.service === b.service && a.stream === b.stream && (!this.timestamps || a.ts === b.ts);
  }

  /** A line's text as formatLogLine shows it. */
  private text(line: LogLine): string {
    const body = sanitizeLogText(line.text, this.palette.enabled);
    return line.truncated ? `${body} ${this.palette.dim('[truncated]')}` : body;
  }

  private prefixOf(line: LogLine): string {
    const key = `${line.stream} ${line.service}`;
    let prefix = this.prefixes.get(key);
    if (prefix === undefined) {
      const { palette, width } = this;
      if (line.stream === 'system') prefix = `${palette.bold(padName(SYSTEM_PREFIX, width))} | ${palette.service(line.service)(line.service)}: `;
      else {
        const name = palette.service(line.service)(padName(line.service, width));
        prefix = line.stream === 'stderr' ? `${name} ${palette.enabled ? palette.red('|') : '!'} ` : `${name} | `;
      }
      this.prefixes.set(key, prefix);
    }
    return prefix;
  }

  /** --timestamps: the time of day; the lines of one output chunk share it. */
  private stamp(ts: number): string {
    if (ts !== this.stampedAt) {
      this.stampedAt = ts;
      this.stampText = `${this.palette.dim(formatClockMs(ts))} `;
    }
    return this.stampText;
  }
}
