// Which engine takes which kind of capture of a process, and why a missing one is missing. Pure: the
// runtime, the tools on PATH and the service's ports in, one answer per kind out.
import { CAPTURE_KINDS, type CaptureKind, type CaptureMethod, type CaptureRuntime } from '../../../shared/types';
import type { CaptureEngine } from './engine';
import { gcoreEngine, gdbThreadsEngine, perfEngine } from './native-engines';
import { nodeEngine } from './node-engine';
import { pprofEngine, pySpyEngine, sigquitEngine } from './runtime-engines';
import { missingTool, type CaptureTool } from './tools';

export interface PlanInput {
  runtime: CaptureRuntime;
  tools: ReadonlyMap<CaptureTool, string>;
  ports: Readonly<Record<string, number>>;
  /** The process's executable (for the command that opens a core file). */
  exe: string;
  platform?: string;
}

export interface Planned {
  method: CaptureMethod;
  engine: CaptureEngine | null;
}

/** The named port a Go service serves net/http/pprof on. */
export const PPROF_PORT = 'pprof';
const PPROF_HINT = `no port named "${PPROF_PORT}": import _ "net/http/pprof" and serve it on {{thermos.ports[${PPROF_PORT}]}}`;

function ok(kind: CaptureKind, engine: CaptureEngine, detail: string): Planned {
  return { method: { kind, engine: engine.name, available: true, detail }, engine };
}

function missing(kind: CaptureKind, detail: string): Planned {
  return { method: { kind, engine: null, available: false, detail }, engine: null };
}

export function planCaptures(input: PlanInput): Record<CaptureKind, Planned> {
  const { runtime, tools, ports, exe } = input;
  const platform = input.platform ?? process.platform;
  const tool = (name: CaptureTool) => tools.get(name) ?? null;
  const pprof = ports[PPROF_PORT];
  const gdb = tool('gdb');
  const perf = tool('perf');
  const pySpy = tool('py-spy');

  const nativeThreads = (why = ''): Planned =>
    gdb ? ok('threads', gdbThreadsEngine(gdb), `gdb: every thread's native stack${why}`) : missing('threads', missingTool('gdb', platform));
  const perfCpu = (why = ''): Planned => (perf ? ok('cpu', perfEngine(perf), `perf record, then perf script${why}`) : missing('cpu', missingTool('perf', platform)));

  const plans: Record<CaptureKind, Planned> = {
    cpu: missing('cpu', ''),
    heap: missing('heap', ''),
    core: tool('gcore') ? ok('core', gcoreEngine(tool('gcore')!, exe), 'gcore: the whole memory image; the process pauses while it is written') : missing('core', missingTool('gcore', platform)),
    threads: missing('threads', ''),
  };
  switch (runtime) {
    case 'node':
      plans.cpu = ok('cpu', nodeEngine, 'the inspector (SIGUSR1), Profiler.start/stop: a .cpuprofile');
      plans.heap = ok('heap', nodeEngine, 'the inspector (SIGUSR1), HeapProfiler.takeHeapSnapshot: a .heapsnapshot');
      plans.threads = ok('threads', nodeEngine, 'the inspector (SIGUSR1), Debugger.pause: the JavaScript stack');
      break;
    case 'python':
      plans.cpu = pySpy ? ok('cpu', pySpyEngine(pySpy), 'py-spy record: a speedscope profile') : missing('cpu', missingTool('py-spy', platform));
      plans.heap = missing('heap', 'no heap capture for Python (py-spy samples stacks only): take a core dump, or use tracemalloc');
      plans.threads = pySpy ? ok('threads', pySpyEngine(pySpy), "py-spy dump: every thread's Python stack") : nativeThreads(` (${missingTool('py-spy', platform)} for Python stacks)`);
      break;
    case 'go':
      if (pprof !== undefined) {
        plans.cpu = ok('cpu', pprofEngine(pprof), `GET /debug/pprof/profile on port ${pprof}`);
        plans.heap = ok('heap', pprofEngine(pprof), `GET /debug/pprof/heap on port ${pprof}`);
        plans.threads = ok('threads', pprofEngine(pprof), `GET /debug/pprof/goroutine?debug=2 on port ${pprof}`);
      } else {
        plans.cpu = perfCpu(` (${PPROF_HINT} for Go's own profile)`);
        plans.heap = missing('heap', PPROF_HINT);
        // Not SIGQUIT: a Go program exits after printing its goroutines.
        plans.threads = nativeThreads(` (${PPROF_HINT} for goroutine stacks)`);
      }
      break;
    case 'jvm':
      plans.cpu = perfCpu(' (JIT frames show as addresses without -XX:+PreserveFramePointer and perf-map-agent)');
      plans.heap = missing('heap', 'no heap capture for the JVM yet: jcmd PID GC.heap_dump FILE, or take a core dump');
      plans.threads = ok('threads', sigquitEngine, "SIGQUIT: the JVM prints every thread's stack and goes on running");
      break;
    case 'native':
      plans.cpu = perfCpu();
      plans.heap = missing('heap', 'no heap profile for a native process: take a core dump instead');
      plans.threads = nativeThreads();
      break;
  }
  return plans;
}

export function methodList(plans: Record<CaptureKind, Planned>): CaptureMethod[] {
  return CAPTURE_KINDS.map((kind) => plans[kind].method);
}
