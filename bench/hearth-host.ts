// The Hearth side of the bench: one stack hosted in its own process (as `hearth up` / `hearth serve`
// run it), so the bench can read this process's own CPU time and RSS from /proc, apart from its
// children's. Driven over Node IPC (see lib/protocol.ts). Usage: node hearth-host.mjs STACK_FILE
// [STATIC_DIR] — with STATIC_DIR it also serves the web UI (startWebHost) and reports its URL.
import type { LogLine, ServiceState, ServiceStatus, StackSnapshot } from '../shared/types';
import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';
import { openStackHost } from '../electron/host/stack-host';
import type { WebHost } from '../electron/web/server';
import { parseCommand } from '../shared/contract';
import type { HostReady, HostReply, HostRequest } from './lib/protocol';

const [file, staticDir] = process.argv.slice(2);
if (!file || !process.send) {
  process.stderr.write('usage: hearth-host STACK_FILE [STATIC_DIR] (run over IPC by bench/run.ts)\n');
  process.exit(2);
}
const send = (msg: HostReply | HostReady): void => void process.send?.(msg);

const host = await openStackHost({ file, control: true, services: [] });
const sup = host.supervisor;
const states = new Map<string, ServiceState>();
const lines = new Map<string, number>();
let waiters: Array<() => boolean> = [];
const recheck = (): void => {
  waiters = waiters.filter((done) => !done());
};
sup.subscribe((event, payload) => {
  if (event === 'snapshot') {
    const snap = payload as StackSnapshot;
    for (const s of snap.services) states.set(s.name, s.state);
  } else if (event === 'service') {
    const s = payload as ServiceStatus;
    states.set(s.name, s.state);
  } else if (event === 'logs') {
    for (const l of (payload as { lines: LogLine[] }).lines) {
      if (l.stream === 'stdout') lines.set(l.service, (lines.get(l.service) ?? 0) + 1);
    }
  } else return;
  if (waiters.length) recheck();
});

let web: WebHost | null = null;
let profiler: Session | null = null;
// Loaded only when asked for, as `hearth up` loads neither: figure 2 measures the host it runs.
if (staticDir) {
  const { startWebHost } = await import('../electron/web/server');
  web = await startWebHost({ supervisor: sup, port: 0, staticDir });
}

const reply = (id: number, fn: () => Promise<unknown>): void => {
  fn().then(
    (result) => send({ id, ok: true, result }),
    (error: unknown) => send({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
};
const until = (done: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const check = (): boolean => {
      if (!done()) return false;
      resolve();
      return true;
    };
    if (!check()) waiters.push(check);
  });

process.on('message', (msg: HostRequest) => {
  switch (msg.op) {
    case 'invoke':
      return reply(msg.id, async () => {
        const { command, args } = parseCommand(msg.command, msg.args);
        const result = await sup.invoke(command, args);
        // Snapshots are large; the bench only needs to know the command went through.
        return command === 'status' || command === 'logs' ? null : result;
      });
    case 'wait-all':
      return reply(msg.id, () => until(() => states.size > 0 && [...states.values()].every((s) => s === msg.state)));
    case 'wait-lines':
      return reply(msg.id, () => until(() => (lines.get(msg.service) ?? 0) >= msg.count));
    case 'profile':
      return reply(msg.id, async () => {
        if (msg.action === 'start') {
          profiler ??= new (await import('node:inspector/promises')).Session();
          profiler.connect();
          await profiler.post('Profiler.enable');
          await profiler.post('Profiler.start');
          return;
        }
        if (!profiler) throw new Error('no profile running');
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(msg.file ?? `hearth-host-${process.pid}.cpuprofile`, JSON.stringify(profile));
        profiler.disconnect();
      });
    case 'watch-resources':
      return reply(msg.id, async () => void sup.watchResources());
    case 'close':
      return reply(msg.id, async () => {
        await web?.close();
        await host.close();
        setImmediate(() => process.exit(0));
      });
  }
});
process.on('disconnect', () => void host.close().finally(() => process.exit(0)));
send({ op: 'ready', pid: process.pid, url: web?.url });
