// Runs a real stack for integration tests: writes hearth.yaml (and extra files) into a temp folder,
// loads it, creates the supervisor and records every event it emits.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HearthEvents } from '../../shared/contract';
import type { LogLine, ServiceState, ServiceStatus } from '../../shared/types';
import type { Supervisor } from '../../electron/supervisor/api';
import { loadStackFile } from '../../electron/supervisor/config/load';
import { createSupervisor, type SupervisorOptions } from '../../electron/supervisor/supervisor';
import { makeTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

export interface StackUnderTest {
  dir: string;
  file: string;
  sup: Supervisor;
  lines: LogLine[];
  history: ServiceStatus[];
  status(name: string): ServiceStatus;
  waitState(name: string, state: ServiceState | ((s: ServiceStatus) => boolean), timeoutMs?: number): Promise<ServiceStatus>;
  close(): Promise<void>;
}

export async function runStack(
  yaml: string,
  opts: {
    files?: Record<string, string>;
    start?: boolean;
    supervisor?: Omit<SupervisorOptions, 'stack'>;
    /** Runs in the stack folder before the supervisor is created (state a crashed run left behind). */
    prepare?: (dir: string) => void;
  } = {},
): Promise<StackUnderTest> {
  const { dir, cleanup } = makeTempDir('hs-');
  copyFileSync(new URL('./fixtures/health-server.mjs', import.meta.url), join(dir, 'health-server.mjs'));
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text, { mode: 0o755 });
  }
  const file = join(dir, 'hearth.yaml');
  writeFileSync(file, yaml);
  const loaded = await loadStackFile(file);
  if (!loaded.ok) throw new Error(`fixture stack invalid: ${JSON.stringify(loaded.errors)}`);
  opts.prepare?.(dir);
  const sup = await createSupervisor({ ...opts.supervisor, stack: loaded.stack });
  const lines: LogLine[] = [];
  const history: ServiceStatus[] = [];
  const latest = new Map<string, ServiceStatus>();
  sup.subscribe((event, payload) => {
    if (event === 'snapshot') for (const s of (payload as HearthEvents['snapshot']).services) latest.set(s.name, s);
    if (event === 'service') {
      const s = payload as HearthEvents['service'];
      latest.set(s.name, s);
      history.push(s);
    }
    if (event === 'logs') lines.push(...(payload as HearthEvents['logs']).lines);
  });
  if (opts.start !== false) await sup.invoke('start', {});
  const status = (name: string): ServiceStatus => {
    const s = latest.get(name);
    if (!s) throw new Error(`no status for ${name}`);
    return s;
  };
  return {
    dir,
    file,
    sup,
    lines,
    history,
    status,
    waitState: (name, state, timeoutMs = 15_000) =>
      waitFor(
        () => {
          const s = latest.get(name);
          if (!s) return undefined;
          return (typeof state === 'function' ? state(s) : s.state === state) ? s : undefined;
        },
        { timeoutMs, what: `${name} ${typeof state === 'function' ? 'condition' : state}` },
      ),
    close: async () => {
      await sup.close();
      cleanup();
    },
  };
}
