// `hearth signal SIGNAL SERVICE...` as people run it (bin/hearth.js) against a real background stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSignal } from '../../electron/cli/commands/actions';
import { hearthBin } from '../helpers/hearth-bin';
import { pidsWithEnv } from '../helpers/proc';
import { uniqueMark, writeStack, type StackDir } from '../faults/kit';
import { waitFor } from '../helpers/wait-for';

let stack: StackDir;
const mark = uniqueMark('signal');
const hearth = (...args: string[]) => hearthBin(stack.file, args, { HEARTH_TEST_MARK: mark });

beforeAll(async () => {
  stack = writeStack('services:\n  app:\n    cmd: node trap.js\n', {
    'trap.js': "process.on('SIGUSR1', () => console.log('inspector, if you like')); console.log('up'); setInterval(() => {}, 1e9);\n",
  });
  expect((await hearth('up', '-d', '--wait', '--timeout', '30s')).code).toBe(0);
});

afterAll(async () => {
  await hearth('down');
  for (const pid of pidsWithEnv(`HEARTH_TEST_MARK=${mark}`)) process.kill(pid, 'SIGKILL');
  stack.cleanup();
});

async function appPid(): Promise<number> {
  const status = JSON.parse((await hearth('status', '--json')).out) as { services: Array<{ name: string; pid: number | null }> };
  return status.services.find((s) => s.name === 'app')!.pid!;
}

describe('hearth signal', () => {
  it('sends it to the service, says to which pid, and the service handles it', async () => {
    await waitFor(async () => (await hearth('logs', 'app')).out.includes('| up'), { what: 'app up' });
    const pid = await appPid();
    expect(await hearth('signal', 'usr1', 'app')).toEqual({ code: 0, out: `SIGUSR1 sent to app (pid ${pid})\n`, err: '' });
    await waitFor(async () => (await hearth('logs', 'app')).out.includes('inspector, if you like'), { what: 'the handler' });
    expect(await appPid()).toBe(pid);
  });

  it('refuses a signal it does not send, before asking the instance', async () => {
    const r = await hearth('signal', 'STOP', 'app');
    expect(r.code).toBe(2);
    expect(r.err).toBe('hearth signal: unknown signal "STOP" (one of HUP, INT, QUIT, USR1, USR2, TERM, KILL, WINCH)\n');
  });

  it('reads a signal with or without SIG, in any case', () => {
    expect(['hup', 'SIGhup', 'HUP', 'sigHUP'].map(parseSignal)).toEqual(['SIGHUP', 'SIGHUP', 'SIGHUP', 'SIGHUP']);
    expect(parseSignal('SIGSIGHUP')).toBeNull();
    expect(parseSignal('9')).toBeNull();
  });
});
