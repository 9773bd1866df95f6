// Which backend this process uses: HEARTH_PROCESS_BACKEND when set (linux, posix-ps, windows, none: to
// reproduce another system's behaviour, or to work around a broken one), else the best one available.
import { existsSync } from 'node:fs';
import { linuxPlatform } from './linux';
import { nonePlatform } from './none';
import { posixPsPlatform } from './posix-ps';
import { windowsPlatform } from './windows';
import { BACKEND_NAMES, type BackendName, type ProcessPlatform } from './types';

export const BACKEND_ENV = 'HEARTH_PROCESS_BACKEND';

export function createPlatform(name: BackendName): ProcessPlatform {
  switch (name) {
    case 'linux':
      return linuxPlatform();
    case 'posix-ps':
      return posixPsPlatform();
    case 'windows':
      return windowsPlatform();
    case 'none':
      return nonePlatform();
  }
}

/** The backend for this system: win32 -> windows; /proc readable -> linux; otherwise ps (macOS, BSD). */
export function detectBackend(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): BackendName {
  const wanted = env[BACKEND_ENV];
  if (wanted) {
    if ((BACKEND_NAMES as readonly string[]).includes(wanted)) return wanted as BackendName;
    throw new Error(`${BACKEND_ENV}=${wanted}: expected one of ${BACKEND_NAMES.join(', ')}`);
  }
  if (platform === 'win32') return 'windows';
  if (platform === 'linux' && existsSync('/proc/self/stat')) return 'linux';
  return 'posix-ps';
}

let current: ProcessPlatform | null = null;

/** The process-wide default (one scan cache for the whole supervisor). */
export function defaultPlatform(): ProcessPlatform {
  current ??= createPlatform(detectBackend());
  return current;
}
