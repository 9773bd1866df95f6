// Runs a capture tool (gcore, gdb, perf, py-spy) to its end. An abort sends SIGINT, which perf and py-spy
// answer by writing what they have; a tool that overstays its deadline is killed. Its own words on
// failure come back in the error, trimmed to their end.
import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const KEEP_CHARS = 64 * 1024;

export function runTool(file: string, args: string[], opts: { signal?: AbortSignal; deadlineMs: number; maxStdout?: number; env?: NodeJS.ProcessEnv }): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) });
    let stdout = '';
    let stderr = '';
    const maxStdout = opts.maxStdout ?? 64 * 1024 * 1024;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      if (stdout.length < maxStdout) stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-KEEP_CHARS);
    });
    const onAbort = (): void => void child.kill('SIGINT');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => child.kill('SIGKILL'), opts.deadlineMs);
    child.once('error', (error) => {
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`cannot run ${file}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last meaningful line a tool printed, for an error message. */
export function lastWords(run: ToolRun): string {
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const how = run.signal ? `killed by ${run.signal}` : `exit code ${run.code}`;
  return lines.length ? `${lines.slice(-2).join(' ')} (${how})` : how;
}
