// Messages between the bench and the processes it drives over Node IPC (bench/hearth-host.ts and
// bench/workloads/mini-supervisor.ts). Every request carries an id; the answer repeats it.
export type HostRequest =
  | { id: number; op: 'invoke'; command: string; args: Record<string, unknown> }
  /** Answer once every service is in `state` (Hearth's own view: RUNNING = passed its health check). */
  | { id: number; op: 'wait-all'; state: string }
  /** Answer once `count` stdout lines of `service` went through the supervisor (ring + subscribers). */
  | { id: number; op: 'wait-lines'; service: string; count: number }
  /** Start / stop a V8 CPU profile of the host (stop writes it to `file`): profiles one window only. */
  | { id: number; op: 'profile'; action: 'start' | 'stop'; file?: string }
  /** Hold a resource watch from now on, as the desktop app (or an open web UI page) does. */
  | { id: number; op: 'watch-resources' }
  | { id: number; op: 'close' };

export type HostReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

/** Sent once, unprompted, when the child is ready for requests. */
export interface HostReady {
  op: 'ready';
  pid: number;
  /** Web host URL (with token) when one was asked for. */
  url?: string;
}

/** Spec of the baseline mini-supervisor: spawn these, respawn at once when one exits. */
export interface MiniSpec {
  services: Array<{ name: string; argv: string[]; restart: boolean; health?: { port: number; intervalSecs: number } }>;
}
