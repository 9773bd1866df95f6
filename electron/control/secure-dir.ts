// The socket's folder is what keeps other users out (a Unix socket's own mode is not honoured
// everywhere), so it must be a real folder, ours, and 0700. Clients check the same before they
// connect, and the socket itself: a socket another user put in our place would hear every command
// and every line typed into `hearth attach`.
import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { isNamedPipe } from './socket-path';

/** The control socket (or its folder) is not this user's own: nothing was sent to it. */
export class UntrustedSocketError extends Error {
  override readonly name = 'UntrustedSocketError';
}

const uid = (): number | null => (typeof process.getuid === 'function' ? process.getuid() : null);

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = lstatSync(dir);
  if (!info.isDirectory()) throw new Error(`${dir} is not a folder (a symlink or a file is in the way of the control socket)`);
  if (uid() !== null && info.uid !== uid()) {
    throw new Error(`${dir} belongs to another user (uid ${info.uid}); refusing to put the control socket there`);
  }
  if ((info.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

function problemWith(path: string, info: Stats, kind: 'folder' | 'socket', modes: boolean): string | null {
  if (info.isSymbolicLink()) return `${path} is a symlink`;
  if (kind === 'folder' ? !info.isDirectory() : !info.isSocket()) return `${path} is not a ${kind}`;
  const me = uid();
  if (me === null) return null; // Windows: named pipes, no modes
  if (info.uid !== me) return `${path} belongs to another user (uid ${info.uid}, you are uid ${me})`;
  if (modes && (info.mode & 0o077) !== 0) return `${path} is open to other users (mode ${(info.mode & 0o777).toString(8)}; it must be ${kind === 'folder' ? '700' : '600'})`;
  return null;
}

/**
 * Before connecting: the socket and its folder must be ours and private. 'missing' when either does
 * not exist (nobody runs the stack); throws UntrustedSocketError when either belongs to someone else or
 * (with `modes`, the default) is open to them. The liveness probe passes `modes: false`: it only
 * connects, and must still recognise a stale socket of ours whatever its mode, to replace it.
 */
export function checkSocketTrust(socketPath: string, { modes = true }: { modes?: boolean } = {}): 'ok' | 'missing' {
  // A Windows named pipe has no folder or file mode to look at (its ACL is the pipe server's business):
  // connecting says whether it exists.
  if (isNamedPipe(socketPath)) return 'ok';
  for (const [path, kind] of [
    [dirname(socketPath), 'folder'],
    [socketPath, 'socket'],
  ] as const) {
    let info: Stats;
    try {
      info = lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
      throw error;
    }
    const problem = problemWith(path, info, kind, modes);
    if (problem) throw new UntrustedSocketError(`refusing to talk to the control socket ${socketPath}: ${problem}; someone else may be listening there`);
  }
  return 'ok';
}
