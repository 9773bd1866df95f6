import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureInfo } from '../../shared/types';
import { service, snapshot, T0 } from './fixtures';
import { renderApp } from './render-app';

const cpu: CaptureInfo = {
  service: 'api',
  kind: 'cpu',
  engine: 'node-inspector',
  format: 'cpuprofile',
  file: '/s/.hearth/captures/api/2025-01-15T09-30-00-000Z-cpu.cpuprofile',
  name: '2025-01-15T09-30-00-000Z-cpu.cpuprofile',
  bytes: 200 * 1024,
  started_at: T0,
  duration_ms: 10_040,
  pid: 10,
  run: 1,
  open_with: 'the flame graph in Hearth',
  flame: true,
};
const core: CaptureInfo = { ...cpu, kind: 'core', engine: 'gcore', format: 'core', name: 'x-core.core', file: '/s/x-core.core', bytes: 5 * 1024 * 1024, duration_ms: 800, open_with: 'gdb /usr/bin/node /s/x-core.core', flame: false };

afterEach(cleanup);

async function openCaptures(overrides = {}) {
  const m = renderApp();
  m.emit('snapshot', snapshot([service('api', { pid: 10, captures: [cpu, core], ...overrides })]));
  const card = screen.getByRole('listitem', { name: 'api' });
  await userEvent.click(within(card).getByRole('button', { name: 'api' }));
  await userEvent.click(within(screen.getByRole('tablist', { name: 'Views of api' })).getByRole('tab', { name: 'Captures' }));
  return m;
}

describe('the Captures tab', () => {
  it('lists captures with size and duration, a flame graph for a profile and the command for a core', async () => {
    await openCaptures();
    const table = screen.getByRole('table', { name: 'Capture files of api' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.textContent).toBe('cpu2025-01-15T09-30-00-000Z-cpu.cpuprofile200 KiB10sFlame graph');
    expect(rows[2]!.textContent).toContain('gdb /usr/bin/node /s/x-core.core');
    expect(within(rows[2]!).queryByRole('button')).toBeNull();
  });

  it('takes a capture and a debug session through the contract', async () => {
    const m = await openCaptures();
    m.host.handle('capture', () => ({ capture: cpu }));
    m.host.handle('debug', () => ({ service: 'api', url: 'ws://127.0.0.1:4567/x', port: 4567, engine: 'node-inspector' }));
    await userEvent.click(screen.getByRole('button', { name: 'Capture cpu of api' }));
    await userEvent.click(screen.getByRole('button', { name: 'Capture core of api' }));
    expect(m.host.calls('capture')).toEqual([
      { service: 'api', kind: 'cpu', for_secs: 10 },
      { service: 'api', kind: 'core' },
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Debug api' }));
    expect(m.host.calls('debug')).toEqual([{ service: 'api' }]);
    expect((await screen.findByText(/Attach a debugger to api at ws:\/\/127\.0\.0\.1:4567\/x/)).textContent).toMatch(/snoozed until it detaches/);
  });

  it('while a capture runs: says so and offers no second one', async () => {
    await openCaptures({ snoozed: true, capture: { kind: 'heap', engine: 'node-inspector', started_at: T0, until: null } });
    expect(within(screen.getByRole('region', { name: 'Captures of api' })).getByRole('status').textContent).toBe('heap capture with node-inspector… health checks snoozed until it ends');
    expect((screen.getByRole('button', { name: 'Capture cpu of api' }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => undefined);
  });
});
