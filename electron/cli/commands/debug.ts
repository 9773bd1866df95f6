// `hearth debug SERVICE`: the Node inspector of a running service on a free port, its health checks snoozed
// until the debugger that attaches there detaches (Linux sees the connection go; elsewhere, or to give up,
// `hearth debug --end SERVICE`).
import { withInstance } from '../instance';
import type { CommandSpec } from './types';

export const debugCommand: CommandSpec = {
  summary: "open a Node service's inspector on a free port, health checks snoozed until the debugger detaches",
  usage: 'debug [-f FILE] SERVICE [--end]',
  help: [
    '  Attach with chrome://inspect (Configure: 127.0.0.1:PORT) or an editor\'s "attach to Node" on 127.0.0.1:PORT.',
    '  The service stays snoozed until the debugger detaches (or 15 minutes pass with none attached).',
    '  --end    end the debug session now: unsnooze and close the inspector',
  ],
  options: { end: { type: 'boolean' } },
  positionals: { min: 1, max: 1, name: 'SERVICE' },
  run: (ctx, values, [service]) =>
    withInstance(ctx, async (client) => {
      if (values.end) {
        const { ended } = await client.invoke('debug_end', { service: service! });
        ctx.io.out.write(ended ? `ended the debug session of ${service}: health checks resume\n` : `${service} has no debug session\n`);
        return ended ? 0 : 1;
      }
      const { url, port } = await client.invoke('debug', { service: service! });
      ctx.io.out.write(
        [
          `${service}: inspector on ${url}`,
          `  attach: chrome://inspect (Configure… 127.0.0.1:${port}), or your editor's "attach to Node" on 127.0.0.1:${port}`,
          '  health checks are snoozed until the debugger detaches (hearth debug --end to stop now)',
          '',
        ].join('\n'),
      );
      return 0;
    }),
};
