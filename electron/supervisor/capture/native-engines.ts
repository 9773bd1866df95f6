// Any process: gcore for a core dump, gdb for every thread's native stack, perf for a CPU profile.
// Each stops (gcore, gdb) or samples (perf) the process from outside: its health checks are snoozed first.
import { rename, stat, writeFile } from 'node:fs/promises';
import { lastWords, runTool } from './run-tool';
import { sleepUnlessAborted, type CaptureEngine } from './engine';
import { NEW_PRIVATE_FILE } from '../safe-fs';

/** gcore of a big process writes gigabytes: give it time, but not forever. */
const CORE_DEADLINE_MS = 10 * 60_000;
const GDB_DEADLINE_MS = 60_000;

function ptraceHint(words: string): string {
  return /ptrace|Operation not permitted|not permitted/i.test(words)
    ? `${words}; the kernel refused to let gdb attach (Linux: sysctl kernel.yama.ptrace_scope=0, or run Hearth as the process's owner)`
    : words;
}

export function gcoreEngine(gcore: string, exe: string): CaptureEngine {
  return {
    name: 'gcore',
    async run(job) {
      // gcore -o PREFIX writes PREFIX.PID.
      const run = await runTool(gcore, ['-o', job.basePath, String(job.pid)], { deadlineMs: CORE_DEADLINE_MS });
      const written = `${job.basePath}.${job.pid}`;
      const file = `${job.basePath}.core`;
      try {
        await stat(written);
      } catch {
        throw new Error(`gcore wrote no core file: ${ptraceHint(lastWords(run))}`);
      }
      await rename(written, file);
      return { file, format: 'core', openWith: `gdb ${exe} ${file}` };
    },
  };
}

export function gdbThreadsEngine(gdb: string): CaptureEngine {
  return {
    name: 'gdb',
    async run(job) {
      const run = await runTool(gdb, ['-p', String(job.pid), '-batch', '-nx', '-ex', 'set pagination off', '-ex', 'thread apply all bt'], {
        deadlineMs: GDB_DEADLINE_MS,
      });
      if (!/^Thread |^#0 /m.test(run.stdout)) throw new Error(`gdb printed no stack: ${ptraceHint(lastWords(run))}`);
      const file = `${job.basePath}.txt`;
      await writeFile(file, run.stdout, NEW_PRIVATE_FILE);
      return { file, format: 'text', openWith: 'any text viewer' };
    },
  };
}

/**
 * perf record samples the process's stacks for the duration; `perf script` turns perf.data into the text
 * speedscope reads. The perf.data file stays beside it for `perf report -i`.
 */
export function perfEngine(perf: string): CaptureEngine {
  return {
    name: 'perf',
    async run(job) {
      const data = `${job.basePath}.perf.data`;
      const controller = new AbortController();
      const recording = runTool(perf, ['record', '-F', '99', '-g', '-p', String(job.pid), '-o', data], {
        signal: controller.signal,
        deadlineMs: job.durationMs + 60_000,
      });
      await Promise.race([sleepUnlessAborted(job.durationMs, job.signal), recording]);
      controller.abort(); // SIGINT: perf record writes its data and exits
      const run = await recording;
      try {
        await stat(data);
      } catch {
        throw new Error(`perf record wrote nothing: ${lastWords(run)}${/paranoid|permission/i.test(run.stderr) ? ' (sysctl kernel.perf_event_paranoid=1 lets a user profile their own processes)' : ''}`);
      }
      const script = await runTool(perf, ['script', '-i', data], { deadlineMs: 120_000 });
      if (script.code !== 0) throw new Error(`perf script failed: ${lastWords(script)}`);
      const file = `${job.basePath}.perf.txt`;
      await writeFile(file, script.stdout, NEW_PRIVATE_FILE);
      return { file, format: 'perf-script', openWith: `the flame graph in Hearth, or perf report -i ${data}` };
    },
  };
}
