// `hearth status` and `hearth ports`: read-only views of the running instance.
import type { ControlClient, ControlListener } from '../../control/client';
import type { ServiceStatus, StackSnapshot } from '../../../shared/types';
import { formatPortsTable, formatStatusTable, portEntries, statusJson } from '../status-format';
import { CliError, withInstance } from '../instance';
import { selectServices } from '../select-services';
import { nextInterrupt, type CliContext } from '../io';
import { LineOutput } from '../output';
import type { CommandSpec } from './types';

/** Redraws at most this often however many events arrive, and at least this often for the clocks. */
const WATCH_REDRAW_MS = 1000;
const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/** `status --watch`: the table, redrawn on every change (on a terminal, in place) until Ctrl-C. */
async function watchStatus(ctx: CliContext, client: ControlClient): Promise<number> {
  let snapshot: StackSnapshot | null = null;
  let dirty = false;
  const out = new LineOutput(ctx.io.out);
  const draw = (): void => {
    if (!snapshot) return;
    dirty = false;
    if (ctx.io.out.isTTY) ctx.io.out.write(CLEAR_SCREEN);
    for (const line of formatStatusTable({ ...snapshot, now: Date.now() }, ctx.palette)) out.line(line);
    if (!ctx.io.out.isTTY) out.line('');
  };
  const onEvent: ControlListener = (event, payload) => {
    if (event === 'snapshot') snapshot = payload as StackSnapshot;
    else if (snapshot && event === 'service') {
      const next = payload as ServiceStatus;
      const index = snapshot.services.findIndex((s) => s.name === next.name);
      snapshot = { ...snapshot, services: index === -1 ? [...snapshot.services, next] : snapshot.services.map((s, i) => (i === index ? next : s)) };
      dirty = true;
    } else if (snapshot && event === 'service_removed') {
      const { name } = payload as { name: string };
      snapshot = { ...snapshot, services: snapshot.services.filter((s) => s.name !== name) };
      dirty = true;
    }
  };
  await client.subscribe(onEvent, { resources: true }); // the CPU/MEM columns stay live

  draw();
  // Redraw on a timer rather than per event: a crash loop must not flood the terminal.
  const timer = setInterval(() => {
    if (dirty || ctx.io.out.isTTY) draw();
  }, WATCH_REDRAW_MS);
  const interrupt = nextInterrupt(ctx.io);
  try {
    const why = await Promise.race([interrupt.promise.then(() => 'interrupt' as const), client.closed.then(() => 'closed' as const)]);
    if (dirty) draw();
    await out.flushed();
    if (why === 'closed') ctx.io.err.write('the hearth instance stopped\n');
    return 0;
  } finally {
    clearInterval(timer);
    interrupt.dispose();
  }
}

/** Only the services named (a group name stands for its instances); all when none is. */
function onlyNamed(snapshot: StackSnapshot, names: readonly string[]): StackSnapshot {
  if (names.length === 0) return snapshot;
  const { selected, unknown, known } = selectServices(snapshot.services, names);
  if (unknown.length > 0) throw new CliError(`hearth status: no service named ${unknown.join(', ')} (services: ${known})`);
  return { ...snapshot, services: selected };
}

export const statusCommand: CommandSpec = {
  summary: 'show every service of the running stack',
  usage: 'status [-f FILE] [SERVICE...] [--json | --watch]',
  help: [
    '  SERVICE   only these (a replicated group name shows each of its instances)',
    '  --json    machine-readable: {"stack": …, "services": [{"name", "state", "pid", "restarts", "ports", …}]}',
    '  --watch   keep the table up to date until Ctrl-C',
  ],
  options: { json: { type: 'boolean' }, watch: { type: 'boolean' } },
  positionals: { max: 256, name: 'SERVICE' },
  run: (ctx, values, names) => {
    if (values.json && values.watch) throw new CliError('hearth status: --json and --watch do not go together', 2);
    if (values.watch && names.length > 0) throw new CliError('hearth status: --watch shows every service (no SERVICE names)', 2);
    return withInstance(ctx, async (client) => {
      if (values.watch) return watchStatus(ctx, client);
      const snapshot = onlyNamed(await client.invoke('status', {}), names);
      const out = new LineOutput(ctx.io.out);
      if (values.json) out.line(JSON.stringify(statusJson(snapshot), null, 2));
      else if (snapshot.services.length === 0) out.line('no services');
      else for (const line of formatStatusTable(snapshot, ctx.palette)) out.line(line);
      await out.flushed();
      return 0;
    });
  },
};

export const portsCommand: CommandSpec = {
  summary: 'list the named ports of every service',
  usage: 'ports [-f FILE] [--json]',
  help: ['  --json   machine-readable: {"ports": [{"service", "name", "port", "url"}]}'],
  options: { json: { type: 'boolean' } },
  run: (ctx, values) =>
    withInstance(ctx, async (client) => {
      const entries = portEntries(await client.invoke('status', {}));
      const out = new LineOutput(ctx.io.out);
      if (values.json) out.line(JSON.stringify({ ports: entries }, null, 2));
      else if (entries.length === 0) out.line('no ports');
      else for (const line of formatPortsTable(entries, ctx.palette)) out.line(line);
      await out.flushed();
      return 0;
    }),
};
