// Turns a process's raw output chunks into lines. Bytes arrive cut anywhere (even inside a UTF-8
// character), so decoding goes through one StringDecoder per stream. Memory stays bounded however
// long a line is: past the cap, the line is emitted cut and the rest is discarded up to its newline.
import { StringDecoder } from 'node:string_decoder';

export interface SplitLine {
  text: string;
  truncated: boolean;
}

export class LineSplitter {
  private decoder = new StringDecoder('utf8'); // invalid bytes become U+FFFD
  /** Text of the line being assembled (never much more than maxLineBytes). */
  private partial = '';
  private partialBytes = 0;
  /** An overlong line was already emitted cut: drop everything up to the next newline. */
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {
    if (!(maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be >= 1, got ${maxLineBytes}`);
  }

  push(chunk: Buffer): SplitLine[] {
    return this.take(this.decoder.write(chunk));
  }

  /** End of stream: flushes an incomplete character (as U+FFFD) and a last line without a newline. */
  end(): SplitLine[] {
    const out = this.take(this.decoder.end());
    if (!this.discarding && this.partial.length > 0) out.push({ text: this.partial, truncated: false });
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.partialBytes = 0;
    this.discarding = false;
    return out;
  }

  private take(text: string): SplitLine[] {
    const out: SplitLine[] = [];
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) {
        this.append(text.slice(pos), out);
        break;
      }
      if (this.discarding) {
        this.discarding = false; // the overlong line ends here; it was emitted when it hit the cap
      } else {
        let line = this.partial + text.slice(pos, nl);
        if (line.endsWith('\r')) line = line.slice(0, -1); // \r\n; a bare \r elsewhere stays (progress bars)
        this.partial = '';
        this.partialBytes = 0;
        // A UTF-16 unit is at most 3 UTF-8 bytes: most lines are cleared without counting bytes.
        out.push(line.length * 3 <= this.maxLineBytes ? { text: line, truncated: false } : cap(line, this.maxLineBytes));
      }
      pos = nl + 1;
    }
    return out;
  }

  /** Text with no newline in it: keep it for the next chunk, unless the line grew past the cap. */
  private append(segment: string, out: SplitLine[]): void {
    if (this.discarding) return;
    // More than maxLineBytes units are more than maxLineBytes bytes: the tail beyond can never be kept.
    const kept = segment.length > this.maxLineBytes ? segment.slice(0, this.maxLineBytes + 1) : segment;
    this.partial += kept;
    // partialBytes is an upper bound (3 bytes per unit), made exact only when it passes the cap.
    this.partialBytes += kept.length * 3;
    if (this.partialBytes <= this.maxLineBytes) return;
    if (Buffer.byteLength(this.partial) > this.maxLineBytes) {
      out.push(cap(this.partial, this.maxLineBytes));
      this.partial = '';
      this.discarding = true;
    }
    this.partialBytes = Buffer.byteLength(this.partial);
  }
}

/** `line` if it fits in maxBytes of UTF-8, else its longest prefix that does, cut on a character boundary. */
function cap(line: string, maxBytes: number): SplitLine {
  // A UTF-16 unit is at least one UTF-8 byte, so maxBytes units always hold the whole cut.
  let text = line.length > maxBytes ? line.slice(0, maxBytes) : line;
  const code = text.charCodeAt(text.length - 1);
  if (code >= 0xd800 && code <= 0xdbff) text = text.slice(0, -1); // never split a surrogate pair
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: text.length < line.length };
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // back up to the start of a character
  return { text: bytes.toString('utf8', 0, end), truncated: true };
}
