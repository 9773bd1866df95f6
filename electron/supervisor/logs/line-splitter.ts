// Turns a process's raw output chunks into lines. Bytes arrive cut anywhere (even inside a UTF-8
// character), so decoding goes through one StringDecoder per stream. Memory stays bounded however
// long a line is: past the cap, the line is emitted cut and the rest is discarded up to its newline.
//
// A chatty service sends 64 kB chunks of hundreds of lines, so the work is per chunk: one native
// split() per chunk and one array of strings out, no object per line (see BENCHMARKS.md, ingestion).
// Output is mostly ASCII: such a chunk is taken byte for character, without UTF-8 decoding, and the
// batch says so, so that the log file can copy it instead of encoding it.
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/** The complete lines of one chunk. */
export interface SplitBatch {
  /** Line texts, without their newline (and without the \r of a \r\n). */
  texts: string[];
  /** Indices into `texts` of lines cut at the cap; almost always empty. */
  truncated: number[];
  /** Every text is ASCII (one byte per character), so encoders may skip UTF-8. */
  ascii: boolean;
}

export class LineSplitter {
  private decoder = new StringDecoder('utf8'); // invalid bytes become U+FFFD
  /** Text of the line being assembled (never much more than maxLineBytes). */
  private partial = '';
  private partialBytes = 0;
  /** An overlong line was already emitted cut: drop everything up to the next newline. */
  private discarding = false;
  /** The last chunk decoded ended inside a multi-byte character, or may have. */
  private decoderMayHold = false;
  /** `partial` is all ASCII. */
  private partialAscii = true;

  constructor(private readonly maxLineBytes: number) {
    if (!(maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be >= 1, got ${maxLineBytes}`);
  }

  push(chunk: Buffer): SplitBatch {
    // Most output is ASCII: one byte is one character, so it needs no UTF-8 decoding. Only when the
    // decoder cannot be holding part of a character from the chunk before (that chunk ended in ASCII).
    if (!this.decoderMayHold && isAscii(chunk)) return this.take(chunk.toString('latin1'), true);
    this.decoderMayHold = chunk.length > 0 && chunk[chunk.length - 1]! >= 0x80;
    return this.take(this.decoder.write(chunk), false);
  }

  /** The line being assembled: output since the last newline (empty while the rest of a cut line is dropped). */
  pending(): string {
    return this.discarding ? '' : this.partial;
  }

  /** End of stream: flushes an incomplete character (as U+FFFD) and a last line without a newline. */
  end(): SplitBatch {
    const out = this.take(this.decoder.end(), false);
    if (!this.discarding && this.partial.length > 0) out.texts.push(this.partial);
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.partialBytes = 0;
    this.discarding = false;
    this.decoderMayHold = false;
    this.partialAscii = true;
    return out;
  }

  private take(text: string, ascii: boolean): SplitBatch {
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      const out: SplitBatch = { texts: [], truncated: [], ascii: false };
      this.append(text, out, ascii);
      return out;
    }
    // One split for the whole chunk. The partial line is joined to the first piece only: joining it to
    // the chunk's text would make a cons string that split() first copies flat (the whole chunk again).
    const texts = (last + 1 === text.length ? text : text.slice(0, last + 1)).split('\n');
    texts.pop(); // the '' after the chunk's last newline
    const allAscii = ascii && this.partialAscii;
    if (this.partial.length > 0) texts[0] = this.partial + texts[0]!;
    if (this.discarding) {
      texts.shift(); // the tail of an overlong line, emitted cut when it hit the cap
      this.discarding = false;
    }
    this.partial = '';
    this.partialBytes = 0;
    this.partialAscii = true;
    const out: SplitBatch = { texts, truncated: [], ascii: allAscii };
    // A UTF-16 unit is at most 3 UTF-8 bytes: most lines are cleared without counting bytes.
    const safe = Math.floor(this.maxLineBytes / 3);
    for (let i = 0; i < texts.length; i++) {
      let line = texts[i]!;
      if (line.charCodeAt(line.length - 1) === 13) texts[i] = line = line.slice(0, -1); // \r\n; a bare \r elsewhere stays (progress bars)
      if (line.length > safe) {
        const cut = cap(line, this.maxLineBytes);
        texts[i] = cut.text;
        if (cut.truncated) out.truncated.push(i);
      }
    }
    if (last + 1 < text.length) this.append(text.slice(last + 1), out, ascii);
    return out;
  }

  /** Text with no newline in it: keep it for the next chunk, unless the line grew past the cap. */
  private append(segment: string, out: SplitBatch, ascii: boolean): void {
    if (this.discarding) return;
    this.partialAscii &&= ascii;
    // More than maxLineBytes units are more than maxLineBytes bytes: the tail beyond can never be kept.
    const kept = segment.length > this.maxLineBytes ? segment.slice(0, this.maxLineBytes + 1) : segment;
    this.partial += kept;
    // partialBytes is an upper bound (3 bytes per unit), made exact only when it passes the cap.
    this.partialBytes += kept.length * 3;
    if (this.partialBytes <= this.maxLineBytes) return;
    if (Buffer.byteLength(this.partial) > this.maxLineBytes) {
      const cut = cap(this.partial, this.maxLineBytes);
      out.texts.push(cut.text);
      out.truncated.push(out.texts.length - 1);
      out.ascii &&= this.partialAscii;
      this.partial = '';
      this.partialAscii = true;
      this.discarding = true;
    }
    this.partialBytes = Buffer.byteLength(this.partial);
  }
}

/** `line` if it fits in maxBytes of UTF-8, else its longest prefix that does, cut on a character boundary. */
function cap(line: string, maxBytes: number): { text: string; truncated: boolean } {
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
