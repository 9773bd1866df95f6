// Hosts one stack: loads the file, reaps what a crashed earlier run left behind, creates the supervisor,
// serves the control socket, and (optionally) watches the stack file to reload on change.
// Used by `hearth up`, `hearth serve` and the Electron main process alike.
import type { ConfigIssue } from '../../shared/types';
import type { Supervisor } from '../supervisor/api';

export interface OrphanReport {
  service: string;
  pid: number;
  killed: boolean;
  reason: string;
}

export interface StackHost {
  readonly supervisor: Supervisor;
  /** Path of the control socket this host serves. */
  readonly controlSocket: string;
  /** Processes of an earlier, crashed run that were found and stopped (or left alone) at start. */
  readonly orphans: OrphanReport[];
  /** Stop every service, close the control socket and watchers. Idempotent. */
  close(): Promise<void>;
}

export interface OpenStackOptions {
  file: string;
  /** Serve the control socket (default true). */
  control?: boolean;
  /** Reload when the stack file changes (default false). */
  watch?: boolean;
  /** Services to start; default all. Empty array = start none (the UI starts them). */
  services?: string[];
}

/** The stack file has errors; nothing was started. */
export class StackLoadError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`stack file has ${issues.length} error(s)`);
  }
}

/** Another live instance already serves this stack's control socket. */
export class AlreadyRunningError extends Error {}

export async function openStackHost(_opts: OpenStackOptions): Promise<StackHost> {
  throw new Error('openStackHost: not implemented yet');
}
