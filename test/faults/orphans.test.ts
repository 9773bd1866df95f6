// Fault 2: the supervisor itself is SIGKILLed while three services run. Its children survive (they
// are in their own process groups); the next start of the same stack finds them through
// .hearth/pids.json, verifies each by its start time, kills them and reports it, and leaves alone a
// recorded pid that now belongs to an unrelated process. Over both backends that run here (/proc, ps):
// the crashed `hearth up` and the next start use the same one (HEARTH_PROCESS_BACKEND).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStackHost, type StackHost } from '../../electron/host/stack-host';
import { BACKEND_ENV } from '../../electron/supervisor/process/platform/select';
import { TABLE_BACKENDS } from '../helpers/backends';
import { isAlive } from '../helpers/proc';
import { waitFor } from '../helpers/wait-for';
import { killMarked, markedProcesses, startCli, uniqueMark, writeStack, type HostProcess, type StackDir } from './kit';

let stack: StackDir | null = null;
let host: StackHost | null = null;
let mark = '';
const strangers: number[] = [];
let up: HostProcess | null = null;

afterEach(async () => {
  up?.child.kill('SIGKILL');
  up = null;
  await host?.close();
  host = null;
  killMarked(mark);
  for (const pid of strangers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  stack?.cleanup();
  stack = null;
});

interface PidsFile {
  entries: Array<{ service: string; pid: number; startTime: number | null; backend: string }>;
}
const readPids = (dir: string): PidsFile => JSON.parse(readFileSync(join(dir, '.hearth', 'pids.json'), 'utf8')) as PidsFile;

describe.each(TABLE_BACKENDS)('supervisor killed with SIGKILL, %s backend', (backend, platform) => {
  const cli = { [BACKEND_ENV]: backend };
  it('the next start kills what survived (verified by start time), reports it, and spares a reused pid', async () => {
    mark = uniqueMark('orphans');
    stack = writeStack(`
services:
  plain:
    cmd: exec sleep 1000
    env: { HEARTH_TEST_MARK: "${mark}" }
  forker:
    cmd: sleep 1000 & sleep 1000 & wait
    env: { HEARTH_TEST_MARK: "${mark}" }
  escaper:
    cmd: setsid sh -c 'sleep 1000' & wait
    env: { HEARTH_TEST_MARK: "${mark}" }
`);
    // The real CLI, as a user runs it; it prints every log line, so its output is always drained.
    up = await startCli(['-f', stack.file, 'up'], (out) => (/started pid/.test(out) ? true : undefined), undefined, cli);
    // plain: 1 process; forker: sh + 2 sleeps; escaper: sh + setsid'd sh + sleep.
    const survivors = await waitFor(() => {
      const procs = markedProcesses(mark);
      return procs.length >= 7 && readPids(stack!.dir).entries.length === 3 ? procs.map((p) => p.pid) : undefined;
    }, { what: 'three services and their children running, all recorded' });
    const recorded = readPids(stack.dir).entries;
    expect(recorded.map((e) => e.backend)).toEqual([backend, backend, backend]);

    up.child.kill('SIGKILL');
    expect(await up.exited).toBe('SIGKILL');
    up = null;
    // Nothing stopped them: a crashed supervisor cannot clean up, so the next start has to.
    expect(survivors.filter(isAlive)).toEqual(survivors);

    // An unrelated process now holds a recorded pid: same pid, a different /proc start time.
    const stranger = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    strangers.push(stranger.pid!);
    const strangerStart = (await platform.read(stranger.pid!))!.startTime;
    const file = readPids(stack.dir);
    file.entries.push({ service: 'plain', pid: stranger.pid!, startTime: strangerStart - 1, backend });
    writeFileSync(join(stack.dir, '.hearth', 'pids.json'), JSON.stringify({ version: 1, entries: file.entries }));

    host = await openStackHost({ file: stack.file, services: [], platform });

    const byPid = new Map(host.orphans.map((o) => [o.pid, o]));
    for (const entry of recorded) {
      expect(byPid.get(entry.pid), `orphan report for ${entry.service}`).toMatchObject({ service: entry.service, killed: true });
      expect(byPid.get(entry.pid)!.reason).toMatch(/orphaned by a previous run; stopped \d+ process(es)? \(SIGTERM\)/);
    }
    expect(byPid.get(stranger.pid!)).toMatchObject({ killed: false, reason: 'pid reused, left alone' });
    expect(host.orphans).toHaveLength(4);
    // Every process of the crashed run is gone, grandchildren and the setsid one included...
    expect(survivors.filter(isAlive)).toEqual([]);
    expect(markedProcesses(mark)).toEqual([]);
    // ...and the stranger lives on.
    expect(isAlive(stranger.pid!)).toBe(true);

    // The stack starts normally afterwards.
    await host.supervisor.invoke('start', {});
    await waitFor(() => host!.supervisor.snapshot().services.every((s) => s.state === 'RUNNING' && s.pid !== null), { what: 'all RUNNING again' });
  });

  it('keeps every port across the crash: what still held them is stopped before anything is allocated', async () => {
    mark = uniqueMark('orphans-ports');
    // Each listens on its port until stopped: a crashed run's survivors hold exactly the ports the next run reuses.
    const service = (name: string) => `
  ${name}:
    cmd: exec node -e "require('net').createServer().listen(Number(process.env.PORT), '127.0.0.1')"
    ports: { http: ~ }
    env: { HEARTH_TEST_MARK: "${mark}" }`;
    stack = writeStack(`services:${service('api')}${service('web')}\n`);
    up = await startCli(['-f', stack.file, 'up'], (out) => (/started pid/.test(out) ? true : undefined), undefined, cli);
    await waitFor(() => markedProcesses(mark).length === 2 && readPids(stack!.dir).entries.length === 2, { what: 'both listening and recorded' });
    const before = JSON.parse(readFileSync(join(stack.dir, '.hearth', 'ports.json'), 'utf8')) as unknown;
    up.child.kill('SIGKILL');
    await up.exited;
    up = null;

    host = await openStackHost({ file: stack.file, platform });
    const ports = Object.fromEntries(host.supervisor.snapshot().services.map((s) => [s.name, s.ports.http]));
    expect(JSON.parse(readFileSync(join(stack.dir, '.hearth', 'ports.json'), 'utf8'))).toEqual(before);
    expect(Object.values(ports).every((p) => typeof p === 'number')).toBe(true);
    expect(JSON.stringify(before)).toContain(String(ports.api));
    expect(JSON.stringify(before)).toContain(String(ports.web));
    await waitFor(() => host!.supervisor.snapshot().services.every((s) => s.state === 'RUNNING'), { what: 'both running again on them' });
  });

  it('after reaping, pids.json lists only the processes of the new run', async () => {
    mark = uniqueMark('orphans-file');
    stack = writeStack(`
services:
  a: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }
  b: { cmd: exec sleep 1000, env: { HEARTH_TEST_MARK: "${mark}" } }
`);
    up = await startCli(['-f', stack.file, 'up'], (out) => (/started pid/.test(out) ? true : undefined), undefined, cli);
    await waitFor(() => markedProcesses(mark).length === 2 && readPids(stack!.dir).entries.length === 2, { what: 'both running and recorded' });
    const old = readPids(stack.dir).entries.map((e) => e.pid);
    up.child.kill('SIGKILL');
    await up.exited;
    up = null;

    host = await openStackHost({ file: stack.file, platform });
    expect(host.orphans.map((o) => o.pid).sort()).toEqual([...old].sort());
    const current = await waitFor(() => {
      const pids = host!.supervisor.snapshot().services.map((s) => s.pid);
      return pids.every((p) => p !== null) ? (pids as number[]) : undefined;
    });
    // The registry is written at the end of the spawn's event-loop turn. Stale entries would be reported
    // again (as "already gone") after the next crash, and on every start after that.
    const onDisk = () => readPids(stack!.dir).entries.map((e) => e.pid).sort();
    await waitFor(() => onDisk().length === current.length, { what: 'pids.json written for the new run' });
    expect(onDisk()).toEqual([...current].sort());
  });
});
