// Node: the inspector, opened on the running process with SIGUSR1 (as `kill -USR1` does), then the DevTools
// protocol: Profiler.start/stop -> .cpuprofile, HeapProfiler.takeHeapSnapshot -> .heapsnapshot,
// Debugger.pause -> the JavaScript stack. Node opens the inspector on 127.0.0.1 (port 9229 unless the
// process was started with --inspect-port), where any local user could attach: it is closed again at the end.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connectCdp, type CdpClient } from './cdp-client';
import { sleepUnlessAborted, type CaptureEngine, type CaptureJob, type CaptureOutput } from './engine';
import { NEW_PRIVATE_FILE, openNewPrivate } from '../safe-fs';

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;
const FAILED = /Starting inspector on (\S+) failed: (.*)/;
/** Generous: on a loaded machine a busy process can take seconds to get to its signal. */
const OPEN_TIMEOUT_MS = 10_000;
/** Microseconds between samples: 10 kHz, fine enough for a 30 s capture to show short functions. */
const SAMPLING_INTERVAL_US = 100;

/** The newest inspector address this run printed (the inspector may still be open from an earlier capture or `hearth signal USR1`). */
export function lastInspectorUrl(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = LISTENING.exec(lines[i]!);
    if (match) return match[1]!;
  }
  return null;
}

/** Opens the inspector with SIGUSR1 and waits for the address Node prints on stderr. */
export function openInspector(job: CaptureJob, timeoutMs = OPEN_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const untap = job.tapOutput((line) => {
      const ok = LISTENING.exec(line);
      const failed = FAILED.exec(line);
      if (ok) finish(() => resolve(ok[1]!));
      else if (failed) finish(() => reject(new Error(`node could not open its inspector on ${failed[1]}: ${failed[2]} (another process holds the port; start this one with --inspect-port=0)`)));
    });
    function finish(then: () => void): void {
      clearTimeout(timer);
      untap();
      then();
    }
    const timer: NodeJS.Timeout = setTimeout(
      () => finish(() => reject(new Error(`node did not open its inspector within ${timeoutMs / 1000}s of SIGUSR1 (is its stderr redirected, or is it started with --disable-sigusr1?)`))),
      timeoutMs,
    );
    try {
      process.kill(job.pid, 'SIGUSR1');
    } catch (error) {
      finish(() => reject(new Error(`cannot signal pid ${job.pid}: ${(error as Error).message}`)));
    }
  });
}

/** `opened`: this capture opened the inspector, so it closes it (one somebody else opened stays open). */
async function connectInspector(job: CaptureJob): Promise<{ cdp: CdpClient; opened: boolean }> {
  const known = lastInspectorUrl(job.recentOutput());
  if (known) {
    try {
      return { cdp: await connectCdp(known, 2_000), opened: false };
    } catch {
      // closed since (by an earlier capture): open it again
    }
  }
  const url = await openInspector(job);
  job.note(`inspector opened on ${url.replace(/\/[^/]*$/, '')} (SIGUSR1)`);
  return { cdp: await connectCdp(url), opened: true };
}

/** Closes the inspector from inside the process (Node >= 20.16); the socket closing is the answer. */
async function closeInspector(cdp: CdpClient): Promise<void> {
  const closing = cdp.send('Runtime.evaluate', {
    expression: "typeof process.getBuiltinModule === 'function' && process.getBuiltinModule('node:inspector').close()",
  });
  await Promise.race([closing.catch(() => undefined), cdp.closed]);
  cdp.close();
}

async function cpu(cdp: CdpClient, job: CaptureJob): Promise<CaptureOutput> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await cdp.send('Profiler.start');
  await sleepUnlessAborted(job.durationMs, job.signal);
  const { profile } = await cdp.send<{ profile: unknown }>('Profiler.stop');
  const file = `${job.basePath}.cpuprofile`;
  await writeFile(file, JSON.stringify(profile), NEW_PRIVATE_FILE);
  return { file, format: 'cpuprofile', openWith: 'the flame graph in Hearth, Chrome DevTools (Performance > Load profile) or https://www.speedscope.app' };
}

async function heap(cdp: CdpClient, job: CaptureJob): Promise<CaptureOutput> {
  const file = `${job.basePath}.heapsnapshot`;
  const out = createWriteStream(file, { fd: openNewPrivate(file) });
  const off = cdp.on('HeapProfiler.addHeapSnapshotChunk', (params) => void out.write(String(params.chunk ?? '')));
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    off();
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return { file, format: 'heapsnapshot', openWith: 'Chrome DevTools: Memory > Load (chrome://inspect > Open dedicated DevTools for Node)' };
}

interface CallFrame {
  functionName: string;
  url?: string;
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

/** Frames as Node prints a stack; `urls` names the scripts (paused frames carry only their id). */
export function formatStack(frames: readonly CallFrame[], urls: ReadonlyMap<string, string>): string {
  return frames
    .map((f) => `    at ${f.functionName || '(anonymous)'} (${f.url || urls.get(f.location.scriptId) || '<internal>'}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1})`)
    .join('\n');
}

async function threads(cdp: CdpClient, job: CaptureJob): Promise<CaptureOutput> {
  const urls = new Map<string, string>();
  // Debugger.enable reports every script already loaded before it answers.
  const off = cdp.on('Debugger.scriptParsed', (p) => void urls.set(String(p.scriptId), String(p.url ?? '')));
  await cdp.send('Debugger.enable');
  off();
  const paused = cdp.once('Debugger.paused');
  await cdp.send('Debugger.pause');
  const { callFrames } = (await paused) as { callFrames: CallFrame[] };
  await cdp.send('Debugger.resume');
  await cdp.send('Debugger.disable');
  const file = `${job.basePath}.txt`;
  await writeFile(file, `JavaScript stack of pid ${job.pid} (main thread), paused at ${new Date().toISOString()}:\n${formatStack(callFrames, urls)}\n`, NEW_PRIVATE_FILE);
  return { file, format: 'text', openWith: 'any text viewer' };
}

export const nodeEngine: CaptureEngine = {
  name: 'node-inspector',
  async run(job) {
    const { cdp, opened } = await connectInspector(job);
    try {
      if (job.kind === 'cpu') return await cpu(cdp, job);
      if (job.kind === 'heap') return await heap(cdp, job);
      if (job.kind === 'threads') return await threads(cdp, job);
      throw new Error(`the Node inspector takes no ${job.kind} capture`);
    } finally {
      if (opened) await closeInspector(cdp);
      else cdp.close();
    }
  },
};
