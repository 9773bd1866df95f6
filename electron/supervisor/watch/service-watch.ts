// Watches one service's `watch:` paths with chokidar and reports debounced batches of changes.
// Restarting is the caller's decision (only a wanted service is restarted).
import { watch, type FSWatcher } from 'chokidar';
import type { Clock } from '../clock';
import type { WatchConfig } from '../config/types';
import { PathDebouncer } from './debounce';
import { buildMatcher, type WatchMatcher } from './matcher';

export interface ServiceWatchOptions {
  cfg: WatchConfig;
  /** Absolute working folder of the service: relative watch paths and ignores start here. */
  cwd: string;
  ignoredDirNames: readonly string[];
  /** Absolute folders never watched (the stack's .hearth, with every sandbox and log file). */
  ignoredAbs: readonly string[];
  clock: Clock;
  /** Changed paths (as displayed: relative to cwd), once per quiet period. */
  onChange(paths: string[]): void;
  onReady(): void;
  onError(err: Error): void;
}

export class ServiceWatch {
  private readonly watcher: FSWatcher;
  private readonly debouncer: PathDebouncer;
  private readonly matcher: WatchMatcher;
  private closed = false;
  readonly ready: Promise<void>;

  constructor(private readonly opts: ServiceWatchOptions) {
    this.matcher = buildMatcher(opts.cfg, opts.cwd, { ignoredDirNames: opts.ignoredDirNames, ignoredAbs: opts.ignoredAbs });
    this.debouncer = new PathDebouncer(opts.clock, opts.cfg.debounce_ms, (paths) => {
      if (!this.closed) opts.onChange(paths);
    });
    this.watcher = watch(this.matcher.roots, {
      ignoreInitial: true,
      // Prunes ignored folders (node_modules, .git, .hearth, user ignores) before they are read.
      ignored: (path: string) => this.matcher.ignored(path),
    });
    this.watcher.on('all', (event, path) => {
      if (this.closed || event === 'addDir') return;
      if (this.matcher.matches(path)) this.debouncer.push(this.matcher.display(path));
    });
    this.watcher.on('error', (err) => opts.onError(err instanceof Error ? err : new Error(String(err))));
    this.ready = new Promise((resolve) => {
      this.watcher.once('ready', () => {
        if (!this.closed) opts.onReady();
        resolve();
      });
    });
  }

  /** "src, lib/**\/*.js (ignoring **\/*.tmp)" for the log line that says what is watched. */
  describe(): string {
    const ignore = this.opts.cfg.ignore.length ? ` (ignoring ${this.opts.cfg.ignore.join(', ')})` : '';
    return `${this.opts.cfg.paths.join(', ')}${ignore}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.debouncer.cancel();
    await this.watcher.close();
  }
}
