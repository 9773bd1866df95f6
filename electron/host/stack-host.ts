// Hosts one stack: loads the file, reaps what a crashed earlier run left behind, creates the supervisor,
// serves the control socket, and (optionally) watches the stack file and its env files to reload on change.
// Used by `hearth up`, `hearth serve` and the Electron main process alike.
import { join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ConfigIssue } from '../../shared/types';
import type { Supervisor } from '../supervisor/api';
import { loadStackFile } from '../supervisor/config/load';
import type { LoadResult, StackConfig } from '../supervisor/config/types';
import { hearthDirOf, sandboxesOf } from '../supervisor/layout';
import { createExclusive, ensureDirUnder, ensureStateDir } from '../supervisor/safe-fs';
import { reapOrphans } from '../supervisor/pid-registry';
import { prepareSupervisor } from '../supervisor/supervisor';
import { controlSocketPath } from '../control/socket-path';
import { defaultPlatform } from '../supervisor/process/platform/select';
import type { ProcessPlatform } from '../supervisor/process/platform/types';
import { assertNotRunning, startControlServer } from '../control/server';
import type { CommandArgs, CommandResult } from '../../shared/contract';

/** Mints a one-time login of the web UI this process serves (`hearth open` asks over the control socket). */
export type WebLoginProvider = (args: CommandArgs<'web_login'>) => CommandResult<'web_login'>;

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
  /** Resolves when the host was closed (by close() or the `shutdown` command). */
  readonly closed: Promise<void>;
  /**
   * `hearth serve`: its web host answers `web_login` on this host's control socket from now on (null: no
   * longer). Without one, `hearth open` is told this instance serves no web UI.
   */
  serveWebLogin(provider: WebLoginProvider | null): void;
}

export interface OpenStackOptions {
  file: string;
  /** Serve the control socket (default true). */
  control?: boolean;
  /** Reload when the stack file or one of its env files changes (default false). */
  watch?: boolean;
  /** Services to start; default all. Empty array = start none (the UI starts them). */
  services?: string[];
  /** The process backend (default: the one this system has, or HEARTH_PROCESS_BACKEND). */
  platform?: ProcessPlatform;
  /** What a stop of an orphan is doing (its stop signal, the SIGKILL after the grace), as it happens. */
  onReapPhase?: (service: string, text: string) => void;
}

/** The stack file has errors; nothing was started. */
export class StackLoadError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`stack file has ${issues.length} error(s)`);
  }
}

/** Another live instance already serves this stack's control socket (thrown by the control server). */
export { AlreadyRunningError } from '../control/errors';

/** Quiet period after the last change event before a reload: editors write files in bursts. */
const RELOAD_DEBOUNCE_MS = 300;

/**
 * What a reload reads: the stack file and every env file it names, so saving a `.env` reloads too (the
 * services whose env files changed then restart; see the fingerprint in config/resolve.ts).
 */
function filesOf(stack: StackConfig): string[] {
  const files = new Set([stack.file]);
  for (const ref of stack.env_files) files.add(ref.path);
  for (const svc of Object.values(stack.services)) for (const ref of svc.env_files) files.add(ref.path);
  return [...files];
}

export async function openStackHost(opts: OpenStackOptions): Promise<StackHost> {
  const file = resolve(opts.file);
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new StackLoadError(loaded.errors);
  const stack = loaded.stack;
  const dotHearth = hearthDirOf(stack.dir);
  // First of all, before the control socket is probed or any state read: `.hearth` must be this user's, and private.
  ensureStateDir(dotHearth, { create: true });
  createExclusive(join(dotHearth, '.gitignore'), '*\n', 0o644); // already there (even as a symlink): left as it is
  ensureDirUnder(dotHearth, sandboxesOf(stack.dir));

  const socketPath = controlSocketPath(stack.dir);
  // Before the supervisor exists: creating it allocates the ports and rewrites ports.json, and the ports a
  // live instance's services hold would look taken, so a second `up` would move them all for the next run.
  // (Two starting at the same moment can both pass; the control server below still lets only one run.)
  if (opts.control !== false) await assertNotRunning(socketPath);
  let closeHost: () => Promise<void> = async () => undefined;
  let watched = new Set(filesOf(stack));
  let watcher: FSWatcher | null = null;
  // Every reload goes through here: the files to watch follow what the stack file names now.
  const load = async (path: string): Promise<LoadResult> => {
    const result = await loadStackFile(path);
    if (result.ok && watcher) {
      const next = new Set(filesOf(result.stack));
      watcher.unwatch([...watched].filter((f) => !next.has(f)));
      watcher.add([...next].filter((f) => !watched.has(f)));
      watched = next;
    }
    return result;
  };
  const platform = opts.platform ?? defaultPlatform();
  const { supervisor, init } = prepareSupervisor({ stack, load, platform, onShutdown: () => void closeHost() });

  // The control server refuses when a live instance already runs this stack; only after that is it
  // safe to reap what a crashed run left (a live instance's children are not orphans).
  let control: { close(): Promise<void> } | null = null;
  let webLogin: WebLoginProvider | null = null;
  if (opts.control !== false) {
    try {
      control = await startControlServer({ supervisor, socketPath, webLogin: (args) => webLogin?.(args) ?? null });
    } catch (err) {
      await supervisor.close();
      throw err;
    }
  }
  // Reaped before any port is allocated, and waited for until gone: the orphans hold the ports remembered
  // in ports.json, which would look taken and move (every port changed after a `kill -9` of `hearth up -d`).
  const orphans = await reapOrphans(join(dotHearth, 'pids.json'), platform, {
    lifecycleOf: (service) => stack.services[service]?.lifecycle ?? null,
    onPhase: opts.onReapPhase,
  });
  try {
    await init();
  } catch (err) {
    await supervisor.close();
    await control?.close();
    throw err;
  }

  let debounce: NodeJS.Timeout | null = null;
  if (opts.watch) {
    watcher = watch([...watched], { ignoreInitial: true, awaitWriteFinish: false });
    watcher.on('all', () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void supervisor.invoke('reload', {}).catch(() => undefined), RELOAD_DEBOUNCE_MS);
    });
    // An edit made right after open must not be missed: return only once the watcher is armed.
    const armed = watcher;
    await new Promise<void>((resolveReady) => {
      armed.once('ready', () => resolveReady());
      armed.once('error', () => resolveReady());
    });
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let closing: Promise<void> | null = null;
  closeHost = () => {
    closing ??= (async () => {
      if (debounce) clearTimeout(debounce);
      await watcher?.close();
      await supervisor.close();
      await control?.close();
      resolveClosed();
    })();
    return closing;
  };

  // No list starts everything; an explicit empty list starts nothing (a UI will start services).
  if (!opts.services || opts.services.length > 0) {
    await supervisor.invoke('start', { services: opts.services }).catch(async (err: unknown) => {
      await closeHost();
      throw err;
    });
  }

  return {
    supervisor,
    controlSocket: socketPath,
    orphans,
    close: closeHost,
    closed,
    serveWebLogin: (provider) => {
      webLogin = provider;
    },
  };
}
