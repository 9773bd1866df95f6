// Trusting `.hearth/`. A stack in a folder others can write to (a checkout in /tmp, /var/tmp, a shared
// drive) lets another local user create `<stack>/.hearth` first and plant symlinks and forged state in
// it: Hearth would follow a `.gitignore` symlink and write where it points, kill the pids a forged
// `pids.json` names, append service output to a file a `.logs/web.log` symlink points at. So, before
// anything in it is read or written, `.hearth` must be a real folder of this user, private to them;
// every folder below it is checked the same way as it is made, files are opened without following a
// symlink and checked after opening (fstat, so the check is about the very file opened), and new files
// get unpredictable temp names created exclusively.
// Windows: no uids and no O_NOFOLLOW; the checks that need them are skipped there (the folder's ACL,
// inherited from the user profile, is what keeps others out).
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** `.hearth` (or something in it) is not this user's: nothing was read or written. */
export class UntrustedStateError extends Error {
  override readonly name = 'UntrustedStateError';
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export function myUid(): number | null {
  return typeof process.getuid === 'function' ? process.getuid() : null;
}

function ownerText(info: Stats): string {
  return `uid ${info.uid}`;
}

/** Why `info` (an lstat of `path`) is not a folder of ours, or null when it is. */
function folderProblem(path: string, info: Stats): string | null {
  if (info.isSymbolicLink()) return `${path} is a symlink; Hearth does not follow symlinks for its own state`;
  if (!info.isDirectory()) return `${path} is not a folder`;
  const uid = myUid();
  if (uid !== null && info.uid !== uid) {
    return `${path} belongs to another user (${ownerText(info)}, you are uid ${uid}): someone else made it, so nothing in it can be trusted`;
  }
  return null;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The stack's state folder, checked before anything in it is touched: a real folder (not a symlink),
 * owned by this user, that nobody else could write to (one that others could write to may hold what
 * they planted: refused, for the user to look at), and private (0700; a readable one is tightened).
 * Made when missing and `create` is set. Returns false when it does not exist (and was not made).
 */
export function ensureStateDir(dir: string, { create }: { create: boolean }): boolean {
  let info = lstatOrNull(dir);
  if (!info) {
    if (!create) return false;
    try {
      // Not recursive: the stack folder exists (its file was just read), and only the last step is ours to make.
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    info = lstatSync(dir);
  }
  const problem = folderProblem(dir, info);
  if (problem) throw new UntrustedStateError(`${problem}. Remove it (or ask its owner to) and start again.`);
  if (myUid() === null) return true;
  if ((info.mode & 0o022) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw new UntrustedStateError(
      `${dir} is writable by other users (mode ${mode}): someone else may have put things in it. Look inside, then \`chmod 700 ${dir}\` (or remove it) and start again.`,
    );
  }
  if ((info.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return true;
}

/** Throws unless `dir` is inside `root` (a resolved path, no `..`). */
function assertInside(root: string, dir: string): string[] {
  const rel = relative(root, dir);
  if (rel === '') return [];
  if (rel.startsWith('..') || resolve(root, rel) !== resolve(dir)) throw new Error(`${dir} is not inside ${root}`);
  return rel.split(sep);
}

/**
 * `mkdir -p root/…/dir` where `root` was checked by ensureStateDir: each folder on the way is made 0700
 * or, when it exists, must be a real folder of ours. A symlink anywhere below `root` is refused.
 */
export function ensureDirUnder(root: string, dir: string): void {
  let at = root;
  for (const part of assertInside(root, dir)) {
    at = join(at, part);
    let info = lstatOrNull(at);
    if (!info) {
      try {
        mkdirSync(at, { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      info = lstatSync(at);
    }
    const problem = folderProblem(at, info);
    if (problem) throw new UntrustedStateError(problem);
  }
}

/** Why an opened file (fstat) is not a regular file of ours, or null. */
function fileProblem(path: string, info: Stats): string | null {
  if (!info.isFile()) return `${path} is not a regular file`;
  const uid = myUid();
  if (uid !== null && info.uid !== uid) return `${path} belongs to another user (${ownerText(info)}, you are uid ${uid})`;
  return null;
}

/** Throws when a file just opened (its fstat) is not a regular file of ours. */
export function assertOwnFile(path: string, info: Stats): void {
  const problem = fileProblem(path, info);
  if (problem) throw new UntrustedStateError(problem);
}

/** Throws when `dir` is not a real folder of ours (a symlink, a file, another user's). */
export function assertOwnFolder(dir: string): void {
  const problem = folderProblem(dir, lstatSync(dir));
  if (problem) throw new UntrustedStateError(problem);
}

/** The error of an open with O_NOFOLLOW, said plainly when a symlink was in the way. */
export function openError(path: string, error: unknown): unknown {
  // O_NOFOLLOW on a symlink fails with ELOOP (EMLINK on some BSDs).
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'EMLINK') return new UntrustedStateError(`${path} is a symlink; Hearth does not follow symlinks for its own state`);
  return error;
}

/**
 * fs.writeFile options for a file of ours with a fresh name, such as a capture: created 0600 (or
 * replaced), never through a symlink.
 */
export const NEW_PRIVATE_FILE = { flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW, mode: 0o600 } as const;

/** The same as an open descriptor, for fs.createWriteStream({ fd }). */
export function openNewPrivate(path: string): number {
  try {
    return openSync(path, NEW_PRIVATE_FILE.flag, NEW_PRIVATE_FILE.mode);
  } catch (error) {
    throw openError(path, error);
  }
}

/** Flags to read a file without following a symlink. */
export const READ_NOFOLLOW = constants.O_RDONLY | NOFOLLOW;

/** Flags to append to a file of ours: created 0600 when missing, a symlink refused (ELOOP). */
export const APPEND_NOFOLLOW = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW;

function openChecked(path: string, flags: number, mode: number): number {
  let fd: number;
  try {
    fd = openSync(path, flags | NOFOLLOW, mode);
  } catch (error) {
    throw openError(path, error);
  }
  try {
    assertOwnFile(path, fstatSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Opens `path` for appending (made 0600 when missing) without following a symlink; a foreign file is refused. */
export function openAppend(path: string): number {
  return openChecked(path, APPEND_NOFOLLOW, 0o600);
}

/** Creates `path` (0600 unless told) only if nothing, not even a dangling symlink, is there; false when something is. */
export function createExclusive(path: string, data: string, mode = 0o600): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeAll(fd, data);
  } finally {
    closeSync(fd);
  }
  return true;
}

function writeAll(fd: number, data: string): void {
  const buf = Buffer.from(data, 'utf8');
  for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at);
}

/** `.name.<random>.tmp` beside `file`: 96 random bits, so nobody can plant it in advance. */
export function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(12).toString('hex')}.tmp`);
}

/**
 * Replaces `file` atomically: the content goes to a fresh temp file (exclusive, no symlink followed,
 * 0600 unless told), which is then renamed over `file` (rename replaces a symlink, never follows it).
 * A crash mid-write leaves the old file or the new one, never half of one.
 */
export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  const tmp = tempNameFor(file);
  if (!createExclusive(tmp, data, mode)) throw new Error(`cannot write ${file}: ${tmp} exists`);
  try {
    renameSync(tmp, file);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/**
 * A small state file of ours, or null when there is none. A symlink, a non-regular file or a file of
 * another user is refused (UntrustedStateError), never read. Reads at most `maxBytes`.
 */
export function readOwnFile(path: string, maxBytes = 4 * 1024 * 1024): string | null {
  let fd: number;
  try {
    fd = openChecked(path, constants.O_RDONLY, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const size = Math.min(fstatSync(fd).size, maxBytes);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
