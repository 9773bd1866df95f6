// Reading the files the systems under test write, while they write them.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The size of `path` in bytes, 0 while it does not exist. */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The last `bytes` of `path` as latin1 text ('' while it does not exist). */
export function tailText(path: string, bytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = statSync(path).size;
    const buf = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}
