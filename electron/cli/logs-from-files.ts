// `hearth logs` with no instance running (after `hearth down`, a crash, or before the first `up`): the last
// lines from the services' log files under .hearth/sandbox/, merged in time order, as `docker compose
// logs` shows stopped containers' output. The ring is gone with its instance; the files keep everything.
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLine } from '../../shared/types';
import { hearthDirOf, logDirOf, sandboxDirOf, sandboxesOf } from '../supervisor/layout';
import { ensureStateDir } from '../supervisor/safe-fs';
import { logFilePath, parseLogFileLine, readTail } from '../supervisor/logs/log-file';

/** Log files of the services `wanted` accepts (by instance name), from the stack folder's sandbox. */
function logFiles(stackFile: string, wanted: (name: string) => boolean): Array<{ service: string; path: string }> {
  const stackDir = dirname(stackFile);
  // Another user's `.hearth` would show their lines as this stack's: refused (UntrustedStateError), not read.
  if (!ensureStateDir(hearthDirOf(stackDir), { create: false })) return [];
  let names: string[];
  try {
    names = readdirSync(sandboxesOf(stackDir));
  } catch {
    return [];
  }
  return names
    .filter(wanted)
    .map((service) => ({ service, path: logFilePath(logDirOf(sandboxDirOf(stackDir, service)), service) }))
    .filter((f) => existsSync(f.path) || existsSync(`${f.path}.1`));
}

/**
 * The newest `tail` lines of the wanted services, oldest first, or null when there is no log file at all.
 * Lines of one timestamp keep their order within a file; across files, the earlier file's first.
 */
export async function logsFromFiles(stackFile: string, wanted: (name: string) => boolean, tail: number): Promise<LogLine[] | null> {
  const files = logFiles(stackFile, wanted);
  if (files.length === 0) return null;
  const all: LogLine[] = [];
  for (const { service, path } of files) {
    for (const text of await readTail(path, tail)) {
      const line = parseLogFileLine(text, service);
      if (line) all.push(line);
    }
  }
  all.sort((a, b) => a.ts - b.ts); // stable: each file's own order is kept
  return all.slice(Math.max(0, all.length - tail)).map((line, i) => ({ ...line, seq: i + 1 }));
}
