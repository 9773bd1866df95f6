// The words for how a process ended, shared by the supervisor's log lines and the CLI.
import { describe, expect, it } from 'vitest';
import { formatExit } from '../../shared/format-exit';

describe('formatExit', () => {
  it('names the signal when one ended it, else the exit code', () => {
    expect(formatExit({ code: 0, signal: null })).toBe('exited with code 0');
    expect(formatExit({ code: 3, signal: null })).toBe('exited with code 3');
    expect(formatExit({ code: null, signal: 'SIGTERM' })).toBe('killed by SIGTERM');
  });
});
