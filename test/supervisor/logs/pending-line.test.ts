// The unfinished-line watch with a fake clock: told once the stream is quiet mid-line, only what is new,
// never while the stream keeps talking, never after it stopped.
import { describe, expect, it } from 'vitest';
import { PENDING_QUIET_MS, PendingLineWatch } from '../../../electron/supervisor/logs/pending-line';
import { fakeClock } from '../../helpers/fake-clock';

function setup() {
  const clock = fakeClock();
  let pending = '';
  const told: Array<[number, string]> = [];
  const watch = new PendingLineWatch(clock, () => pending, (offset, text) => told.push([offset, text]));
  /** A chunk arrives: `ended` lines finished in it, `rest` is the line now being written. */
  const chunk = (rest: string, ended = false): void => {
    pending = rest;
    watch.chunk(ended);
  };
  return { clock, watch, told, chunk };
}

describe('PendingLineWatch', () => {
  it('tells an unfinished line once the stream has been quiet, then only what was added to it', () => {
    const { clock, told, chunk } = setup();
    chunk('(Pdb) ', true);
    clock.advance(PENDING_QUIET_MS - 1);
    expect(told).toEqual([]);
    clock.advance(1);
    expect(told).toEqual([[0, '(Pdb) ']]);
    clock.advance(10 * PENDING_QUIET_MS);
    expect(told).toHaveLength(1); // nothing new: told once

    chunk('(Pdb) 50%');
    clock.advance(PENDING_QUIET_MS);
    expect(told).toEqual([
      [0, '(Pdb) '],
      [6, '50%'],
    ]);
  });

  it('waits while chunks keep coming, however long the line stays unfinished', () => {
    const { clock, told, chunk } = setup();
    let text = 'x';
    chunk(text);
    for (let i = 0; i < 20; i++) {
      clock.advance(PENDING_QUIET_MS / 2);
      chunk((text += 'x'));
    }
    expect(told).toEqual([]); // a chatty stream whose chunks end mid-line is never told
    clock.advance(PENDING_QUIET_MS * 2);
    expect(told).toEqual([[0, text]]);
  });

  it('tells nothing for a line that ended before the stream went quiet, and starts over with the next one', () => {
    const { clock, told, chunk } = setup();
    chunk('> ', true);
    clock.advance(PENDING_QUIET_MS);
    chunk('', true); // "> answer\n": the line ended
    clock.advance(PENDING_QUIET_MS * 2);
    expect(told).toEqual([[0, '> ']]);
    chunk('> ', true); // a new prompt: told from its start again, though it is as long as the last
    clock.advance(PENDING_QUIET_MS * 2);
    expect(told).toEqual([
      [0, '> '],
      [0, '> '],
    ]);
  });

  it('tells nothing once stopped (the process exited and its last line was flushed)', () => {
    const { clock, watch, told, chunk } = setup();
    chunk('bye');
    watch.stop();
    clock.advance(PENDING_QUIET_MS * 2);
    expect(told).toEqual([]);
  });
});
