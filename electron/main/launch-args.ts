// Which stack file a launch (or a second launch handed over by the single-instance lock) asks for.
import { isAbsolute, join, resolve } from 'node:path';

const STACK_FILE_RE = /\.ya?ml$/i;
export const DEFAULT_STACK_FILE = 'hearth.yaml';

/**
 * The last argument naming a stack: a `.yaml`/`.yml` path, or a folder containing hearth.yaml.
 * Flags (`--inspect`, Chromium switches Electron appends) are skipped, as is argv[0] (the binary);
 * the app's own script path (`out/main/index.js` in development) is never a .yaml so it is skipped too.
 * Relative paths resolve against `cwd` — the second instance's cwd, not ours.
 */
export function stackFileFromArgv(argv: readonly string[], cwd: string, isFile: (p: string) => boolean): string | null {
  let found: string | null = null;
  for (const arg of argv.slice(1)) {
    if (arg === '' || arg.startsWith('-')) continue;
    const full = isAbsolute(arg) ? arg : resolve(cwd, arg);
    if (STACK_FILE_RE.test(arg)) found = full;
    else if (isFile(join(full, DEFAULT_STACK_FILE))) found = join(full, DEFAULT_STACK_FILE);
  }
  return found;
}
