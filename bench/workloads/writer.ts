// Log-ingestion workload: prints COUNT lines of exactly 100 bytes (newline included) as fast as the
// reader takes them, in 64 kB writes. Line i starts with i zero-padded to 7 digits, so the last line
// ("0999999 …" for a million) proves the end arrived.
import { writeSync } from 'node:fs';

export const LINE_BYTES = 100;
const FILL = 'the quick brown fox jumps over the lazy dog 0123456789 '.repeat(3);

export function writerLine(i: number): string {
  return `${String(i).padStart(7, '0')} ${FILL}`.slice(0, LINE_BYTES - 1) + '\n';
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (error) {
      // A non-blocking pipe that is full: wait a moment for the reader (rare; pipes are blocking here).
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function main(): void {
  const count = Number(process.argv[2] ?? 1_000_000);
  const perChunk = 640;
  for (let i = 0; i < count; i += perChunk) {
    let chunk = '';
    for (let j = i; j < Math.min(count, i + perChunk); j++) chunk += writerLine(j);
    writeAll(1, Buffer.from(chunk, 'latin1'));
  }
}

if (process.argv[1]?.includes('writer')) main();
