// Where a stack's control socket lives. Deterministic from the stack folder alone, so every client
// (`hearth status`, `hearth down`, the Electron app) finds the instance without any registry.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * sun_path limits: 104 bytes on macOS/BSD, 108 on Linux (both including the NUL). Use the smaller
 * everywhere so a stack folder behaves the same on both.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

export function controlSocketPath(stackDir: string): string {
  const preferred = join(stackDir, '.hearth', 'control.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  return fallbackSocketPath(stackDir);
}

/** `<tmp>/hearth-<uid>/<sha256(stackDir)[0:16]>.sock`: short, per user, stable for a folder. */
export function fallbackSocketPath(stackDir: string): string {
  const digest = createHash('sha256').update(stackDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `hearth-${currentUid()}`, `${digest}.sock`);
}

export function currentUid(): number | string {
  // process.getuid is missing on Windows; named pipes there do not use this path anyway.
  return typeof process.getuid === 'function' ? process.getuid() : 'user';
}
