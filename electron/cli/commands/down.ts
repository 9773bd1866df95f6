// `hearth down`: ask the running instance to stop everything, then wait until it is gone.
import { dirname } from 'node:path';
import { probeControlSocket } from '../../control/probe';
import { controlSocketPath } from '../../control/socket-path';
import { CliError, connectInstance } from '../instance';
import type { CommandSpec } from './types';

const POLL_MS = 100;
/** Services get their shutdown_wait_secs each; this only bounds a hung instance. */
const GIVE_UP_MS = 5 * 60 * 1000;

function pidExited(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export const downCommand: CommandSpec = {
  summary: 'stop every service and the running hearth instance',
  usage: 'down [-f FILE]',
  run: async (ctx) => {
    const client = await connectInstance(ctx);
    const { pid } = client.info;
    try {
      await client.invoke('shutdown', {});
    } finally {
      client.close();
    }
    ctx.io.out.write(`stopping (pid ${pid})…\n`);
    const socketPath = controlSocketPath(dirname(ctx.file.path));
    const deadline = Date.now() + GIVE_UP_MS;
    for (;;) {
      // Gone when its process exited, or when nobody answers on its socket any more (the host closes the
      // socket last, after every service stopped).
      if (pidExited(pid) || !(await probeControlSocket(socketPath)).live) break;
      if (Date.now() > deadline) throw new CliError(`hearth (pid ${pid}) is still stopping after ${GIVE_UP_MS / 60000} minutes`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    ctx.io.out.write('stopped\n');
    return 0;
  },
};
