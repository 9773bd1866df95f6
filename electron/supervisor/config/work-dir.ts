// A service's working folder from its (rendered) `cwd:`: relative paths against the stack folder, and a
// leading `~` for the home folder, as a shell and docker compose read it (`cwd: ~/src/api`).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function resolveWorkDir(stackDir: string, cwd: string, home: string = homedir()): string {
  if (cwd === '~') return home;
  if (cwd.startsWith('~/')) return join(home, cwd.slice(2));
  return isAbsolute(cwd) ? cwd : resolve(stackDir, cwd);
}
