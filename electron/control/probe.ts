// Is anyone answering on a control socket? Used before listening (stale-socket detection) and by
// `hearth down` to see when an instance has gone.
import { connect } from 'node:net';
import { LineSplitter, MAX_SERVER_LINE_BYTES, type HelloFrame } from './protocol';
import { checkSocketTrust } from './secure-dir';

export type ProbeResult =
  | { live: true; hello: HelloFrame | null }
  | { live: false; reason: 'missing' | 'refused' };

/**
 * Connects once. ENOENT → missing; ECONNREFUSED (a socket file nobody listens on: a crashed run) → refused.
 * A connection that is accepted counts as live even if no hello arrives in time: never steal a socket
 * that someone is holding. Other errors (EACCES…) are thrown: we cannot tell, so do not guess.
 */
export function probeControlSocket(socketPath: string, helloTimeoutMs = 1000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    // A socket that is not ours (UntrustedSocketError) is neither live nor stale: we must not touch it.
    try {
      if (checkSocketTrust(socketPath, { modes: false }) === 'missing') return resolve({ live: false, reason: 'missing' });
    } catch (error) {
      return reject(error as Error);
    }
    const socket = connect(socketPath);
    let settled = false;
    const finish = (result: ProbeResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish({ live: true, hello: null }), helloTimeoutMs);
    const splitter = new LineSplitter(
      MAX_SERVER_LINE_BYTES,
      (line) => {
        try {
          const frame = JSON.parse(line) as { type?: unknown };
          if (frame.type === 'hello') finish({ live: true, hello: frame as HelloFrame });
        } catch {
          finish({ live: true, hello: null });
        }
      },
      () => finish({ live: true, hello: null }),
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('close', () => finish({ live: true, hello: null }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') finish({ live: false, reason: 'missing' });
      else if (error.code === 'ECONNREFUSED') finish({ live: false, reason: 'refused' });
      else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish({ live: true, hello: null });
      else finish(new Error(`cannot check control socket ${socketPath}: ${error.message}`));
    });
  });
}
