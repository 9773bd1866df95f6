// Encodes strings to UTF-8 into large preallocated buffers and hands out views of them.
// Buffer.from(string) allocates a fresh ArrayBuffer for every chunk of a chatty service's output
// (~85 kB each, hundreds per second); that allocation, not the encoding, was most of the cost of
// writing logs (BENCHMARKS.md, ingestion). A slab is dropped (and collected once every view of it is
// written and released) when the next string does not fit; views never overlap.
export class Utf8Slab {
  private slab: Buffer;
  private used = 0;

  constructor(private readonly slabBytes = 1024 * 1024) {
    this.slab = Buffer.allocUnsafe(slabBytes);
  }

  encode(text: string): Buffer {
    // A UTF-16 unit is at most 3 bytes of UTF-8: room for 3 × length is always enough.
    const worst = text.length * 3;
    if (worst > this.slabBytes / 4) return Buffer.from(text); // large strings: a slab would waste more than it saves
    if (this.used + worst > this.slabBytes) {
      this.slab = Buffer.allocUnsafe(this.slabBytes);
      this.used = 0;
    }
    const start = this.used;
    this.used += this.slab.write(text, start);
    return this.slab.subarray(start, this.used);
  }
}
