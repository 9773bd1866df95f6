import { readFileSync, readdirSync } from 'node:fs';

/** True while a pid exists and is not a zombie (checked in /proc, Linux). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Pids of live processes whose environment contains `marker` (KEY=VALUE), read from /proc. */
export function pidsWithEnv(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (env.includes(marker) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // process gone or not ours
    }
  }
  return found;
}
