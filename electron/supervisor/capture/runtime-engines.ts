// Engines that need the runtime's help: py-spy for Python, a `pprof` named port for Go, and SIGQUIT for
// the JVM, which prints every thread's stack on its stdout and goes on running.
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { lastWords, runTool } from './run-tool';
import type { CaptureEngine, CaptureJob } from './engine';
import { NEW_PRIVATE_FILE, openNewPrivate } from '../safe-fs';

export function pySpyEngine(pySpy: string): CaptureEngine {
  return {
    name: 'py-spy',
    async run(job) {
      if (job.kind === 'threads') {
        const run = await runTool(pySpy, ['dump', '--pid', String(job.pid)], { deadlineMs: 60_000 });
        if (run.code !== 0) throw new Error(`py-spy dump failed: ${lastWords(run)}`);
        const file = `${job.basePath}.txt`;
        await writeFile(file, run.stdout, NEW_PRIVATE_FILE);
        return { file, format: 'text', openWith: 'any text viewer' };
      }
      const file = `${job.basePath}.speedscope.json`;
      const secs = Math.max(1, Math.round(job.durationMs / 1000));
      // An abort sends SIGINT, on which py-spy record stops and writes what it sampled.
      const run = await runTool(pySpy, ['record', '--pid', String(job.pid), '--duration', String(secs), '--format', 'speedscope', '--output', file, '--nonblocking'], {
        signal: job.signal,
        deadlineMs: job.durationMs + 60_000,
      });
      if (run.code !== 0 && !job.signal.aborted) throw new Error(`py-spy record failed: ${lastWords(run)}`);
      return { file, format: 'speedscope', openWith: 'the flame graph in Hearth, or https://www.speedscope.app' };
    },
  };
}

function fetchTo(url: string, file: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get(url, { signal }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url} answered ${res.statusCode} (does the service import net/http/pprof on that port?)`));
        return;
      }
      pipeline(res, createWriteStream(file, { fd: openNewPrivate(file) })).then(resolve, reject);
    });
    req.on('error', (error) => reject(new Error(`GET ${url}: ${error.message}`)));
  });
}

/** Go's net/http/pprof on the service's `pprof` port: profile (CPU), heap, goroutine (every goroutine's stack). */
export function pprofEngine(port: number): CaptureEngine {
  return {
    name: 'pprof',
    async run(job: CaptureJob) {
      const base = `http://127.0.0.1:${port}/debug/pprof`;
      if (job.kind === 'threads') {
        const file = `${job.basePath}.txt`;
        await fetchTo(`${base}/goroutine?debug=2`, file, job.signal);
        return { file, format: 'text', openWith: 'any text viewer' };
      }
      const file = `${job.basePath}.pb.gz`;
      const url = job.kind === 'cpu' ? `${base}/profile?seconds=${Math.max(1, Math.round(job.durationMs / 1000))}` : `${base}/heap`;
      await fetchTo(url, file, job.signal);
      return {
        file,
        format: 'pprof',
        openWith: job.kind === 'cpu' ? `the flame graph in Hearth, or go tool pprof -http=: ${file}` : `go tool pprof -http=: ${file}`,
      };
    },
  };
}

const JVM_DUMP_START = /^Full thread dump /;
/** The dump ends with the heap summary; a quiet stdout after the start is the backstop. */
const QUIET_MS = 500;

/** SIGQUIT: the JVM writes its thread dump to stdout (Hearth's log of the service), taken from there. */
export const sigquitEngine: CaptureEngine = {
  name: 'sigquit',
  run(job) {
    return new Promise((resolve, reject) => {
      const lines: string[] = [];
      let quiet: NodeJS.Timeout | undefined;
      const overall = setTimeout(() => done(new Error('the JVM printed no thread dump within 10s of SIGQUIT (started with -Xrs?)')), 10_000);
      const untap = job.tapOutput((line) => {
        if (lines.length === 0 && !JVM_DUMP_START.test(line)) return;
        lines.push(line);
        clearTimeout(quiet);
        quiet = setTimeout(() => done(null), QUIET_MS);
      });
      function done(error: Error | null): void {
        clearTimeout(overall);
        clearTimeout(quiet);
        untap();
        if (error) return reject(error);
        const file = `${job.basePath}.txt`;
        writeFile(file, `${lines.join('\n')}\n`, NEW_PRIVATE_FILE).then(() => resolve({ file, format: 'text', openWith: 'any text viewer (or jstack.review)' }), reject);
      }
      try {
        process.kill(job.pid, 'SIGQUIT');
      } catch (error) {
        done(new Error(`cannot signal pid ${job.pid}: ${(error as Error).message}`));
      }
    });
  },
};
