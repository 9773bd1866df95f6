// `hearth debug SERVICE`: the Node inspector of a running service on a free port (Python: debugpy attached to
// it), its health checks snoozed until the debugger that attaches there detaches (Linux sees the connection
// go; elsewhere, or to give up, `hearth debug --end SERVICE`).
import { attachHint } from '../../../shared/debug-hint';
import { withInstance } from '../instance';
import type { CommandSpec } from './types';

export const debugCommand: CommandSpec = {
  summary: "open a Node service's inspector (Python: attach debugpy) on a free port, health checks snoozed until the debugger detaches",
  usage: 'debug [-f FILE] SERVICE [--end]',
  help: [
    '  Node: attach with chrome://inspect (Configure: 127.0.0.1:PORT) or an editor\'s "attach to Node" on 127.0.0.1:PORT.',
    '  Python: debugpy (pip install debugpy) is attached to the process through gdb (lldb on macOS); attach',
    '  VS Code\'s "Python Debugger: Attach" to 127.0.0.1:PORT. A service started as `python -m debugpy --listen …`',
    '  keeps its own port. debugpy attaches once per process: debug it again after a restart.',
    '  The service stays snoozed until the debugger detaches (or 15 minutes pass with none attached).',
    '  --end    end the debug session now: unsnooze and close the inspector (debugpy: stop its listener)',
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
      const { url, port, engine } = await client.invoke('debug', { service: service! });
      ctx.io.out.write(
        [
          `${service}: ${engine === 'debugpy' ? 'debugpy' : 'inspector'} on ${url}`,
          `  attach: ${attachHint(engine, port)}`,
          '  health checks are snoozed until the debugger detaches (hearth debug --end to stop now)',
          '',
        ].join('\n'),
      );
      return 0;
    }),
};
