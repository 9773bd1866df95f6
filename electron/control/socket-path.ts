// Where a stack's control socket lives. Deterministic from the stack folder and the user's environment,
// so every client (`hearth status`, `hearth down`, the Electron app) finds the instance without any registry.
// A short stack path keeps it in `<stack>/.hearth/`; a long one needs a short folder elsewhere that no
// other user can claim first: the per-user runtime folder ($XDG_RUNTIME_DIR, made by systemd-logind,
// 0700), else a temp folder that is the user's own (macOS: TMPDIR is /var/folders/…/T, per user), else
// `/tmp/hearth-<uid>`, checked; if another user made that one first, a folder in the home directory.
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * sun_path limits: 104 bytes on macOS/BSD, 108 on Linux (both including the NUL). Use the smaller
 * everywhere so a stack folder behaves the same on both.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

type Env = Readonly<Record<string, string | undefined>>;

export function controlSocketPath(stackDir: string, env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return namedPipePath(stackDir);
  const preferred = join(stackDir, '.hearth', 'control.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  return fallbackSocketPath(stackDir, env);
}

/**
 * Windows has no Unix sockets in a folder to protect with file modes: the control channel is a named pipe,
 * `\\.\pipe\hearth-<user>-<sha256(stackDir)[0:16]>`, per user and stable for a folder. (A stack folder's
 * path is compared as given: the same folder spelled with another case is another pipe.)
 */
export function namedPipePath(stackDir: string, user = currentUser()): string {
  const digest = createHash('sha256').update(stackDir).digest('hex').slice(0, 16);
  // Pipe names may hold any character but a backslash; keep the user part to plain ones.
  return `\\\\.\\pipe\\hearth-${user.replace(/[^A-Za-z0-9._-]/g, '_')}-${digest}`;
}

/** Whether a control path is a Windows named pipe (no file to chmod, stat or unlink). */
export function isNamedPipe(path: string): boolean {
  return path.startsWith('\\\\.\\pipe\\');
}

function currentUser(): string {
  try {
    return userInfo().username || 'user';
  } catch {
    return process.env.USERNAME ?? 'user';
  }
}

/** `<folder>/<sha256(stackDir)[0:16]>.sock`: short, per user, stable for a folder. */
export function fallbackSocketPath(stackDir: string, env: Env = process.env): string {
  const digest = createHash('sha256').update(stackDir).digest('hex').slice(0, 16);
  return join(fallbackSocketDir(env), `${digest}.sock`);
}

/** The folder for sockets of long stack paths (see the top of this file for the order). */
export function fallbackSocketDir(env: Env = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && isAbsolute(xdg) && isPrivateFolder(xdg)) return join(xdg, 'hearth');
  const tmp = env.TMPDIR ? resolve(env.TMPDIR) : tmpdir();
  if (isPrivateFolder(tmp)) return join(tmp, 'hearth');
  const shared = join(tmp, `hearth-${currentUid()}`);
  if (!claimedByAnother(shared)) return shared;
  // Someone else made /tmp/hearth-<uid> to lock us out or to listen in our place: never use it.
  return join(env.HOME ? resolve(env.HOME) : homedir(), '.cache', 'hearth', 'run');
}

export function currentUid(): number | string {
  // process.getuid is missing on Windows; named pipes there do not use this path anyway.
  return typeof process.getuid === 'function' ? process.getuid() : 'user';
}

/** A real folder of this user that nobody else may enter (mode 0700 or tighter). */
function isPrivateFolder(dir: string): boolean {
  try {
    const info = lstatSync(dir);
    return info.isDirectory() && info.uid === process.getuid?.() && (info.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** Something exists at `path` that is not a folder of ours (another user's folder, a file, a symlink). */
function claimedByAnother(path: string): boolean {
  try {
    const info = lstatSync(path);
    return !info.isDirectory() || (typeof process.getuid === 'function' && info.uid !== process.getuid());
  } catch {
    return false;
  }
}
