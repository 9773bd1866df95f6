// Request/answer over Node IPC with a process started by the bench (Hearth host, mini-supervisor).
import { spawn, type ChildProcess } from 'node:child_process';
import type { HostReady, HostReply, HostRequest } from './protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class IpcChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitError: Error | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: HostReady,
  ) {
    child.on('message', (msg: HostReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.error));
    });
    child.on('exit', (code, signal) => {
      this.exitError = new Error(`process ${child.pid} exited (${signal ?? code})`);
      for (const p of this.pending.values()) p.reject(this.exitError);
      this.pending.clear();
    });
  }

  /** Spawns `node ...args`, and resolves once it said it is ready. */
  static async start(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<IpcChild> {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const ready = await new Promise<HostReady>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms`)), timeoutMs);
      child.once('message', (msg: HostReady) => {
        clearTimeout(timer);
        resolve(msg);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited before ready (${signal ?? code})`));
      });
    });
    return new IpcChild(child, ready);
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T = unknown>(msg: DistributiveOmit<HostRequest, 'id'>, timeoutMs = 120_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${msg.op}: no answer after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...msg, id });
    });
  }

  /** Asks it to close; kills it if it does not exit in time. */
  async close(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    await this.request({ op: 'close' }, timeoutMs).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
