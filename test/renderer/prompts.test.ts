// The stdin box's prompt: a service's unfinished line, grown by partial_line events, ended by its lines.
import { describe, expect, it } from 'vitest';
import { afterLines, promptsOf, shownPrompt, withPartial } from '../../renderer/src/model/prompts';
import type { LogLine, PartialLine } from '../../shared/types';

const partial = (text: string, offset = 0, over: Partial<PartialLine> = {}): PartialLine => ({ service: 'dbg', stream: 'stdout', run: 1, offset, text, ...over });
const line = (over: Partial<LogLine> = {}): LogLine => ({ seq: 1, service: 'dbg', run: 1, ts: 0, stream: 'stdout', text: 'x', ...over });

describe('prompts', () => {
  it('grows a prompt by what each event adds, and starts a new one at offset 0', () => {
    let p = promptsOf([partial('Pass')]);
    p = withPartial(p, partial('word: ', 4));
    expect(p.dbg).toEqual(partial('Password: '));
    p = withPartial(p, partial('> '));
    expect(p.dbg!.text).toBe('> ');
    p = withPartial(p, partial('later', 40)); // a piece of a line whose start was never seen: shown as it is
    expect(p.dbg!.text).toBe('later');
  });

  it("ends a service's prompt with a line of its stream or of a new run, not with another stream's line", () => {
    const p = promptsOf([partial('(Pdb) '), partial('> ', 0, { service: 'repl', stream: 'stderr' })]);
    expect(afterLines(p, [line({ stream: 'stderr' }), line({ stream: 'system' }), line({ service: 'other' })])).toBe(p); // unchanged, the same object
    expect(Object.keys(afterLines(p, [line()]))).toEqual(['repl']);
    expect(Object.keys(afterLines(p, [line({ service: 'repl', stream: 'system', run: 2 })]))).toEqual(['dbg']);
    const none = promptsOf(undefined);
    expect(afterLines(none, [line()])).toBe(none);
  });

  it('shows a prompt as a terminal would: the last redraw of a progress bar, no colour codes', () => {
    expect(shownPrompt('\x1b[1m(Pdb)\x1b[0m ')).toBe('(Pdb) ');
    expect(shownPrompt('\rmigrating [#   ] 10%\rmigrating [##  ] 20%')).toBe('migrating [##  ] 20%');
  });
});
