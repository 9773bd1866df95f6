// The socket's folder is what keeps other users out (a Unix socket's own mode is not honoured
// everywhere), so it must be a real folder, ours, and 0700.
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  if (!info.isDirectory()) throw new Error(`${dir} is not a folder (a symlink or a file is in the way of the control socket)`);
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new Error(`${dir} belongs to another user (uid ${info.uid}); refusing to put the control socket there`);
  }
  if ((info.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}
