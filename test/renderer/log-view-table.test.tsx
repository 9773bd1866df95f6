// The row count the log view hands @tanstack/react-virtual, recorded at every render: the virtualizer
// rebuilds its offset table whenever that count changes, so it must not change while the ring fills.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { manualClock, renderApp } from './render-app';
import { lines, service, snapshot } from './fixtures';
import { HarnessHost } from './harness';
import { createSession } from '../../renderer/src/session/session';
import { ROW_HEIGHT } from '../../renderer/src/components/log-view';

const counts = vi.hoisted(() => [] as number[]);
vi.mock('@tanstack/react-virtual', async (importOriginal) => {
  const real = await importOriginal<typeof import('@tanstack/react-virtual')>();
  return {
    ...real,
    useVirtualizer: ((options: Parameters<typeof real.useVirtualizer>[0]) => {
      counts.push(options.count);
      return real.useVirtualizer(options);
    }) as typeof real.useVirtualizer,
  };
});

afterEach(cleanup);

describe('log view row table', () => {
  it('has one size from the empty view to the full ring, and rows and canvas follow the real count', () => {
    const host = new HarnessHost();
    const clock = manualClock();
    const session = createSession(host, { ticker: clock, localNow: clock.now, logs: { schedule: (run) => run(), totalCap: 5000 } });
    const { emit } = renderApp(undefined, { host, session, clock });
    emit('snapshot', snapshot([service('api')]));
    counts.length = 0;
    for (let batch = 0; batch < 12; batch++) emit('logs', { lines: lines('api', 500, (i) => `line ${batch * 500 + i}`) });
    // 6,000 lines into a 5,000-line ring: it filled (past 1,024, 2,048 and 4,096 rows) and then dropped.
    expect(session.logs.view(null).length).toBe(5000);
    expect(counts.length).toBeGreaterThan(12);
    expect(new Set(counts)).toEqual(new Set([8192]));
    const log = screen.getByRole('log');
    expect(log.querySelector<HTMLElement>('.log-canvas')!.style.height).toBe(`${5000 * ROW_HEIGHT}px`);
    expect([...log.querySelectorAll('.log-row .log-text')].at(-1)?.textContent).toBe('line 5999');
  });
});
