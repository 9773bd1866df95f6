// Linux's TCP tables (/proc/net/tcp{,6}): which sockets have a local end on a port, in which state. Debug
// sessions read them to see a debugger attach and detach, and debugpy's listener come up.
import { readFileSync } from 'node:fs';

/** /proc/net/tcp's `st` column: 01 ESTABLISHED, 0A LISTEN. */
export type TcpState = '01' | '0A';

/** Sockets in `state` whose local end is on `port` (any address), or null when no table could be read. */
export function socketsOn(port: number, state: TcpState, tables = ['/proc/net/tcp', '/proc/net/tcp6']): number | null {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  let read = false;
  for (const table of tables) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    read = true;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT" in hex.
      if (fields.length > 3 && fields[1]!.endsWith(hex) && fields[3] === state) count++;
    }
  }
  return read ? count : null;
}
