// What every section gets: where to put files, how to start each system, the report to fill.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Launchers } from './build';
import type { Report } from './report';
import { openBaseline } from '../systems/baseline';
import { openHearth } from '../systems/hearth';
import { openHearthUp } from '../systems/hearth-up';
import { openPm2 } from '../systems/pm2';
import { openSupervisord } from '../systems/supervisord';
import type { ServiceSpec, SystemDriver, SystemName } from '../systems/types';

export interface BenchOptions {
  quick: boolean;
  /** Sections to run (all when empty). */
  only: string[];
}

export interface BenchContext {
  root: string;
  /** Temp folder of this invocation. */
  work: string;
  env: NodeJS.ProcessEnv;
  launchers: Launchers;
  report: Report;
  opts: BenchOptions;
  /** Peers that are available (baseline and hearth always are). */
  systems: SystemName[];
  supervisordExe: string | null;
  log(message: string): void;
}

let dirCounter = 0;

export function freshDir(ctx: BenchContext, label: string): string {
  const dir = join(ctx.work, `${String(++dirCounter).padStart(3, '0')}-${label}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `hearthAs`: 'host' runs Hearth's stack host under the bench's control (every figure can drive it);
 * 'up' runs `hearth up` itself, which can only be started, waited for and stopped (the idle figures).
 */
export async function openSystem(ctx: BenchContext, system: SystemName, services: ServiceSpec[], label: string, hearthAs: 'host' | 'up' = 'host'): Promise<SystemDriver> {
  const dir = freshDir(ctx, `${label}-${system}`);
  const octx = { dir, env: ctx.env, launchers: ctx.launchers, root: ctx.root };
  switch (system) {
    case 'baseline':
      return openBaseline(services, octx);
    case 'hearth':
      return hearthAs === 'up' ? openHearthUp(services, octx) : openHearth(services, octx);
    case 'pm2':
      return openPm2(services, octx);
    case 'supervisord': {
      const [rpcPort] = await freePorts(1, 21500); // below the ephemeral range, as fleet's ports
      return openSupervisord(services, octx, rpcPort!, ctx.supervisordExe!);
    }
  }
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** `n` ports from `from` up that are free on 127.0.0.1 right now (for the peers' fixed ports). */
export async function freePorts(n: number, from: number): Promise<number[]> {
  const out: number[] = [];
  for (let p = from; out.length < n && p < 65535; p++) if (await canBind(p, '127.0.0.1')) out.push(p);
  return out;
}
