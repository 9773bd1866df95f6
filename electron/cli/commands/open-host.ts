// Opening a stack host for `up` and `serve`, with its failures turned into readable lines.
import type { OpenStackOptions, StackHost } from '../../host/stack-host';
import type { LoadResult } from '../../supervisor/config/types';
import { formatIssue } from '../../supervisor/config/issues';
import { AlreadyRunningError } from '../../control/errors';
import { CliError } from '../instance';
import type { CliContext } from '../io';

/** What to do about an instance that already runs the stack (a second `up`, or one left in the background). */
export const ALREADY_RUNNING_HINT = '  `hearth status` and `hearth logs --follow` show it; `hearth down` stops it';

/** Lines for a failure of openStackHost that is the user's to fix, or null for a real crash. */
export function describeOpenError(error: unknown, cwd: string): string[] | null {
  if (error instanceof Error && error.name !== 'AlreadyRunningError' && 'issues' in error && Array.isArray(error.issues)) {
    const issues = error.issues as Parameters<typeof formatIssue>[0][];
    return issues.map((issue) => formatIssue(issue, cwd));
  }
  // By name too: the host may re-export this class or have its own copy.
  if (error instanceof AlreadyRunningError || (error instanceof Error && error.name === 'AlreadyRunningError')) {
    return [error.message, ALREADY_RUNNING_HINT];
  }
  // `.hearth` (or a file in it) is another user's: the message says which and what to do.
  if (error instanceof Error && error.name === 'UntrustedStateError') return [error.message];
  return null;
}

/** Loads the supervisor and opens the stack; a stack file's issues become the error's lines. */
export async function openHost(ctx: CliContext, opts: Omit<OpenStackOptions, 'file'>): Promise<StackHost> {
  // Loaded lazily: commands that only talk to a running instance never load the supervisor.
  const { openStackHost } = await import('../../host/stack-host');
  try {
    return await openStackHost({ file: ctx.file.path, ...opts });
  } catch (error) {
    const lines = describeOpenError(error, ctx.io.cwd);
    if (lines) throw new CliError(lines.join('\n'));
    throw error;
  }
}

/**
 * Reads the stack file without opening it (`check`, `run`, the foreground of `up -d`); its errors become
 * the CliError's lines, one issue each, exactly as `up` prints them.
 */
export async function loadStack(ctx: CliContext): Promise<Extract<LoadResult, { ok: true }>> {
  // Loaded lazily, as the host is: yaml and zod only for the commands that read the file.
  const { loadStackFile } = await import('../../supervisor/config/load');
  const loaded = await loadStackFile(ctx.file.path);
  if (!loaded.ok) throw new CliError(loaded.errors.map((issue) => formatIssue(issue, ctx.io.cwd)).join('\n'));
  return loaded;
}
