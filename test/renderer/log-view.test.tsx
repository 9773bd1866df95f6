// The log view's windowing (@tanstack/react-virtual, fixed-height rows) seen through the rendered DOM of the real App.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { renderApp, manualClock } from './render-app';
import { line, lines, service, snapshot } from './fixtures';
import { HarnessHost } from './harness';
import { createSession } from '../../renderer/src/session/session';
import { OVERSCAN, ROW_HEIGHT, virtualCount } from '../../renderer/src/components/log-view';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Animation frames run when the test says so. */
function manualFrames() {
  const queue = new Map<number, FrameRequestCallback>();
  let id = 0;
  vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => {
    queue.set(++id, cb);
    return id;
  });
  vi.stubGlobal('cancelAnimationFrame', (handle: number) => queue.delete(handle));
  return {
    run() {
      const due = [...queue.values()];
      queue.clear();
      act(() => due.forEach((cb) => cb(0)));
    },
  };
}

const logBox = () => screen.getByRole('log');
const rowEls = () => [...logBox().querySelectorAll<HTMLElement>('.log-row')];
const rowTexts = () => rowEls().map((e) => e.querySelector('.log-text')?.textContent);
const canvas = () => logBox().querySelector<HTMLElement>('.log-canvas')!;
// jsdom measures 0: the view falls back to a 600 px viewport.
const VISIBLE = 600 / ROW_HEIGHT;

function withCap(totalCap: number) {
  const host = new HarnessHost();
  const clock = manualClock();
  const session = createSession(host, { ticker: clock, localNow: clock.now, logs: { schedule: (run) => run(), totalCap } });
  return { host, session, clock };
}

describe('log view windowing', () => {
  it('while following renders the tail with a small overscan, in normal flow under a padded canvas', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 500) }));
    const rows = rowEls();
    expect(rowTexts().at(-1)).toBe('line 499');
    expect(rows.length).toBeGreaterThanOrEqual(VISIBLE);
    expect(rows.length).toBeLessThanOrEqual(VISIBLE + 2 * OVERSCAN + 1);
    const first = 500 - rows.length;
    expect(rowTexts()[0]).toBe(`line ${first}`);
    // The rows above the window are a padding, the canvas is every row's height; rows are not positioned.
    expect(canvas().style.paddingTop).toBe(`${first * ROW_HEIGHT}px`);
    expect(canvas().style.height).toBe(`${500 * ROW_HEIGHT}px`);
    for (const row of rows) {
      expect(row.style.position).toBe('');
      expect(row.style.transform).toBe('');
      expect(row.style.top).toBe('');
    }
  });

  it('renders the rows where the user scrolled to', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 500) }));
    act(() => {
      logBox().scrollTop = 100 * ROW_HEIGHT;
      fireEvent.scroll(logBox());
    });
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    expect(rowTexts()).toContain('line 100');
    expect(rowTexts()).toContain(`line ${100 + VISIBLE - 1}`);
    expect(rowTexts()).not.toContain('line 499');
    expect(rowEls().length).toBeLessThanOrEqual(VISIBLE + 2 * OVERSCAN + 1);
  });

  it('when paused, keeps the same lines in place while the full ring drops old lines', () => {
    const { emit } = renderApp(undefined, withCap(1000));
    emit('snapshot', snapshot([service('api')]));
    emit('logs', { lines: lines('api', 1000, (i) => `first ${i}`) });
    act(() => {
      logBox().scrollTop = 600 * ROW_HEIGHT;
      fireEvent.scroll(logBox());
    });
    expect(rowTexts()).toContain('first 600');
    // 300 lines leave the front: the same lines are now rows 300+, and the view moved up with them.
    emit('logs', { lines: lines('api', 300, (i) => `second ${i}`) });
    expect(logBox().scrollTop).toBe(300 * ROW_HEIGHT);
    expect(rowTexts()).toContain('first 600');
    expect(rowTexts()).toContain(`first ${600 + VISIBLE - 1}`);
    expect(rowTexts()).not.toContain('second 299');
  });
});

describe('following', () => {
  it('writes the scroll offset in the next animation frame, not in the commit, with the tail already rendered', () => {
    const frames = manualFrames();
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 500) }));
    // Committed: the tail's rows are there, the offset is not written yet (that would lay out in the commit).
    expect(rowTexts().at(-1)).toBe('line 499');
    expect(logBox().scrollTop).toBe(0);
    frames.run();
    expect(logBox().scrollTop).toBe(500 * ROW_HEIGHT);
    // Nothing left to write: the next frame changes nothing.
    frames.run();
    expect(logBox().scrollTop).toBe(500 * ROW_HEIGHT);
  });

  it('keeps following when its own scroll event comes before the next write, and stops when the user scrolls up', () => {
    const frames = manualFrames();
    const { emit } = renderApp();
    const follow = () => screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed');
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 500) }));
    frames.run();
    // More lines committed (their write is due next frame), then the scroll event of the last write.
    emit('logs', { lines: lines('api', 100, (i) => `more ${i}`) });
    expect(rowTexts().at(-1)).toBe('more 99');
    act(() => {
      fireEvent.scroll(logBox());
    });
    expect(follow()).toBe('true');
    frames.run();
    expect(logBox().scrollTop).toBe(600 * ROW_HEIGHT);
    // The user scrolls up while a write is due: following stops and the write is dropped.
    emit('logs', { lines: lines('api', 10, (i) => `last ${i}`) });
    act(() => {
      logBox().scrollTop = 100 * ROW_HEIGHT;
      fireEvent.scroll(logBox());
    });
    expect(follow()).toBe('false');
    frames.run();
    expect(logBox().scrollTop).toBe(100 * ROW_HEIGHT);
  });

  it("gives the virtualizer a row table sized for the view's capacity, so a filling ring does not rebuild it", () => {
    expect(virtualCount(0)).toBe(1024);
    expect(virtualCount(1024)).toBe(1024);
    expect(virtualCount(1025)).toBe(2048);
    expect(virtualCount(100_000)).toBe(131_072);
    // With the store's capacity, one size from the empty view to the full one; larger only past it.
    expect(virtualCount(0, 100_000)).toBe(131_072);
    expect(virtualCount(99_999, 100_000)).toBe(131_072);
    expect(virtualCount(140_000, 100_000)).toBe(262_144);
    // Rows past the real count are never rendered, and the canvas is the real count's height.
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: lines('api', 30) }));
    expect(rowTexts()).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i}`));
    expect(canvas().style.height).toBe(`${30 * ROW_HEIGHT}px`);
  });
});

describe('bidi controls in a line', () => {
  it('are shown as marks naming the code point, and never reach the page as controls', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api')], { logs: [line('api', 'user=guest\u202E nimda=resu\u202C \x1b[31mred\u2066x\x1b[0m')] }));
    const text = logBox().querySelector('.log-row .log-text')!;
    expect(text.textContent).toBe('user=guest⟨U+202E RLO⟩ nimda=resu⟨U+202C PDF⟩ red⟨U+2066 LRI⟩x');
    expect(/[\u202A-\u202E\u2066-\u2069]/.test(text.textContent!)).toBe(false);
    const marks = [...text.querySelectorAll('.bidi-mark')].map((m) => m.textContent);
    expect(marks).toEqual(['⟨U+202E RLO⟩', '⟨U+202C PDF⟩', '⟨U+2066 LRI⟩']);
    // The mark inside a coloured run keeps the run's colour class.
    expect(text.querySelectorAll('.bidi-mark')[2]!.className).toMatch(/ansi-red.*bidi-mark|bidi-mark.*ansi-red/);
  });
});
