// Why a stack could not be opened, as ConfigIssue lines the UI already knows how to show.
import type { ConfigIssue } from '../../shared/types';
import { AlreadyRunningError, StackLoadError } from '../host/stack-host';

export function issuesFromOpenError(error: unknown, file: string): ConfigIssue[] {
  if (error instanceof StackLoadError) return error.issues;
  const line = (message: string): ConfigIssue[] => [{ file, line: 0, col: 0, path: '', message }];
  if (error instanceof AlreadyRunningError) {
    return line(
      'Another Hearth process is already running this stack (see `hearth status`). Stop it with `hearth down`, then use File > Reload Stack File.',
    );
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return line(`The stack file does not exist: ${file}`);
  if (code === 'EACCES') return line(`The stack file cannot be read (permission denied): ${file}`);
  return line(error instanceof Error ? error.message : String(error));
}
