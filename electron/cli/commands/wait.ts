// `hearth wait`: block until the running stack is ready (services RUNNING, jobs FINISHED), for scripts:
// `hearth up -d && hearth wait && npm run e2e; hearth down`. Exit 0 when ready, 1 when something gave up
// (see readiness.ts), the time ran out or the instance went away.
import type { ControlClient } from '../../control/client';
import type { ServiceStatus, StackSnapshot } from '../../../shared/types';
import { durationOption } from '../duration';
import { withInstance } from '../instance';
import { nextInterrupt, type CliContext } from '../io';
import { LineOutput } from '../output';
import { checkReadiness, type Readiness } from '../readiness';
import type { CommandSpec, OptionValues } from './types';

/** `--timeout 2m` in ms, or null for no limit. */
export function parseTimeout(value: OptionValues[string], command: string): number | null {
  const secs = durationOption(value, command, 'timeout');
  return secs === null ? null : secs * 1000;
}

function describeReady(s: ServiceStatus): string {
  if (s.state === 'FINISHED') return `${s.name} finished`;
  return `${s.name} is ready${s.health.status !== 'none' ? ` (${s.health.status})` : ''}`;
}

/**
 * Follows the instance until every target is ready, one gave up, `timeoutMs` passed or Ctrl-C. Prints a
 * line per service as it gets ready, then the verdict. `names`: instance or group names (none: what is wanted).
 */
export async function waitUntilReady(ctx: CliContext, client: ControlClient, names: readonly string[], timeoutMs: number | null): Promise<number> {
  const { palette } = ctx;
  const statuses = new Map<string, ServiceStatus>();
  const out = new LineOutput(ctx.io.out);
  const say = (text: string): void => out.line(text);
  const started = Date.now();
  let introduced = false;
  const announced = new Set<string>();
  let verdict!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (verdict = resolve));
  let over = false;
  const finish = (code: number, lines: string[]): void => {
    if (over) return;
    over = true;
    for (const line of lines) say(line);
    verdict(code);
  };

  const evaluate = (): void => {
    if (over) return;
    let r: Readiness;
    try {
      r = checkReadiness([...statuses.values()], names);
    } catch (error) {
      finish(1, [palette.red((error as Error).message)]);
      return;
    }
    if (!introduced) {
      introduced = true;
      if (r.targets.length > 0) say(`waiting for ${r.targets.join(', ')}${timeoutMs !== null ? ` (at most ${timeoutMs / 1000}s)` : ''}`);
    }
    for (const name of r.ready) {
      if (announced.has(name)) continue;
      announced.add(name);
      say(describeReady(statuses.get(name)!));
    }
    if (r.failed.length > 0) {
      finish(1, [...r.failed.map((f) => palette.red(`${f.name}: ${f.why}`)), palette.red('not ready: giving up')]);
    } else if (r.done) {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      finish(0, [r.targets.length === 0 ? 'nothing to wait for: no service is starting or running' : palette.green(`ready: ${r.targets.length} service${r.targets.length === 1 ? '' : 's'} (${secs}s)`)]);
    }
  };

  await client.subscribe((event, payload) => {
    if (event === 'snapshot') {
      statuses.clear();
      for (const s of (payload as StackSnapshot).services) statuses.set(s.name, s);
    } else if (event === 'service') {
      const s = payload as ServiceStatus;
      statuses.set(s.name, s);
    } else if (event === 'service_removed') {
      statuses.delete((payload as { name: string }).name);
    } else return;
    evaluate();
  });

  const timer =
    timeoutMs === null
      ? null
      : setTimeout(() => {
          if (over) return;
          // Evaluated before without throwing (or it would be over): names are all known.
          const r = checkReadiness([...statuses.values()], names);
          finish(1, [palette.red(`timed out after ${timeoutMs / 1000}s; not ready: ${r.waiting.map((w) => `${w.name} (${w.state})`).join(', ')}`)]);
        }, timeoutMs);
  const interrupt = nextInterrupt(ctx.io);
  void interrupt.promise.then(() => finish(1, ['interrupted; not ready']));
  void client.closed.then(() => finish(1, [palette.red('the hearth instance stopped')]));
  try {
    const code = await finished;
    await out.flushed();
    return code;
  } finally {
    if (timer) clearTimeout(timer);
    interrupt.dispose();
  }
}

export const waitCommand: CommandSpec = {
  summary: 'wait until the running stack is ready (for scripts)',
  usage: 'wait [-f FILE] [SERVICE...] [--timeout DURATION]',
  help: [
    '  Ready: a service is RUNNING (its health checks passed min_consecutive_successes; without checks,',
    '  started), a job FINISHED. Without names, every service that is not stopped.',
    '  Exits 0 when ready; 1 when a job FAILED, a service is in a crash loop, a named service is stopped',
    '  (or something it waits for is), the time ran out, or the instance stopped.',
    '  --timeout DURATION   give up after this long, e.g. 90s, 2m (default: no limit)',
  ],
  options: { timeout: { type: 'string' } },
  positionals: { max: 256, name: 'SERVICE' },
  run: (ctx, values, names) => {
    const timeoutMs = parseTimeout(values.timeout, 'wait');
    return withInstance(ctx, (client) => waitUntilReady(ctx, client, names, timeoutMs));
  },
};
