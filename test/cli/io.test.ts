import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessWriter } from '../../electron/cli/io';
import { LineOutput } from '../../electron/cli/output';
import { waitFor } from '../helpers/wait-for';

describe('ProcessWriter', () => {
  it('survives a reader that goes away (EPIPE): reports it once, discards output, releases waiters', async () => {
    // A real pipe whose reader exits after the first line, like `hearth logs | head -1`.
    const reader = spawn('head', ['-n', '1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise((resolve) => reader.once('exit', resolve));
    let broken = 0;
    const writer = new ProcessWriter(reader.stdin, () => broken++);
    const out = new LineOutput(writer);
    out.line('first');
    await exited;
    await waitFor(
      () => {
        out.line('x'.repeat(64 * 1024)); // keeps writing into the dead pipe until the error surfaces
        return broken > 0;
      },
      { what: 'EPIPE noticed' },
    );
    out.line('after');
    await out.flushed(); // would hang if a pending 'drain' wait were never released
    expect(broken).toBe(1);
    expect(writer.write('more')).toBe(true);
  });
});
