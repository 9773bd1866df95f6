// `hearth status` and `hearth ports`: read-only views of the running instance.
import { formatPortsTable, formatStatusTable, portEntries, statusJson } from '../status-format';
import { withInstance } from '../instance';
import { LineOutput } from '../output';
import type { CommandSpec } from './types';

export const statusCommand: CommandSpec = {
  summary: 'show every service of the running stack',
  usage: 'status [-f FILE] [--json]',
  help: ['  --json   machine-readable: {"stack": …, "services": [{"name", "state", "pid", "restarts", "ports", …}]}'],
  options: { json: { type: 'boolean' } },
  run: (ctx, values) =>
    withInstance(ctx, async (client) => {
      const snapshot = await client.invoke('status', {});
      const out = new LineOutput(ctx.io.out);
      if (values.json) out.line(JSON.stringify(statusJson(snapshot), null, 2));
      else if (snapshot.services.length === 0) out.line('no services');
      else for (const line of formatStatusTable(snapshot, ctx.palette)) out.line(line);
      await out.flushed();
      return 0;
    }),
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
