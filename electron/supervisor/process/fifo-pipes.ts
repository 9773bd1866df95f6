// Real pipes for a service's stdin, stdout and stderr. Node gives a child's 'pipe' stdio as socketpairs,
// and a socket cannot be opened by path: nginx's `access_log /dev/stdout;`, `echo x > /dev/stdout` and
// `tee /dev/stderr` fail with ENXIO (No such device or address) and crash-loop. Node has no pipe(2), so
// each pipe is a FIFO: made with mkfifo in a private folder, opened at both ends, and unlinked at once,
// which leaves an anonymous pipe exactly like a shell's. The service gets the plain ends as fds 0-2;
// Hearth reads and writes its ends as sockets (libuv), so pausing a read still stops the writer when the
// pipe is full (backpressure). FIFOs are made ahead, in batches, so a restart never waits for mkfifo.
//
// Output is read into one buffer shared by every pipe of the process (net.Socket's `onread`), not into
// a fresh Buffer per read as a stream's 'data' does: a chatty service's 64 kB reads were then 64 kB of
// fresh malloc'd memory each (page faults and zeroing by the kernel, and external memory that makes V8
// collect more often), and a Readable's push and emit per read. The reads happen one at a time on the
// main thread and each chunk is handed over synchronously, so one buffer is enough: the chunk is valid
// only during the call, and whoever keeps any of it copies it (the line splitter does).
import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputStream } from '../../../shared/types';

/** Our ends of a service's three pipes, and the fds the child gets as 0, 1 and 2. */
export interface StdioPipes {
  /** For spawn's `stdio`: the child's stdin (read end), stdout and stderr (write ends). */
  childFds: [number, number, number];
  stdin: Socket;
  stdout: Socket;
  stderr: Socket;
  /** Once the child has them (spawn returned), the parent's copies must go, or no EOF ever comes. */
  closeChildEnds(): void;
  /** Everything closed (the spawn failed). */
  destroy(): void;
}

const BATCH = 12;

class FifoMaker {
  private dir: string | null = null;
  private ready: string[] = [];
  private making: Promise<void> | null = null;
  private serial = 0;
  /** Why FIFOs cannot be made here (no mkfifo, no temp folder), once known. */
  broken: string | null = null;

  /** `n` fresh FIFO paths, or null when none can be made. */
  async take(n: number): Promise<string[] | null> {
    while (this.ready.length < n && !this.broken) await this.make(Math.max(BATCH, n));
    if (this.ready.length < n) return null;
    const paths = this.ready.splice(0, n);
    if (this.ready.length < BATCH / 2 && !this.making) void this.make(BATCH); // ahead of the next start
    return paths;
  }

  private make(count: number): Promise<void> {
    this.making ??= this.makeNow(count).finally(() => {
      this.making = null;
    });
    return this.making;
  }

  private async makeNow(count: number): Promise<void> {
    try {
      this.dir ??= mkdtempSync(join(tmpdir(), 'hearth-pipes-')); // 0700: nobody else can open them
    } catch (error) {
      this.broken = `cannot make a folder for pipes: ${(error as Error).message}`;
      return;
    }
    const dir = this.dir;
    const paths = Array.from({ length: count }, () => join(dir, `p${++this.serial}`));
    const error = await new Promise<Error | null>((resolve) => execFile('mkfifo', ['-m', '600', ...paths], { timeout: 10_000 }, (e) => resolve(e)));
    if (error) this.broken = `mkfifo failed: ${error.message}`;
    else this.ready.push(...paths);
  }

  /** The folder and the FIFOs not used yet (at exit). */
  cleanUp(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

let shared: FifoMaker | null = null;
/** Why the last set of FIFOs could not be opened (fds exhausted, …); null after one that could. */
let lastOpenError: string | null = null;

function maker(): FifoMaker {
  if (!shared) {
    shared = new FifoMaker();
    const m = shared;
    process.once('exit', () => m.cleanUp());
  }
  return shared;
}

/** What every pipe reads into (see the top of this file); the size of libuv's reads. */
let readBuffer: Buffer | null = null;

/** A socket on our end of an output pipe: each read goes to `onOutput`, as a view valid only during the call. */
function outputSocket(fd: number, stream: OutputStream, onOutput: (stream: OutputStream, chunk: Buffer) => void): Socket {
  const buffer = (readBuffer ??= Buffer.allocUnsafeSlow(64 * 1024));
  const onread: OnReadOpts = {
    buffer,
    callback: (bytes) => {
      onOutput(stream, buffer.subarray(0, bytes));
      return true;
    },
  };
  // `onread` is a Socket constructor option too (Node >= 12), though the types list it for connect() only.
  const opts: SocketConstructorOpts & { onread: OnReadOpts } = { fd, readable: true, writable: false, onread };
  return new Socket(opts);
}

/**
 * Three real pipes for one child, or null (with the reason in `pipesUnavailable()`) to fall back to Node's.
 * Its output goes to `onOutput` as it is read; a chunk is valid only during the call (copy what you keep).
 */
export async function openStdioPipes(onOutput: (stream: OutputStream, chunk: Buffer) => void): Promise<StdioPipes | null> {
  const paths = await maker().take(3);
  if (!paths) return null;
  const [inPath, outPath, errPath] = paths as [string, string, string];
  const fds: number[] = [];
  const open = (path: string, flags: number): number => {
    const fd = openSync(path, flags);
    fds.push(fd);
    return fd;
  };
  try {
    // stdin: our end read-write, so opening the child's read end (blocking, as a program expects its
    // stdin to be) finds a writer and returns at once.
    const inOurs = open(inPath, constants.O_RDWR | constants.O_NONBLOCK);
    const inChild = open(inPath, constants.O_RDONLY);
    // stdout, stderr: our read end first (non-blocking opens return at once), then the child's write end.
    const outOurs = open(outPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const outChild = open(outPath, constants.O_WRONLY);
    const errOurs = open(errPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const errChild = open(errPath, constants.O_WRONLY);
    for (const p of paths) unlinkSync(p); // anonymous from now on
    lastOpenError = null;
    const stdin = new Socket({ fd: inOurs, readable: false, writable: true });
    const stdout = outputSocket(outOurs, 'stdout', onOutput);
    const stderr = outputSocket(errOurs, 'stderr', onOutput);
    const childEnds = [inChild, outChild, errChild];
    let childClosed = false;
    const closeChildEnds = (): void => {
      if (childClosed) return;
      childClosed = true;
      for (const fd of childEnds) closeSync(fd);
    };
    return {
      childFds: [inChild, outChild, errChild],
      stdin,
      stdout,
      stderr,
      closeChildEnds,
      destroy: () => {
        closeChildEnds();
        for (const s of [stdin, stdout, stderr]) s.destroy();
      },
    };
  } catch (error) {
    lastOpenError = `cannot open a FIFO: ${(error as Error).message}`;
    for (const fd of fds) closeSync(fd);
    for (const p of paths) rmSync(p, { force: true });
    return null;
  }
}

/** Why services get Node's socketpairs instead of real pipes here, or null. */
export function pipesUnavailable(): string | null {
  return shared?.broken ?? lastOpenError;
}
