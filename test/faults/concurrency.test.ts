// Fault 12: 100 interleaved start/stop/restart/snooze/unsnooze commands against the same services from
// two front ends at once: the CLI (a new control-socket connection per command, as a user in a
// terminal) and the UI (the web host's WebSocket, several commands in flight at a time). While they
// run, /proc never shows two process trees for one service; afterwards every status agrees with
// /proc and with the snooze files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../shared/contract';
import type { ServiceStatus } from '../../shared/types';
import { main } from '../../electron/cli/main';
import { openStackHost, type StackHost } from '../../electron/host/stack-host';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { captureIo } from '../cli/capture-io';
import { waitFor } from '../helpers/wait-for';
import { login, openSocket, type RecordingSocket } from '../web/clients';
import { killMarked, markedProcesses, uniqueMark, writeStack, type StackDir } from './kit';

let stack: StackDir | null = null;
let host: StackHost | null = null;
let web: WebHost | null = null;
let ui: RecordingSocket | null = null;
let mark = '';
afterEach(async () => {
  ui?.ws.close();
  ui = null;
  await web?.close();
  web = null;
  await host?.close();
  host = null;
  if (mark) killMarked(mark);
  stack?.cleanup();
  stack = null;
});

const NAMES = ['alpha', 'beta', 'gamma'] as const;
const PROBE_TAG = 'hearth-fault-probe';
const VERBS = ['start', 'stop', 'restart', 'snooze', 'unsnooze'] as const;
type Verb = (typeof VERBS)[number];
interface Command {
  verb: Verb;
  services: string[];
}

/** mulberry32: a fixed sequence, so a failure can be replayed exactly. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function commands(count: number, random: () => number): Command[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, () => {
    const verb = pick(VERBS);
    if (verb === 'snooze' || verb === 'unsnooze') return { verb, services: [pick(NAMES)] };
    const services = NAMES.filter(() => random() < 0.5);
    return { verb, services: services.length ? services : [pick(NAMES)] };
  });
}

/** Process groups (trees) per service, from /proc. */
function treesByService(): Map<string, Set<number>> {
  const trees = new Map<string, Set<number>>(NAMES.map((n) => [n, new Set<number>()]));
  for (const p of markedProcesses(mark)) {
    // A health check runs in a process group of its own with the service's environment: not a service tree.
    if (p.cmdline.includes(PROBE_TAG)) continue;
    trees.get(p.env.get('HEARTH_SERVICE') ?? '?')?.add(p.pgrp);
  }
  return trees;
}

describe('interleaved commands from the CLI and the UI', () => {
  it('100 commands end consistent, never with two process trees for one service', async () => {
    mark = uniqueMark('concurrency');
    const services = NAMES.map(
      (n) => `  ${n}:
    cmd: sleep 1000 & wait
    env: { HEARTH_TEST_MARK: "${mark}" }
    health_check: { shell: { shell_command: "exit 0 # ${PROBE_TAG}" }, initial_interval_secs: 0, interval_secs: 0.1 }
    lifecycle: { shutdown_wait_secs: 0.5 }`,
    );
    stack = writeStack(`services:\n${services.join('\n')}\n`);
    host = await openStackHost({ file: stack.file });
    web = await startWebHost({ supervisor: host.supervisor, port: 0, staticDir: join(stack.dir, 'no-ui') });
    const socket = await openSocket(web.port, { session: await login(web.port, web.url) });
    ui = socket;

    // Watch /proc all along: a duplicate may exist for only a moment.
    let worst = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const groups of treesByService().values()) worst = Math.max(worst, groups.size);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    // HEARTH_FAULT_SEED replays (or explores) another interleaving.
    const random = rng(Number(process.env.HEARTH_FAULT_SEED ?? 20240611));
    const all = commands(100, random);
    const viaCli = all.filter((_, i) => i % 2 === 0);
    const viaUi = all.filter((_, i) => i % 2 === 1);
    const cliFailures: string[] = [];

    const cliActor = (async () => {
      for (const c of viaCli) {
        const io = captureIo(stack!.dir);
        const args = c.verb === 'snooze' && random() < 0.5 ? [...c.services, '--for', '30s'] : c.services;
        const code = await main(['-f', stack!.file, c.verb, ...args], io);
        if (code !== 0) cliFailures.push(`${c.verb} ${args.join(' ')} -> ${code}: ${io.err.text}`);
      }
    })();

    let nextId = 1;
    const answers = new Map<number, ServerFrame>();
    socket.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'result') answers.set(frame.id, frame);
    });
    const uiActor = (async () => {
      // Bursts of up to five commands in flight, as a user clicking quickly.
      for (let i = 0; i < viaUi.length; i += 5) {
        const ids = viaUi.slice(i, i + 5).map((c) => {
          const id = nextId++;
          const args = c.verb === 'snooze' || c.verb === 'unsnooze' ? { service: c.services[0] } : { services: c.services };
          socket.ws.send(JSON.stringify({ type: 'invoke', id, command: c.verb, args }));
          return id;
        });
        await waitFor(() => ids.every((id) => answers.has(id)), { what: `answers to ${ids.join(',')}`, timeoutMs: 20_000 });
      }
    })();

    await Promise.all([cliActor, uiActor]);
    expect(cliFailures).toEqual([]);
    expect([...answers.values()].filter((a) => a.type === 'result' && !a.ok)).toEqual([]);

    // Settled: nothing in between states.
    const sup = host.supervisor;
    const settled = await waitFor(() => {
      const s = sup.snapshot().services;
      return s.every((x) => x.state === 'RUNNING' || x.state === 'STOPPED') ? s : undefined;
    }, { what: 'every service RUNNING or STOPPED', timeoutMs: 15_000 });
    sampling = false;
    await sampler;
    expect(worst, 'most process trees seen at once for one service').toBeLessThanOrEqual(1);
    // The storm really did start and stop processes (runs count every spawn).
    expect(settled.reduce((n, s) => n + s.run, 0)).toBeGreaterThanOrEqual(15);
    expectAgreement(settled, stack.dir);

    // Both front ends still work, and the end states are exact.
    expect(await main(['-f', stack.file, 'start'], captureIo(stack.dir))).toBe(0);
    const running = await waitFor(() => {
      const s = sup.snapshot().services;
      return s.every((x) => x.state === 'RUNNING' && x.pid !== null) ? s : undefined;
    }, { what: 'all RUNNING' });
    expectAgreement(running, stack.dir);
    socket.ws.send(JSON.stringify({ type: 'invoke', id: nextId, command: 'stop', args: {} }));
    await waitFor(() => answers.has(nextId), { what: 'the stop to be answered' });
    expectAgreement(sup.snapshot().services, stack.dir);
    expect(markedProcesses(mark)).toEqual([]);
  }, 60_000);
});

function expectAgreement(statuses: ServiceStatus[], dir: string): void {
  const trees = treesByService();
  for (const s of statuses) {
    const groups = [...trees.get(s.name)!];
    if (s.state === 'RUNNING') expect(groups, `${s.name} RUNNING: one tree, led by its pid`).toEqual([s.pid]);
    else expect(groups, `${s.name} ${s.state}: no process`).toEqual([]);
    const file = existsSync(join(dir, '.hearth', 'sandbox', s.name, '.healthchecksnooze'));
    expect(s.snoozed, `${s.name} snoozed flag vs file`).toBe(file);
  }
}
