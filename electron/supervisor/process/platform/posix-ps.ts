// posix-ps: macOS, the BSDs, and Linux without /proc. The whole process table is one `ps` call per scan
// (shared by every caller in the same few ms, see ScanCache), which also carries CPU time and RSS. Identity
// is the start time from `lstart`, in whole seconds (TZ=UTC, so a change of time zone or DST between two
// runs cannot shift it); a pid reused within the same second as its previous owner started would look
// the same, which pids.json guards by recording which backend wrote each entry.
import { PS_FIELDS, parsePsLine, parsePsTable } from './ps-parse';
import { POSIX_PROCESS } from './posix';
import { runTool } from './run-tool';
import { ScanCache } from './scan-cache';
import { tableSampler } from './table-usage';
import type { ProcEntry, ProcessPlatform } from './types';

/** C locale (English month names, no localized digits) and UTC for lstart. */
function psEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', TZ: 'UTC' };
}

export function posixPsPlatform(psPath = 'ps'): ProcessPlatform {
  let lastError: string | null = null;
  const cache = new ScanCache(async () => {
    const r = await runTool(psPath, ['-A', '-o', PS_FIELDS], psEnv());
    if (r.code !== 0) {
      lastError = r.error ?? `${psPath} exited with code ${r.code}: ${r.stderr.trim()}`;
      return null;
    }
    lastError = null;
    return parsePsTable(r.stdout);
  });
  const read = async (pid: number): Promise<ProcEntry | null> => {
    if (!Number.isInteger(pid) || pid <= 0) return null;
    const r = await runTool(psPath, ['-o', PS_FIELDS, '-p', String(pid)], psEnv());
    // Exit 1 with no output: no such process.
    if (r.code !== 0 && r.code !== 1) lastError = r.error ?? `${psPath} exited with code ${r.code}: ${r.stderr.trim()}`;
    return r.code === 0 ? parsePsLine(r.stdout.split('\n')[0] ?? '') : null;
  };
  const table = (maxAgeMs?: number) => cache.get(maxAgeMs);
  return {
    name: 'posix-ps',
    table,
    read,
    uidOf: (entry) => entry.uid ?? null,
    get lastError() {
      return lastError;
    },
    ...POSIX_PROCESS,
    // lstart is whole seconds, and procps derives it from the boot time: allow one second either way.
    startTimeFloor: (epochMs) => Math.floor(epochMs / 1000) - 1,
    // procps (Linux) prints CPU time in whole seconds; BSD ps (macOS) in hundredths.
    usageSampler: () => tableSampler(() => table(0), process.platform === 'linux' ? 1000 : 10),
  };
}
