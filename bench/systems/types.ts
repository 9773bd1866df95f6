// One supervisor under test, behind the same small interface, so every figure runs the same
// workload the same way on each system.
export type SystemName = 'baseline' | 'hearth' | 'pm2' | 'supervisord';

export interface ServiceSpec {
  name: string;
  /** Program and arguments; the string `{port}` is replaced by the service's port. */
  argv: string[];
  /** The port of an HTTP service (peers and baseline); Hearth allocates its own named port `health`. */
  port?: number;
  /** HTTP health check GET /health every this many seconds (where the system has health checks). */
  healthIntervalSecs?: number;
  /** true: restarted whenever it exits (a service); false: run once (a job). */
  restart: boolean;
}

export interface SystemDriver {
  readonly name: SystemName;
  /** The supervisor's own process (whose CPU and RSS are measured). */
  readonly pid: number;
  /** Start these services (all when omitted). Resolves when the system accepted the command. */
  start(names?: string[]): Promise<void>;
  /** Resolves when the system itself reports every service running (Hearth: RUNNING = healthy). */
  waitAllRunning(timeoutMs: number): Promise<void>;
  /** Stop every service. Resolves when the system accepted (or, if it only answers then, finished) it. */
  stop(): Promise<void>;
  /** Where a service's stdout ends up on disk, and the bytes each line gains there (timestamps). */
  logFile(name: string): Promise<{ path: string; perLineOverhead: number }>;
  /** Hearth only: resolves once `count` stdout lines went through the supervisor (ring + subscribers). */
  waitLines?(name: string, count: number, timeoutMs: number): Promise<void>;
  /** Hearth only: CPU-profile the supervisor process between 'start' and 'stop' (written to `file`). */
  profile?(action: 'start' | 'stop', file?: string): Promise<void>;
  /** Hearth only: from now on sample CPU/RSS as the desktop app (or an open web UI page) makes it do. */
  watchResources?(): Promise<void>;
  /** `hearth up` only: what it printed about services exiting or restarting (none in a quiet idle window). */
  exits?(): string[];
  /** `hearth up` and pm2 (both run with V8's --trace-gc): every garbage collection it reported so far, one line each. */
  gcs?(): string[];
  /** Undo `start` so the next start is a cold one again (pm2 forgets apps on delete). Not timed. */
  reset?(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenContext {
  /** A fresh folder for this system's files. */
  dir: string;
  /** Environment for every process the system starts (carries the bench's cleanup marker). */
  env: NodeJS.ProcessEnv;
  /** The repository (bin/hearth.js is there). */
  root: string;
  /** `node` + args for each bundled entry. */
  launchers: import('../lib/build').Launchers;
}

export function fillPort(argv: string[], port: number | string | undefined): string[] {
  return argv.map((a) => (port === undefined ? a : a.replaceAll('{port}', String(port))));
}
