// Port allocation for `{{thermos.ports[NAME]}}`. A port is handed out only after a real bind on both
// 127.0.0.1 and ::1 succeeded (a dev server listening on "localhost" may have picked either family).
// Linux refuses 127.0.0.1:P while another socket listens on 0.0.0.0:P, so wildcard listeners are
// caught too; macOS/BSD may allow the more specific bind next to a wildcard one, so there the check
// is weaker. Windows: the same binds work, but exclusive-address semantics differ.
import { createServer, type Server } from 'node:net';
import { dirname } from 'node:path';
import { ensureStateDir, readOwnFile, UntrustedStateError, writeFileAtomic } from './safe-fs';

type BindResult = { free: true; server: Server } | { free: false; unavailable: boolean };

function tryBind(port: number, host: string): Promise<BindResult> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // No ::1 on this machine (IPv6 disabled): nothing can listen there, so it counts as free.
      const unavailable = error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT';
      resolve({ free: false, unavailable });
    });
    server.listen({ port, host, exclusive: true }, () => resolve({ free: true, server }));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** True when `port` can be bound on 127.0.0.1 and on ::1 (or ::1 does not exist here). */
export async function isPortFree(port: number): Promise<boolean> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return false;
  const v4 = await tryBind(port, '127.0.0.1');
  if (!v4.free) return false;
  // Keep the IPv4 socket open meanwhile so both checks describe the same moment.
  const v6 = await tryBind(port, '::1');
  await closeServer(v4.server);
  if (v6.free) {
    await closeServer(v6.server);
    return true;
  }
  return v6.unavailable;
}

export interface PortAllocatorOptions {
  /** Inclusive range for ports without a fixed number. */
  range: [number, number];
  /** JSON memory of key -> port across runs (under .hearth/), so services keep their ports. */
  stateFile?: string;
  /**
   * Mixed into where a key's search starts (the stack's folder): every stack has an `api.http`, and with
   * the key alone two stacks began at the same port, so whichever started second had its ports moved.
   */
  seed?: string;
}

interface StateFileContent {
  version: 1;
  ports: Record<string, number>;
}

export class PortAllocator {
  private readonly lo: number;
  private readonly hi: number;
  private readonly stateFile: string | undefined;
  private readonly seed: string;
  /** Ports currently handed out, both ways round. */
  private readonly byKey = new Map<string, number>();
  private readonly byPort = new Map<number, string>();
  /** The last port of every key ever seen (this run or earlier runs): the sticky choice. */
  private readonly memory = new Map<string, number>();
  /** Allocations run one after the other, so two concurrent calls can never pick the same port. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: PortAllocatorOptions) {
    const [lo, hi] = opts.range;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1 && hi <= 65535 && lo <= hi)) {
      throw new RangeError(`invalid port range ${lo}-${hi}`);
    }
    this.lo = lo;
    this.hi = hi;
    this.stateFile = opts.stateFile;
    this.seed = opts.seed ?? '';
    for (const [key, port] of Object.entries(readState(opts.stateFile))) this.memory.set(key, port);
  }

  /**
   * The port for `key` ('api.http'). With `preferred` (a pinned number) exactly that port or a
   * rejection; otherwise the key's previous port if it is still free, else a fresh one in range.
   */
  allocate(key: string, preferred: number | null): Promise<number> {
    return this.serialized(async () => {
      if (preferred !== null) return this.allocatePinned(key, preferred);
      const held = this.byKey.get(key);
      // Already this key's in this run (a reload re-allocating a changed service): whatever binds it is the
      // service's own process, which restarts before the new one binds it. Probing would find it busy
      // and move the service, and every service that was given its port, to a new one.
      if (held !== undefined && this.inRange(held)) return held;
      const sticky = this.memory.get(key);
      if (sticky !== undefined && this.inRange(sticky) && this.ownerOk(sticky, key) && (await isPortFree(sticky))) {
        return this.reserve(key, sticky);
      }
      return this.reserve(key, await this.pickFresh(key, sticky));
    });
  }

  /** A fresh port for `key`, different from its current one (e.g. after the service hit EADDRINUSE). */
  reallocate(key: string): Promise<number> {
    return this.serialized(async () => this.reserve(key, await this.pickFresh(key, this.byKey.get(key) ?? this.memory.get(key))));
  }

  /** The key no longer holds its port (it stays remembered, so the key gets it back if still free). */
  release(key: string): void {
    const port = this.byKey.get(key);
    if (port === undefined) return;
    this.byKey.delete(key);
    if (this.byPort.get(port) === key) this.byPort.delete(port);
  }

  assigned(): Record<string, number> {
    return Object.fromEntries(this.byKey);
  }

  /** Writes the memory of ports to stateFile (temp file + rename, so a crash never leaves half a file). */
  async save(): Promise<void> {
    if (!this.stateFile) return;
    // Sorted by code unit, not localeCompare: the first collation loads ICU's data, +2 MB of RSS for
    // the supervisor's whole life, to order keys that are service and port names.
    const content: StateFileContent = { version: 1, ports: Object.fromEntries([...this.memory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
    ensureStateDir(dirname(this.stateFile), { create: true });
    writeFileAtomic(this.stateFile, `${JSON.stringify(content, null, 2)}\n`);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async allocatePinned(key: string, port: number): Promise<number> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port ${port} for ${key} is not a valid port number`);
    const owner = this.byPort.get(port);
    if (owner !== undefined && owner !== key) throw new Error(`port ${port} for ${key} is already assigned to ${owner}`);
    if (!(await isPortFree(port))) throw new Error(`port ${port} for ${key} is in use`);
    return this.reserve(key, port);
  }

  private reserve(key: string, port: number): number {
    this.release(key);
    this.byKey.set(key, port);
    this.byPort.set(port, key);
    this.memory.set(key, port);
    return port;
  }

  private inRange(port: number): boolean {
    return port >= this.lo && port <= this.hi;
  }

  private ownerOk(port: number, key: string): boolean {
    const owner = this.byPort.get(port);
    return owner === undefined || owner === key;
  }

  /**
   * Visits every port of the range once, in an order that starts at a hash of the key and jumps by a
   * stride coprime with the range size: spread out and repeatable (per stack, by the seed), not a scan
   * from the bottom.
   * Ports other keys remember are avoided while any other port is free.
   */
  private async pickFresh(key: string, avoid: number | undefined): Promise<number> {
    const size = this.hi - this.lo + 1;
    const stride = coprimeStride(size);
    const start = fnv1a(`${this.seed}\0${key}`) % size;
    const rememberedByOthers = new Set<number>();
    for (const [k, p] of this.memory) if (k !== key) rememberedByOthers.add(p);
    for (const allowRemembered of [false, true]) {
      for (let i = 0; i < size; i++) {
        const port = this.lo + ((start + i * stride) % size);
        if (port === avoid || this.byPort.has(port)) continue;
        if (!allowRemembered && rememberedByOthers.has(port)) continue;
        if (allowRemembered && !rememberedByOthers.has(port)) continue; // already tried in the first pass
        if (await isPortFree(port)) return port;
      }
    }
    throw new Error(`no free port left for ${key} in range ${this.lo}-${this.hi}`);
  }
}

function readState(file: string | undefined): Record<string, number> {
  if (!file) return {};
  let text: string | null;
  try {
    text = readOwnFile(file);
  } catch (error) {
    if (error instanceof UntrustedStateError) throw error; // planted: refuse loudly rather than take its ports
    return {};
  }
  if (text === null) return {};
  try {
    const parsed = JSON.parse(text) as Partial<StateFileContent>;
    const ports: Record<string, number> = {};
    for (const [key, port] of Object.entries(parsed.ports ?? {})) {
      if (Number.isInteger(port) && port >= 1 && port <= 65535) ports[key] = port;
    }
    return ports;
  } catch {
    return {}; // missing or corrupt: ports are just not sticky this time
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** About 0.618 of the range (golden ratio: consecutive picks land far apart), coprime with it. */
function coprimeStride(size: number): number {
  let stride = Math.max(1, Math.floor(size * 0.618));
  while (gcd(stride, size) !== 1) stride++;
  return stride;
}
