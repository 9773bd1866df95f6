// `hearth debug SERVICE` for Node: the inspector opened on the running process (SIGUSR1), moved to a free
// port of its own (so two services never fight over 9229), and the service snoozed until the debugger that
// attaches there detaches again. Linux tells attached from detached by the inspector port's established
// connections in /proc/net/tcp; elsewhere only `hearth debug --end` (or the service stopping) ends it.
import { createServer } from 'node:net';
import { connectCdp } from './cdp-client';
import type { CaptureJob } from './engine';
import { lastInspectorUrl, openInspector } from './node-engine';
import { socketsOn } from './tcp-table';

/** A free TCP port on 127.0.0.1 (the kernel's choice), released for the inspector to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Established TCP connections whose local end is 127.0.0.1:port (or ::1 / mapped), from /proc/net/tcp{,6}. */
export function establishedOn(port: number, tables?: string[]): number | null {
  return socketsOn(port, '01', tables);
}

/** Opens the process's inspector and moves it to `port`; resolves with its new ws:// address. */
export async function inspectorOnPort(job: CaptureJob, port: number): Promise<string> {
  let url = lastInspectorUrl(job.recentOutput());
  let cdp = url ? await connectCdp(url, 2_000).catch(() => null) : null;
  if (!cdp) {
    url = await openInspector(job);
    cdp = await connectCdp(url);
  }
  const moved = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new Error(`the inspector did not reopen on port ${port}`))), 10_000);
    const untap = job.tapOutput((line) => {
      const m = /Debugger listening on (ws:\/\/127\.0\.0\.1:(\d+)\/\S+)/.exec(line);
      if (m && Number(m[2]) === port) done(() => resolve(m[1]!));
    });
    function done(then: () => void): void {
      clearTimeout(timer);
      untap();
      then();
    }
  });
  // From inside the process: close the inspector (this session with it) and open it on the free port.
  const expression = `(() => { const i = process.getBuiltinModule('node:inspector'); i.close(); i.open(${port}, '127.0.0.1', false); })()`;
  await Promise.race([cdp.send('Runtime.evaluate', { expression }).catch(() => undefined), cdp.closed]);
  cdp.close();
  return moved;
}

/**
 * Closes the inspector again (a debug session's end): nobody else on this machine can attach after it.
 * False when it could not be reached (a busy machine; the process gone).
 */
export async function closeInspectorAt(url: string): Promise<boolean> {
  // Generous: an inspector left open makes a service like the test's fail its checks once they resume.
  const cdp = await connectCdp(url, 10_000).catch(() => null);
  if (!cdp) return false;
  const closing = cdp.send('Runtime.evaluate', { expression: "process.getBuiltinModule('node:inspector').close()" });
  await Promise.race([closing.catch(() => undefined), cdp.closed]);
  cdp.close();
  return true;
}
