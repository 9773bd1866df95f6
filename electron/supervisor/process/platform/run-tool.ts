// Running a system tool (ps, powershell, taskkill) for a backend: asynchronous, with a deadline, and
// never throwing. A tool that is missing or hangs makes the backend answer "unknown", never hang a stop.
import { execFile } from 'node:child_process';

export interface ToolResult {
  /** Exit code; null when it could not run at all or was killed at the deadline. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it did not run to an exit code (ENOENT, the deadline), or null. */
  error: string | null;
}

/** How long any one call of a tool may take before it is killed and treated as failed. */
export const TOOL_TIMEOUT_MS = 10_000;

export function runTool(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = TOOL_TIMEOUT_MS): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      // 64 MiB: a ps table of tens of thousands of processes; windowsHide: no console flashes on Windows.
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout, stderr, error: null });
        const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
        if (typeof e.code === 'number') return resolve({ code: e.code, stdout, stderr, error: null });
        const why = e.killed ? `no answer within ${timeoutMs / 1000}s` : (e.code ?? e.message);
        resolve({ code: null, stdout, stderr, error: `${file}: ${String(why)}` });
      },
    );
  });
}
