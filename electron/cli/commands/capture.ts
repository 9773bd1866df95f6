// `hearth capture SERVICE [KIND] [--for 30s]`: a CPU profile, heap snapshot, core dump or thread dump of a
// running service, taken under a capture snooze that the supervisor removes when it ends. Ctrl-C ends it
// early (a CPU profile keeps what it sampled). Without KIND: what can be taken of it, and why not the rest.
import { CAPTURE_KINDS, type CaptureInfo, type CaptureKind, type CaptureTools } from '../../../shared/types';
import { formatSize } from '../../../shared/format-size';
import { formatTook } from '../../../shared/format-took';
import { durationOption, formatDuration } from '../duration';
import { CliError, withInstance } from '../instance';
import type { CommandSpec } from './types';

export function formatTools(tools: CaptureTools): string[] {
  if (tools.pid === null) return [`${tools.service} has no running process to capture`];
  const width = Math.max(...CAPTURE_KINDS.map((k) => k.length));
  return [
    `${tools.service} (pid ${tools.pid}, ${tools.runtime}):`,
    ...tools.methods.map((m) => `  ${m.kind.padEnd(width)}  ${m.available ? `${m.engine}: ${m.detail}` : `not available: ${m.detail}`}`),
  ];
}

export function formatCapture(c: CaptureInfo): string[] {
  return [
    `wrote ${c.file} (${formatSize(c.bytes)}, took ${formatTook(c.duration_ms)})`,
    // Said when it is not the service's own process: the app below npm start, a shell, …
    ...(c.target?.includes(', under ') ? [`of ${c.target}`] : []),
    `open it with: ${c.open_with}`,
  ];
}

export const captureCommand: CommandSpec = {
  summary: 'profile, heap-snapshot, core-dump or thread-dump a service (its health checks snoozed meanwhile)',
  usage: `capture [-f FILE] SERVICE [${CAPTURE_KINDS.join('|')}] [--for DURATION] [--json]`,
  help: [
    '  cpu      a CPU profile (Node: the inspector; Python: py-spy; Go: a `pprof` port; else perf)',
    '  heap     a heap snapshot (Node) or heap profile (Go)',
    '  core     a core dump (gcore)',
    "  threads  every thread's stack (Node: the JS stack; Python: py-spy dump; JVM: SIGQUIT; else gdb)",
    '  --for DURATION   how long a CPU profile samples (default 30s, at most 10m); Ctrl-C ends it early',
    '  --json           the capture (or, without KIND, what can be taken) as JSON',
    '  Files go to .hearth/captures/SERVICE/. Without KIND: what this service allows, and why not the rest.',
  ],
  options: { for: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 2, name: 'SERVICE [KIND]' },
  run: (ctx, values, [service, kindText]) => {
    const forSecs = durationOption(values.for, 'capture', 'for') ?? undefined;
    if (kindText !== undefined && !(CAPTURE_KINDS as readonly string[]).includes(kindText)) {
      throw new CliError(`hearth capture: unknown kind "${kindText}" (one of ${CAPTURE_KINDS.join(', ')})`, 2);
    }
    const kind = kindText as CaptureKind | undefined;
    const { out, err } = ctx.io;
    return withInstance(ctx, async (client) => {
      const tools = await client.invoke('capture_tools', { service: service! });
      if (!kind) {
        out.write(values.json ? `${JSON.stringify(tools, null, 2)}\n` : `${formatTools(tools).join('\n')}\n`);
        return 0;
      }
      const method = tools.methods.find((m) => m.kind === kind);
      if (method && !method.available) throw new CliError(`hearth capture: no ${kind} capture of ${service} (${tools.runtime}): ${method.detail}`);
      let interrupted = false;
      const off = ctx.io.onInterrupt(() => {
        if (interrupted) return;
        interrupted = true;
        err.write('ending the capture early…\n');
        void client.invoke('capture_cancel', { service: service! }).catch(() => undefined);
      });
      try {
        const secs = forSecs ?? 30;
        if (!values.json) {
          const how = method?.engine ? ` with ${method.engine}` : '';
          err.write(`capturing ${kind} of ${service}${how}${kind === 'cpu' ? ` for ${formatDuration(secs * 1000)}` : ''}; its health checks are snoozed until it ends${kind === 'cpu' ? ' (Ctrl-C ends it early)' : ''}\n`);
        }
        const { capture } = await client.invoke('capture', { service: service!, kind, for_secs: forSecs });
        out.write(values.json ? `${JSON.stringify(capture, null, 2)}\n` : `${formatCapture(capture).join('\n')}\n`);
        return interrupted ? 130 : 0;
      } finally {
        off();
      }
    });
  },
};
