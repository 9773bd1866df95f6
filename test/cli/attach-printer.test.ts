// What `hearth attach` writes for prompts: the screen as a string, case by case.
import { describe, expect, it } from 'vitest';
import { AttachPrinter } from '../../electron/cli/attach-printer';
import type { LogLine, PartialLine } from '../../shared/types';

function screen() {
  let text = '';
  const printer = new AttachPrinter(
    {
      lines: (lines, format) => void (text += lines.map((l) => `${format(l)}\n`).join('')),
      text: (t) => void (text += t),
    },
    // Like formatLogLine: a line redrawn with \r shows its last redraw.
    (l) => `${l.service} ${l.stream === 'stderr' ? '!' : '|'} ${l.text.slice(l.text.lastIndexOf('\r') + 1)}`,
    (t) => t.replaceAll('\x1b', ''), // stands for the terminal clean-up, so that it shows it was applied
  );
  return { printer, shown: () => text };
}

let seq = 0;
const line = (text: string, stream: LogLine['stream'] = 'stdout', run = 1): LogLine => ({ seq: ++seq, service: 'dbg', run, ts: 0, stream, text });
const partial = (text: string, offset = 0, stream: PartialLine['stream'] = 'stdout', run = 1): PartialLine => ({ service: 'dbg', stream, run, offset, text });

describe('AttachPrinter', () => {
  it('shows a prompt after the lines, and only the rest of its line when it ends', () => {
    const { printer, shown } = screen();
    printer.lines([line('> x.py(3)')]);
    printer.partial(partial('(Pdb) '));
    expect(shown()).toBe('dbg | > x.py(3)\ndbg | (Pdb) ');
    printer.lines([line('(Pdb) > x.py(4)'), line('after')]);
    expect(shown()).toBe('dbg | > x.py(3)\ndbg | (Pdb) > x.py(4)\ndbg | after\n');
  });

  it('adds what was added to an unfinished line, and nothing for what it showed already', () => {
    const { printer, shown } = screen();
    printer.partial(partial('Password')); // from the history
    printer.partial(partial('Password', 0)); // the same, told again
    printer.partial(partial(': \x1b', 8));
    expect(shown()).toBe('dbg | Password: ');
    printer.lines([line('Password: \x1bok')]); // the raw text is compared, the cleaned one shown
    expect(shown()).toBe('dbg | Password: ok\n');
  });

  it('after the user typed a line, the rest goes on a line of its own, with the prefix', () => {
    const { printer, shown } = screen();
    printer.partial(partial('(Pdb) '));
    printer.typed(); // the terminal echoed "next⏎" after the prompt
    printer.lines([line('(Pdb) > x.py(5)')]);
    expect(shown()).toBe('dbg | (Pdb) dbg | > x.py(5)\n');
    printer.partial(partial('(Pdb) '));
    printer.typed();
    printer.partial(partial('more', 6)); // more of the same line after the echo
    expect(shown()).toBe('dbg | (Pdb) dbg | > x.py(5)\ndbg | (Pdb) dbg | more');
  });

  it('a prompt that ended as it stood (answered, so the answer is a line of its own) adds no empty line', () => {
    const { printer, shown } = screen();
    printer.partial(partial('(Pdb) '));
    printer.typed(); // the terminal echoed "next⏎"
    printer.lines([line('(Pdb) '), line('did next')]);
    expect(shown()).toBe('dbg | (Pdb) dbg | did next\n');
    printer.partial(partial('(Pdb) '));
    printer.lines([line('(Pdb) '), line('did more')]); // piped: nothing echoed, the screen's line is ended
    expect(shown()).toBe('dbg | (Pdb) dbg | did next\ndbg | (Pdb) \ndbg | did more\n');
  });

  it('ends the unfinished line on the screen when another line comes first, and shows it whole when it ends', () => {
    const { printer, shown } = screen();
    printer.partial(partial('(Pdb) '));
    printer.lines([line('warning', 'stderr')]);
    printer.lines([line('(Pdb) done')]);
    expect(shown()).toBe('dbg | (Pdb) \ndbg ! warning\ndbg | (Pdb) done\n');
  });

  it('shows a piece told from the middle of a line, then the line whole (what came before it was never seen)', () => {
    const { printer, shown } = screen();
    printer.partial(partial('50%', 12));
    printer.lines([line('downloading 50% 100%')]);
    expect(shown()).toBe('dbg | 50%\ndbg | downloading 50% 100%\n');
  });

  it('starts over for a new run: the old process is gone with its unfinished line', () => {
    const { printer, shown } = screen();
    printer.partial(partial('(Pdb) ', 0, 'stdout', 1));
    printer.partial(partial('(Pdb) ', 0, 'stdout', 2));
    expect(shown()).toBe('dbg | (Pdb) \ndbg | (Pdb) ');
  });

  it('redraws a progress bar over itself, as the service\'s own terminal would', () => {
    const { printer, shown } = screen();
    const first = '\rmigrating [#  ] 33%';
    printer.partial(partial(first));
    printer.partial(partial('\rmigrating [## ] 66%', first.length));
    expect(shown()).toBe('dbg | migrating [#  ] 33%\rdbg | migrating [## ] 66%');
    printer.lines([line('\rmigrating [#  ] 33%\rmigrating [## ] 66%\rmigrating [###] 100%')]);
    expect(shown()).toBe('dbg | migrating [#  ] 33%\rdbg | migrating [## ] 66%\rdbg | migrating [###] 100%\n');
  });
});
