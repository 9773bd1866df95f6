// The process-platform seam: every spawn, signal, tree walk, start-time identity and resource sample of
// the supervisor goes through one ProcessPlatform, so the stop logic on top (../kill-tree.ts) is the same
// on every system. Backends:
//   linux     /proc, read directly (the fast path)
//   posix-ps  `ps -A -o pid=,ppid=,pgid=,stat=,lstart=,rss=,time=` (macOS, the BSDs, Linux without /proc)
//   windows   CIM Win32_Process through PowerShell, taskkill, cmd.exe
//   none      no process table at all: the process group is signalled blind (see none.ts)
import type { ShellConfig } from '../../config/types';
import type { TreeUsage } from '../../resources/proc-usage';

export type BackendName = 'linux' | 'posix-ps' | 'windows' | 'none';
export const BACKEND_NAMES: readonly BackendName[] = ['linux', 'posix-ps', 'windows', 'none'];

/** One process as a backend sees it. */
export interface ProcEntry {
  pid: number;
  ppid: number;
  /** Process group id (POSIX); on Windows, which has none, the pid itself. */
  pgid: number;
  /** Single-letter state: R, S, D, T, Z (zombie), X (dead); '?' where the backend cannot tell. */
  state: string;
  /**
   * With the pid, identifies one process: a pid whose start time changed is another process now. In the
   * backend's own unit (clock ticks since boot on linux, epoch seconds from ps, FILETIME on Windows), so
   * start times are only comparable when the same backend read them (pids.json records which).
   */
  startTime: number;
  /** User + system CPU time in ms, where the table has it. */
  cpuMs?: number;
  /** Resident memory in bytes, where the table has it. */
  rssBytes?: number;
  /** The user it runs as (effective uid), where the table has it (ps). */
  uid?: number;
}

export type ProcTable = Map<number, ProcEntry>;

/** How a shell line is run: the program, its arguments, and whether they go to it verbatim (cmd.exe). */
export interface ShellInvocation {
  file: string;
  args: string[];
  windowsVerbatimArguments?: boolean;
}


/** CPU/RSS of several trees at once, and the unit of TreeUsage.ticks. */
export interface UsageSample {
  trees: Map<number, TreeUsage>;
  /** TreeUsage.ticks per second (CLK_TCK on linux, 1000 where the table gives milliseconds). */
  ticksPerSecond: number;
}

export interface UsageSampler {
  /** Measures the tree of each root (root -> usage); an empty map where the backend cannot. */
  /** Synchronous where the backend reads files (linux: a watcher's first snapshot then has figures). */
  sample(roots: readonly number[]): UsageSample | Promise<UsageSample>;
  /**
   * The smallest step of CPU time the backend sees: CPU% between two samples closer than a few of these
   * is mostly rounding (procps's ps prints whole seconds; /proc and BSD ps count 10 ms).
   */
  readonly cpuResolutionMs: number;
  /** Sampling stopped (nobody watches): let go of what is held between samples (linux: open stat files). */
  release?(): void;
}

export interface ProcessPlatform {
  readonly name: BackendName;
  /**
   * Every process now, or null when this backend has no table (none) or its tool failed (`lastError`
   * says why). Callers within `maxAgeMs` of a scan share it, and concurrent callers share one scan.
   */
  table(maxAgeMs?: number): Promise<ProcTable | null>;
  /** A fresh table, synchronously, where that is cheap (linux); undefined where only table() can. */
  tableNow?(): ProcTable;
  /** One process now, or null: gone, or unknowable here. A zombie is returned (state 'Z'): callers decide. */
  read(pid: number): Promise<ProcEntry | null>;
  /** The same, synchronously, where that is cheap (linux); undefined where only read() can tell. */
  readNow?(pid: number): ProcEntry | null;
  /**
   * The smallest start time a process that started at or after `epochMs` can have, in this backend's
   * unit: a floor for a root whose own start time could not be read before it exited (a ps call is
   * slower than a shell that forks and exits). Absent on linux, which reads it at once.
   */
  startTimeFloor?(epochMs: number): number;
  /** The user a listed process runs as, or null where that cannot be told (Windows has SIDs, not uids). */
  uidOf(entry: ProcEntry): number | null;
  /** Why the last table() or read() could not answer, for the log; null when it could. */
  readonly lastError: string | null;
  /** Whether processes have groups that one signal reaches (POSIX); false on Windows. */
  readonly groups: boolean;
  /** Whether signals other than a kill exist (POSIX); on Windows every "signal" terminates the process. */
  readonly signals: boolean;
  /**
   * Sends `signal` to these live members of the tree whose group is `pgid`: the group at once where
   * there are groups (it also catches a fork racing with us), every other member one by one.
   */
  signalTree(pgid: number, live: readonly ProcEntry[], signal: NodeJS.Signals): Promise<void>;
  /** kill(2) of one pid (0: is it there?); false when there is no such process. */
  signalPid(pid: number, signal: NodeJS.Signals | 0): boolean;
  /** kill(2) of a whole group (0: does it have members?); false when it has none. */
  signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean;
  /** How `cmd` runs through the shell (`shell`: the stack's configured one, if any). */
  shell(cmd: string, env: NodeJS.ProcessEnv, shell?: ShellConfig | null): ShellInvocation;
  /** Whether a service's stdio can be real pipes (FIFOs, fifo-pipes.ts): POSIX yes, Windows no. */
  readonly realPipes: boolean;
  /** Spawn options every service process gets: its own group on POSIX, no console window on Windows. */
  readonly spawnOptions: { detached: boolean; windowsHide: boolean };
  /** A resource sampler (stateful: the linux one remembers trees between full scans). */
  usageSampler(): UsageSampler;
}
