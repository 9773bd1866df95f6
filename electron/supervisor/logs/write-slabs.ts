// Memory for the log file's encoded lines: a chunk's lines are encoded into a region of a reused slab
// instead of a Buffer of their own. A fresh 85 kB Buffer per 64 kB output chunk is fresh malloc'd
// memory each time (freed only when V8 collects the Buffer object, long after its write): page faults
// and zeroing by the kernel that cost more than encoding the lines (measured: 45 ns a line into a reused
// buffer, 75-200 ns into a fresh one). A slab is reused once every region in it has been written.
//
// A file holds at most the slabs its queue and the write in flight need (both bounded by the queue's
// bound), and none once it has written everything: an idle service holds no slab. Slabs a file gives
// back go to one small pool shared by every file of the process (at most POOL_SLABS of them).

/** Size of a slab: several chunks of encoded lines (a 64 kB chunk of short lines is ~85 kB). */
export const SLAB_BYTES = 256 * 1024;
/** Slabs kept for reuse by the whole process: 1 MiB. */
const POOL_SLABS = 4;
const pool: Buffer[] = [];

/** Slabs in the shared pool (for tests). */
export function pooledSlabs(): number {
  return pool.length;
}

class Slab {
  used = 0;
  /** Regions handed out and not yet released. */
  refs = 0;
  constructor(readonly buf: Buffer) {}
}

/** A region of a slab, released once its bytes are written (or dropped). */
export interface SlabRegion {
  buf: Buffer;
  slab: Slab;
}

export class SlabArena {
  private current: Slab | null = null;

  /** `size` bytes to encode into, valid until `release`. */
  take(size: number): SlabRegion {
    let slab = this.current;
    if (!slab || slab.used + size > slab.buf.length) {
      if (slab) this.retire(slab);
      slab = new Slab(size <= SLAB_BYTES ? (pool.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES)) : Buffer.allocUnsafeSlow(size));
      this.current = slab;
    }
    const buf = slab.buf.subarray(slab.used, slab.used + size);
    slab.used += size;
    slab.refs++;
    return { buf, slab };
  }

  /** The region's bytes were written (or dropped): its slab may be reused once all its regions are. */
  release(region: SlabRegion): void {
    const slab = region.slab;
    if (--slab.refs > 0) return;
    if (slab === this.current) slab.used = 0; // nothing of it is pending: fill it again from the start
    else giveBack(slab);
  }

  /** Nothing is pending (everything written): keep no slab while idle. */
  idle(): void {
    const slab = this.current;
    if (!slab || slab.refs > 0) return;
    this.current = null;
    giveBack(slab);
  }

  private retire(slab: Slab): void {
    this.current = null;
    if (slab.refs === 0) giveBack(slab);
    // else: its last release() gives it back (it is no longer current)
  }
}

function giveBack(slab: Slab): void {
  if (slab.buf.length === SLAB_BYTES && pool.length < POOL_SLABS) pool.push(slab.buf);
}
