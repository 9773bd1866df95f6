// Reaching the running instance of a stack over its control socket.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { connectControl, type ControlClient } from '../control/client';
import { controlSocketPath } from '../control/socket-path';
import type { CliContext } from './io';

/** A failure to report as one line and exit 1 (no stack trace). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Connects to the instance serving the stack file's folder. The socket is per folder, so check it runs
 * the same file: `hearth down -f other.yaml` must not stop a different stack in the same folder.
 */
export async function connectInstance(ctx: CliContext): Promise<ControlClient> {
  const socketPath = controlSocketPath(dirname(ctx.file.path));
  const client = await connectControl(socketPath, { stackFile: ctx.file.given });
  if (canonical(client.info.file) !== canonical(ctx.file.path)) {
    client.close();
    throw new CliError(
      `the hearth instance in ${dirname(ctx.file.path)} (pid ${client.info.pid}) runs ${client.info.file}, not ${ctx.file.path}`,
    );
  }
  return client;
}

export async function withInstance(ctx: CliContext, run: (client: ControlClient) => Promise<number>): Promise<number> {
  const client = await connectInstance(ctx);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}
