// The live printer of `hearth up` / `serve` / the background log, fed supervisor events directly.
import { describe, expect, it } from 'vitest';
import { makePalette } from '../../electron/cli/color';
import { createLivePrinter } from '../../electron/cli/live';
import { LineOutput } from '../../electron/cli/output';
import { serviceStatus, stackInfo } from '../helpers/status-fixtures';

/** `logs`: as `hearth up` (log lines and the prompt hint), else as `serve` (state changes only). */
function printer(logs = false) {
  let text = '';
  const out = new LineOutput({ write: (chunk) => ((text += chunk), true), once: () => undefined });
  const live = createLivePrinter({ out, palette: makePalette(false), logs, cwd: '/', now: () => 0 });
  return { live, lines: () => text.trimEnd().split('\n') };
}

describe('createLivePrinter: the first snapshot', () => {
  it('names services left stopped by autostart: false once, by group, instead of "x is STOPPED" each', () => {
    const { live, lines } = printer();
    live.listener('snapshot', {
      stack: stackInfo(),
      services: [
        serviceStatus('app', { state: 'RUNNING', pid: 10 }),
        serviceStatus('docs.0', { group: 'docs', autostart: false }),
        serviceStatus('docs.1', { group: 'docs', autostart: false }),
        serviceStatus('cache', { autostart: false, state: 'RUNNING', pid: 11 }), // started by a dependent
        serviceStatus('other'), // stopped, but not on demand (`hearth up app` leaves it)
      ],
      logs: [],
      now: 0,
    });
    expect(lines().map((l) => l.replace(/^hearth\s+\| /, ''))).toEqual([
      'app is RUNNING (pid 10)',
      'cache is RUNNING (pid 11)',
      'other is STOPPED',
      'not started (autostart: false): docs; `hearth start NAME` starts one',
    ]);
  });
});

describe('createLivePrinter: a service quiet in the middle of a line (hearth up)', () => {
  const prompt = (text: string, run = 1, offset = 0) => ({ service: 'app', stream: 'stdout' as const, run, offset, text });

  it('says once a run how to answer what may be a prompt, quoting its end', () => {
    const { live, lines } = printer(true);
    live.listener('partial_line', prompt('(Pdb) '));
    live.listener('partial_line', prompt('more', 1, 6)); // the same line, grown: no second hint
    live.listener('partial_line', prompt('(Pdb) ')); // the next prompt of the same run
    live.listener('partial_line', prompt(`${'x'.repeat(100)}\x1b[31mPassword: `, 2));
    expect(lines().map((l) => l.replace(/^hearth\s+\| /, ''))).toEqual([
      'app printed "(Pdb) " and went quiet: if that is a prompt, answer it with `hearth attach app`',
      `app printed "…${'x'.repeat(30)}Password: " and went quiet: if that is a prompt, answer it with \`hearth attach app\``,
    ]);
  });

  it('gives no hint for a progress bar', () => {
    const { live, lines } = printer(true);
    live.listener('partial_line', prompt('\rmigrating [####      ] 40%'));
    expect(lines()).toEqual(['']);
  });

  it('says nothing where it prints no logs (serve)', () => {
    const { live, lines } = printer();
    live.listener('partial_line', prompt('(Pdb) '));
    expect(lines()).toEqual(['']);
  });
});
