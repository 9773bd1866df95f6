// The `watch:` watchers of a stack, one per service that has a watch section. A debounced change
// restarts the service with reason 'file-changed' and the path as detail — only if the service is
// wanted (running, starting, pending or waiting to restart); a stopped service or a finished job
// is left alone.
import { join } from 'node:path';
import type { Clock } from '../clock';
import { canonicalJson } from '../config/resolve';
import { BUILTIN_DEFAULTS } from '../config/defaults';
import type { ServiceRunner } from '../runner/service-runner';
import { describeChanges } from './matcher';
import { ServiceWatch } from './service-watch';

export interface StackWatchesOptions {
  clock: Clock;
  /** The stack's .hearth folder: sandboxes and logs live there and are never watched. */
  hearthDir: string;
  runner(name: string): ServiceRunner | undefined;
  /** A restart was requested: the supervisor launches PENDING services. */
  onRestarted(): void;
}

export class StackWatches {
  private readonly watches = new Map<string, { key: string; watch: ServiceWatch }>();

  constructor(private readonly opts: StackWatchesOptions) {}

  /** Arm, re-arm or disarm the watcher of `runner` to match its current config. */
  sync(runner: ServiceRunner): void {
    const cfg = runner.cfg.watch;
    const cwd = cfg ? safeWorkDir(runner) : null;
    const key = cfg && cwd ? canonicalJson({ cfg, cwd }) : '';
    const current = this.watches.get(runner.name);
    if (current?.key === key) return;
    if (current) {
      this.watches.delete(runner.name);
      void current.watch.close();
    }
    if (!cfg || !cwd) return;
    const name = runner.name;
    const watch = new ServiceWatch({
      cfg,
      cwd,
      ignoredDirNames: BUILTIN_DEFAULTS.watch_ignored_dirs,
      ignoredAbs: [this.opts.hearthDir, join(cwd, '.hearth')],
      clock: this.opts.clock,
      onChange: (paths) => this.changed(name, paths),
      onReady: () => this.opts.runner(name)?.note(`watching ${watch.describe()} for changes (in ${cwd})`),
      onError: (err) => this.opts.runner(name)?.note(`watch: ${err.message}`),
    });
    this.watches.set(name, { key, watch });
  }

  async close(name: string): Promise<void> {
    const w = this.watches.get(name);
    this.watches.delete(name);
    await w?.watch.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(all.map((w) => w.watch.close()));
  }

  private changed(name: string, paths: string[]): void {
    const runner = this.opts.runner(name);
    if (!runner?.isWanted) return;
    void runner.restart('file-changed', describeChanges(paths)).then(() => this.opts.onRestarted());
  }
}

/** A cwd template that cannot render yet leaves the service unwatched instead of throwing. */
function safeWorkDir(runner: ServiceRunner): string | null {
  try {
    return runner.workDir();
  } catch {
    return null;
  }
}
