// Which runtime a process runs, read from the process itself (never configured by hand): its executable's
// name, its argv, and for a Go binary the build-info magic Go links into every executable.
// Linux reads /proc/<pid>/exe and cmdline; elsewhere `ps` gives the command (no Go detection there).
import { execFileSync } from 'node:child_process';
import { openSync, readSync, closeSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import type { CaptureRuntime } from '../../../shared/types';

export interface ProcessFacts {
  /** Resolved path of the executable, or the command name when that is all there is. */
  exe: string;
  argv: string[];
  /** The executable carries Go's build info (`\xff Go buildinf:`). */
  goBinary: boolean;
}

/** Pure: the runtime these facts show. */
export function classifyRuntime(facts: ProcessFacts): CaptureRuntime {
  const name = basename(facts.exe).toLowerCase();
  if (/^(node|nodejs)(\d+)?$/.test(name)) return 'node';
  if (/^(python|pypy)(\d+(\.\d+)*)?$/.test(name)) return 'python';
  if (name === 'java') return 'jvm';
  if (facts.goBinary) return 'go';
  return 'native';
}

const GO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** Go puts .go.buildinfo early in the data segment; a bounded read keeps a 2 GB binary cheap. */
const GO_SCAN_BYTES = 64 * 1024 * 1024;

export function hasGoBuildInfo(file: string, limit = GO_SCAN_BYTES): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let carry = Buffer.alloc(0);
    for (let pos = 0; pos < limit; ) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n <= 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, n)]);
      if (window.indexOf(GO_MAGIC) !== -1) return true;
      carry = window.subarray(Math.max(0, window.length - GO_MAGIC.length));
      pos += n;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

/** What the process is, or null when it is gone. */
export function readProcessFacts(pid: number): ProcessFacts | null {
  if (process.platform === 'linux') {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
      return { exe, argv, goBinary: hasGoBuildInfo(`/proc/${pid}/exe`) };
    } catch {
      return null;
    }
  }
  try {
    const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    if (!command) return null;
    const argv = command.split(/\s+/);
    return { exe: argv[0]!, argv, goBinary: false };
  } catch {
    return null;
  }
}

export function detectRuntime(pid: number): { runtime: CaptureRuntime; facts: ProcessFacts } | null {
  const facts = readProcessFacts(pid);
  return facts ? { runtime: classifyRuntime(facts), facts } : null;
}
