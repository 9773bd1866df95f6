// The resource view on a service card: CPU/RSS text, sparklines, the resources.ram warning, and the
// "restarted: file changed (path)" reason.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ServiceResources } from '../../shared/types';
import { Sparkline } from '../../renderer/src/components/sparkline';
import { cpuScale, formatBytes, formatCpu, ramWarning, rssScale, sparkPoints } from '../../renderer/src/model/resources';
import { renderApp } from './render-app';
import { service, snapshot, T0 } from './fixtures';

afterEach(cleanup);

const MiB = 1024 ** 2;

function resources(over: Partial<ServiceResources> = {}): ServiceResources {
  const history = [10, 40, 20, 80].map((cpu, i) => ({ at: T0 - (4 - i) * 2000, cpu_percent: cpu, rss_bytes: (100 + i * 50) * MiB }));
  return { cpu_percent: 80, rss_bytes: 250 * MiB, history, ram_limit_bytes: null, over_ram: false, ...over };
}

describe('resource model', () => {
  it('formats bytes in binary units and CPU with a decimal only below 10%', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(900 * 1024)).toBe('900 KiB');
    expect(formatBytes(312 * MiB)).toBe('312 MiB');
    expect(formatBytes(1.44 * 1024 * MiB)).toBe('1.4 GiB');
    expect(formatCpu(0)).toBe('0%');
    expect(formatCpu(0.43)).toBe('0.4%');
    expect(formatCpu(12.6)).toBe('13%');
    expect(formatCpu(180)).toBe('180%');
  });

  it('maps values to points: 0 at the bottom, max at the top, newest on the right', () => {
    expect(sparkPoints([0, 50, 100], 100, 60, 12)).toBe('0,11 30,6 60,1');
    expect(sparkPoints([7], 10, 60, 12)).toBe('0,4 60,4');
    expect(sparkPoints([], 10, 60, 12)).toBe('');
    // Values above the scale are clamped to the top.
    expect(sparkPoints([500], 100, 10, 12)).toBe('0,1 10,1');
  });

  it('scales CPU to at least 10% and RSS to the limit when it is higher', () => {
    expect(cpuScale([])).toBe(10);
    expect(cpuScale(resources().history)).toBe(80);
    expect(rssScale(resources())).toBe(250 * MiB);
    expect(rssScale(resources({ ram_limit_bytes: 512 * MiB }))).toBe(512 * MiB);
  });

  it('words the over-limit warning', () => {
    expect(ramWarning(resources())).toBeNull();
    expect(ramWarning(resources({ ram_limit_bytes: 200 * MiB, over_ram: true }))).toBe(
      'Memory 250 MiB is over its 200 MiB limit (resources.ram) — a warning only, it keeps running',
    );
  });
});

describe('Sparkline', () => {
  it('draws a polyline of the values and a dashed limit line inside the scale', () => {
    const { container } = render(<Sparkline values={[0, 5, 10]} max={20} limit={10} label="Memory" width={40} height={12} />);
    const svg = screen.getByRole('img', { name: 'Memory' });
    expect(svg.querySelector('polyline')?.getAttribute('points')).toBe('0,11 20,8.5 40,6');
    expect(container.querySelector('line.spark-limit')?.getAttribute('y1')).toBe('6');
    cleanup();
    render(<Sparkline values={[1]} max={5} limit={50} label="x" />);
    expect(document.querySelector('line.spark-limit')).toBeNull();
  });
});

describe('service card resources', () => {
  it('shows CPU and memory with sparklines, and nothing for a service without a process', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api', { resources: resources() }), service('db', { state: 'STOPPED', pid: null, resources: null })]));
    const api = screen.getByRole('listitem', { name: 'api' });
    expect(within(api).getByRole('img', { name: 'CPU 80%, last 4 samples' })).toBeTruthy();
    expect(within(api).getByRole('img', { name: 'Memory 250 MiB, last 4 samples' })).toBeTruthy();
    expect(api.querySelector('.spark-cpu polyline')?.getAttribute('points')?.split(' ')).toHaveLength(4);
    expect([...api.querySelectorAll('.resource-value')].map((e) => e.textContent)).toEqual(['80%', '250 MiB']);
    expect(within(api).queryByRole('status')).toBeNull();
    expect(screen.getByRole('listitem', { name: 'db' }).querySelector('.resources')).toBeNull();
  });

  it('warns on the card when memory is over resources.ram, with the limit next to the value', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api', { resources: resources({ ram_limit_bytes: 200 * MiB, over_ram: true }) })]));
    const api = screen.getByRole('listitem', { name: 'api' });
    expect(within(api).getByRole('status').textContent).toContain('Memory 250 MiB is over its 200 MiB limit');
    expect(api.querySelector('.resource-over')?.textContent).toContain('250 MiB / 200 MiB');
    // Back under: the warning goes away with the next update.
    emit('service', service('api', { resources: resources({ ram_limit_bytes: 200 * MiB, rss_bytes: 150 * MiB, over_ram: false }) }));
    expect(within(screen.getByRole('listitem', { name: 'api' })).queryByRole('status')).toBeNull();
  });

  it('says which file a file-changed restart was for', () => {
    const { emit } = renderApp();
    emit('snapshot', snapshot([service('api', { restarts: 1, last_restart_reason: 'file-changed', last_restart_detail: 'src/app.ts (+2 more)' })]));
    expect(screen.getByRole('listitem', { name: 'api' }).textContent).toContain('↻ restarted: file changed (src/app.ts (+2 more))');
  });
});
