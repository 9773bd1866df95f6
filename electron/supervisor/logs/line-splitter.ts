// Turns a process's raw output chunks into lines. Bytes arrive cut anywhere (even inside a UTF-8
// character); lines are found in the bytes (a newline byte never occurs inside a UTF-8 character) and
// each line is decoded on its own, so a character cut between two chunks is whole again in its line's
// bytes. Memory stays bounded however long a line is: past the cap, the line is emitted cut and the
// rest is discarded up to its newline.
//
// Every line is a string of its own (decoded from its own bytes). Splitting the chunk's decoded text
// instead gives V8 slices, each pinning the whole 64 kB chunk string it came from: a ring that keeps
// one line of each chunk then holds 64 kB per line, and a cut line pins the long text it was cut from.
// A chatty service sends 64 kB chunks of hundreds of lines: the work is one native call per line and
// one array of strings per chunk, no object per line (see BENCHMARKS.md, ingestion). Output is mostly
// ASCII: such a chunk is taken byte for character, and the batch says so, so that the log file can copy
// it instead of encoding it.
import { isAscii } from 'node:buffer';

/** The complete lines of one chunk. */
export interface SplitBatch {
  /** Line texts, without their newline (and without the \r of a \r\n). */
  texts: string[];
  /** Indices into `texts` of lines cut at the cap; almost always empty. */
  truncated: number[];
  /** Every text is ASCII (one byte per character), so encoders may skip UTF-8. */
  ascii: boolean;
}

declare global {
  interface Buffer {
    // What toString('latin1' | 'utf8', start, end) calls, without its argument handling (a sixth of
    // the cost per line here). Undocumented, but on Buffer.prototype in every Node release and Electron.
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}

const NL = 10;
const CR = 13;
const EMPTY = Buffer.alloc(0);

export class LineSplitter {
  /** Bytes of the line being assembled (a copy: never a view that would pin the chunk it came in). */
  private partial: Buffer = EMPTY;
  /** An overlong line was already emitted cut: drop everything up to the next newline. */
  private discarding = false;
  /** pending() of the current partial, decoded once per change. */
  private pendingText: string | null = '';

  constructor(private readonly maxLineBytes: number) {
    if (!(maxLineBytes >= 1)) throw new RangeError(`maxLineBytes must be >= 1, got ${maxLineBytes}`);
  }

  push(chunk: Buffer): SplitBatch {
    const ascii = isAscii(chunk);
    const out: SplitBatch = { texts: [], truncated: [], ascii: ascii && isAscii(this.partial) };
    let pos = 0;
    let nl = chunk.indexOf(NL);
    if (nl >= 0 && (this.partial.length > 0 || this.discarding)) {
      // The first newline ends the line the chunks before began.
      if (this.discarding) this.discarding = false;
      else this.emit(out, Buffer.concat([this.partial, chunk.subarray(0, nl)]), true);
      this.setPartial(EMPTY);
      pos = nl + 1;
      nl = chunk.indexOf(NL, pos);
    }
    const max = this.maxLineBytes;
    const texts = out.texts;
    // The common case, inlined: an ASCII chunk of lines under the cap, each its own latin1 string.
    while (nl >= 0) {
      const end = nl > pos && chunk[nl - 1] === CR ? nl - 1 : nl;
      if (end - pos > max) this.emitCut(out, chunk.subarray(pos, end));
      else texts.push(ascii ? chunk.latin1Slice(pos, end) : chunk.utf8Slice(pos, end));
      pos = nl + 1;
      nl = chunk.indexOf(NL, pos);
    }
    if (pos < chunk.length) this.append(out, chunk.subarray(pos));
    return out;
  }

  /** The line being assembled: output since the last newline (empty while the rest of a cut line is dropped). */
  pending(): string {
    // Up to the last whole character: an incomplete one at the end is not text yet.
    this.pendingText ??= this.partial.utf8Slice(0, completeLength(this.partial));
    return this.pendingText;
  }

  /** End of stream: a last line without a newline (an incomplete character at its end becomes U+FFFD). */
  end(): SplitBatch {
    const out: SplitBatch = { texts: [], truncated: [], ascii: false };
    // No newline ended it: a \r at its end is the line's own (a progress bar's), not half of a \r\n.
    if (!this.discarding && this.partial.length > 0) this.emit(out, this.partial, false);
    this.setPartial(EMPTY);
    this.discarding = false;
    return out;
  }

  /** A line's bytes (newline excluded) as a text of the batch; `crlf`: the newline ended it (drop a \r before it). */
  private emit(out: SplitBatch, bytes: Buffer, crlf: boolean): void {
    let end = bytes.length;
    if (crlf && end > 0 && bytes[end - 1] === CR) end--;
    if (end > this.maxLineBytes) return this.emitCut(out, bytes.subarray(0, end));
    out.texts.push(bytes.utf8Slice(0, end));
  }

  /** A line over the cap: its longest prefix that fits, cut on a character boundary. */
  private emitCut(out: SplitBatch, bytes: Buffer): void {
    out.texts.push(bytes.utf8Slice(0, cutLength(bytes, this.maxLineBytes)));
    out.truncated.push(out.texts.length - 1);
  }

  /** Bytes with no newline in them: kept for the next chunk, unless the line grew past the cap. */
  private append(out: SplitBatch, tail: Buffer): void {
    if (this.discarding) return;
    const size = this.partial.length + tail.length;
    if (size <= this.maxLineBytes) {
      // A copy, so the chunk itself can go (a view would keep all of it alive).
      this.setPartial(ownedCopy(this.partial, tail, size));
      return;
    }
    // Past the cap: emit it cut now, without waiting for its newline, and drop the rest of it.
    const keep = tail.subarray(0, Math.max(0, this.maxLineBytes + 1 - this.partial.length));
    this.emitCut(out, Buffer.concat([this.partial, keep]));
    this.setPartial(EMPTY);
    this.discarding = true;
  }

  private setPartial(bytes: Buffer): void {
    this.partial = bytes;
    this.pendingText = bytes.length === 0 ? '' : null;
  }
}

/**
 * `a` then `b` in a buffer of exactly their size and of its own: Buffer.concat and Buffer.from take
 * small buffers from a shared 8 kB pool, and one kept partial line would keep a whole slab of it.
 */
function ownedCopy(a: Buffer, b: Buffer, size: number): Buffer {
  const out = Buffer.allocUnsafeSlow(size);
  a.copy(out, 0);
  b.copy(out, a.length);
  return out;
}

/**
 * The length of `bytes` without an incomplete UTF-8 character at its end (a lead byte whose
 * continuation bytes have not arrived yet). Invalid bytes count as complete: they decode as U+FFFD.
 */
function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  // A character is at most 4 bytes: look at the last 3 for the start of an unfinished one.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** How many bytes of `bytes` (longer than maxBytes) to keep: at most maxBytes, never half a character. */
function cutLength(bytes: Buffer, maxBytes: number): number {
  let end = Math.min(maxBytes, bytes.length);
  if (end < bytes.length) while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back up to the start of a character
  return end;
}
