// Memory that objects really keep alive, measured on this process's own V8 heap: a forced full GC
// before and after building them. For tests of what a long-lived structure retains (a ring of log
// lines, the splitter's unfinished line), where a V8 string slice or a Buffer view can keep far more
// alive than it shows. Counts the V8 heap and the memory of Buffers (outside the heap).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes still held once `build` returned (what it returns is kept alive while measuring). */
export function retainedBy<T>(build: () => T): { bytes: number; kept: T } {
  const before = used();
  const kept = build();
  const bytes = used() - before;
  return { bytes, kept };
}
