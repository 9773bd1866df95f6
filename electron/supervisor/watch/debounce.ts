// Collects changed paths and hands them over once the files have been quiet for `ms` (editors and
// build tools write in bursts: one save can be several events, one `git checkout` hundreds).
import type { Clock, Timer } from '../clock';

export class PathDebouncer {
  private paths: string[] = [];
  private timer: Timer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly fire: (paths: string[]) => void,
  ) {}

  push(path: string): void {
    if (!this.paths.includes(path)) this.paths.push(path);
    this.timer?.cancel();
    this.timer = this.clock.after(this.ms, () => {
      this.timer = null;
      const paths = this.paths;
      this.paths = [];
      this.fire(paths);
    });
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
    this.paths = [];
  }
}
