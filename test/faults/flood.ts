// A child that writes N bytes of lines to stdout as fast as it can, to a host process with no UI
// attached; measures what the fault test (flood.test.ts) and the soak (test/soak/run.ts) check: the
// child's throughput against the same pipeline into /dev/null, the host's peak RSS, how long a
// `status` command takes meanwhile, and the log files left on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connectControl } from '../../electron/control/client';
import { waitFor } from '../helpers/wait-for';
import { rssBytes, startHostProcess, writeStack, type HostProcess, type StackDir } from './kit';

export const FLOOD_LINE = 'the quick brown fox jumps over the lazy dog 0123456789 ~ hearth flood test line';

export const FLOOD_SCRIPT = `#!/bin/sh
start=$(date +%s%N)
yes '${FLOOD_LINE}' | head -c "$FLOOD_BYTES"
end=$(date +%s%N)
echo "$start $end" > flood.done
exec sleep 1000
`;

export interface FloodOptions {
  bytes: number;
  maxBytes: number;
  keep: number;
  timeoutMs: number;
  /** Also attach a UI that subscribes over the control socket and then never reads. */
  stalledSubscriber?: boolean;
}

export interface StalledSubscriber {
  /** Bytes the host had sent it (read once the flood was over). */
  bytes: number;
  /** The host hung up on it. */
  closed: boolean;
}

export interface FloodResult {
  /** Seconds the child needed to write everything through Hearth. */
  childSecs: number;
  /** Seconds the same pipeline needs into /dev/null on this machine, now. */
  devNullSecs: number;
  rssBefore: number;
  rssPeak: number;
  rssAfter: number;
  /** Slowest `status` round trip over the control socket during the flood, ms. */
  slowestStatusMs: number;
  /** Log files in the service's .logs folder: name -> size. */
  files: Record<string, number>;
  /** Lines the log file reported as not written (queue full while the disk caught up). */
  droppedLines: number;
  /** stdout lines found in all the log files together. */
  stdoutLines: number;
  stalled: StalledSubscriber | null;
  host: HostProcess;
  stack: StackDir;
}

/** Runs the flood; the caller stops result.host and cleans result.stack up. */
export async function runFlood(opts: FloodOptions): Promise<FloodResult> {
  const t0 = process.hrtime.bigint();
  spawnSync('/bin/sh', ['-c', `yes '${FLOOD_LINE}' | head -c ${opts.bytes} > /dev/null`]);
  const devNullSecs = Number(process.hrtime.bigint() - t0) / 1e9;

  const stack = writeStack(
    `
services:
  flood:
    cmd: ./flood.sh
    env: { FLOOD_BYTES: "${opts.bytes}" }
    logs: { max_bytes: ${opts.maxBytes}, keep: ${opts.keep} }
`,
    { 'flood.sh': FLOOD_SCRIPT },
  );
  let host: HostProcess | null = null;
  try {
    // The flood starts as the host starts its services; RSS before = the host right after start-up.
    host = await startHostProcess(stack.file);
    const h = host;
    const rssBefore = rssBytes(h.pid);
    let rssPeak = rssBefore;
    let slowestStatusMs = 0;
    const stalled = opts.stalledSubscriber ? await stalledSubscriber(h.socket) : null;
    const client = await connectControl(h.socket);
    const done = join(stack.dir, 'flood.done');
    try {
      await waitFor(
        async () => {
          rssPeak = Math.max(rssPeak, rssBytes(h.pid));
          const t = Date.now();
          await client.invoke('status', {});
          slowestStatusMs = Math.max(slowestStatusMs, Date.now() - t);
          return existsSync(done);
        },
        { timeoutMs: opts.timeoutMs, intervalMs: 50, what: `the child to write ${opts.bytes} bytes` },
      );
    } finally {
      client.close();
    }
    const [start, end] = readFileSync(done, 'utf8').trim().split(' ').map(Number);
    const logs = join(stack.dir, '.hearth', 'sandbox', 'flood', '.logs');
    // The log writer drains its (bounded) queue shortly after the child's last line: wait until the
    // folder stops changing.
    let last = '';
    await waitFor(
      () => {
        const now = JSON.stringify(readdirSync(logs).map((n) => [n, statSync(join(logs, n)).size]));
        const same = now === last;
        last = now;
        return same;
      },
      { timeoutMs: 15_000, intervalMs: 300, what: 'the log files to settle' },
    );
    const files: Record<string, number> = {};
    let droppedLines = 0;
    let stdoutLines = 0;
    const marker = Buffer.from(' stdout| ');
    for (const name of readdirSync(logs)) {
      files[name] = statSync(join(logs, name)).size;
      const data = readFileSync(join(logs, name));
      for (let at = data.indexOf(marker); at >= 0; at = data.indexOf(marker, at + marker.length)) stdoutLines++;
      for (const m of data.toString('latin1').matchAll(/\[hearth\] (\d+) log lines were not written/g)) droppedLines += Number(m[1]);
    }
    return {
      childSecs: (end! - start!) / 1e9,
      devNullSecs,
      rssBefore,
      rssPeak,
      rssAfter: rssBytes(h.pid),
      slowestStatusMs,
      files,
      droppedLines,
      stdoutLines,
      stalled: stalled ? await drain(stalled) : null,
      host: h,
      stack,
    };
  } catch (error) {
    await host?.stop();
    stack.cleanup();
    throw error;
  }
}

/** Subscribes to every event, then stops reading: the socket's buffers fill up on the host's side. */
async function stalledSubscriber(path: string): Promise<Socket> {
  const socket = connect(path);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  socket.write('{"type":"subscribe"}\n');
  socket.pause();
  return socket;
}

/** Reads what the host managed to send before it hung up (or stops after 10 s if it never does). */
function drain(socket: Socket): Promise<StalledSubscriber> {
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, closed });
    };
    const timer = setTimeout(() => finish(false), 10_000);
    socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
    socket.once('close', () => finish(true));
    socket.resume();
  });
}
