// `signal`: a signal to each named service's main process, real processes. What the process does with it
// is its business; an exit it causes is not a stop, so the restart policy brings a service back.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../shared/contract';
import { waitFor } from '../helpers/wait-for';
import { runStack, type StackUnderTest } from './harness';
import { TABLE_BACKENDS } from '../helpers/backends';

const TRAP = "process.on('SIGUSR2', () => console.log('got SIGUSR2')); process.on('SIGHUP', () => console.log('got SIGHUP')); console.log('up'); setInterval(() => {}, 1e9);\n";

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

describe.each(TABLE_BACKENDS)('%s backend', (_backend, platform) => {
describe('signal', () => {
  it('reaches the main process, which handles it and runs on; the log says who sent it', async () => {
    stack = await runStack('services:\n  app: { cmd: node trap.js }\n', { files: { 'trap.js': TRAP }, supervisor: { platform } });
    await waitFor(() => stack!.lines.some((l) => l.service === 'app' && l.text === 'up'), { what: 'app up' });
    const { pid } = stack.status('app');
    expect(await stack.sup.invoke('signal', { services: ['app'], signal: 'SIGUSR2' })).toEqual({ sent: [{ service: 'app', pid }] });
    await waitFor(() => stack!.lines.some((l) => l.service === 'app' && l.text === 'got SIGUSR2'), { what: 'the handler ran' });
    expect(stack.lines.some((l) => l.stream === 'system' && l.text === `SIGUSR2 sent to pid ${pid} (hearth signal)`)).toBe(true);
    expect(stack.status('app')).toMatchObject({ state: 'RUNNING', pid, restarts: 0 });
  });

  it('for a command run through /bin/sh, goes to what the shell started, not to the shell (which would die of it)', async () => {
    stack = await runStack("services:\n  app: { cmd: 'node trap.js; echo after' }\n", { files: { 'trap.js': TRAP }, supervisor: { platform } });
    await waitFor(() => stack!.lines.some((l) => l.service === 'app' && l.text === 'up'), { what: 'app up' });
    const shell = stack.status('app').pid!;
    const { sent } = await stack.sup.invoke('signal', { services: ['app'], signal: 'SIGUSR2' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.pid).not.toBe(shell);
    await waitFor(() => stack!.lines.some((l) => l.service === 'app' && l.text === 'got SIGUSR2'), { what: 'node handled it' });
    expect(stack.lines.some((l) => l.text === `SIGUSR2 sent to pid ${sent[0]!.pid} (started by /bin/sh, pid ${shell}) (hearth signal)`)).toBe(true);
    expect(stack.status('app')).toMatchObject({ state: 'RUNNING', pid: shell, restarts: 0 });
  });

  it('a service killed by one comes back: it was not stopped', async () => {
    stack = await runStack('services:\n  app: { cmd: sleep 600, min_duration: 0 }\n', { supervisor: { platform } });
    const first = await stack.waitState('app', 'RUNNING');
    await stack.sup.invoke('signal', { services: ['app'], signal: 'SIGKILL' });
    const again = await stack.waitState('app', (s) => s.state === 'RUNNING' && s.pid !== first.pid);
    expect(again.restarts).toBe(1);
    expect(again.last_exit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('goes to each running instance of a group, and is refused where nothing runs', async () => {
    stack = await runStack('services:\n  pool: { cmd: node trap.js, replicas: 2 }\n  idle: { cmd: sleep 600, autostart: false }\n', { files: { 'trap.js': TRAP }, supervisor: { platform } });
    // Running is not enough: until node has run the script, SIGHUP would kill it.
    await waitFor(() => stack!.lines.filter((l) => l.text === 'up').length === 2, { what: 'both up' });
    const { sent } = await stack.sup.invoke('signal', { services: ['pool'], signal: 'SIGHUP' });
    expect(sent.map((s) => s.service)).toEqual(['pool.0', 'pool.1']);
    expect(sent.map((s) => s.pid)).toEqual([stack.status('pool.0').pid, stack.status('pool.1').pid]);
    await waitFor(() => stack!.lines.filter((l) => l.text === 'got SIGHUP').length === 2, { what: 'both handled it' });
    await expect(stack.sup.invoke('signal', { services: ['idle'], signal: 'SIGHUP' })).rejects.toThrow('idle: no running process to send SIGHUP to');
    await expect(stack.sup.invoke('signal', { services: ['nope'], signal: 'SIGHUP' })).rejects.toThrow(/nope/);
  });

  it('only takes the signals it lists, and at least one service', () => {
    expect(() => parseCommand('signal', { services: ['app'], signal: 'SIGSTOP' })).toThrow(/^signal: signal: /);
    expect(() => parseCommand('signal', { services: [], signal: 'SIGHUP' })).toThrow(/^signal: services: /);
    expect(parseCommand('signal', { services: ['app'], signal: 'SIGQUIT' }).args).toEqual({ services: ['app'], signal: 'SIGQUIT' });
  });
});
});
