// CPU and MEM columns of `hearth status`: only when some service is measured.
import { describe, expect, it } from 'vitest';
import { makePalette } from '../../electron/cli/color';
import { formatStatusTable } from '../../electron/cli/status-format';
import type { StackSnapshot } from '../../shared/types';
import { serviceStatus } from '../control/harness-supervisor';

const plain = makePalette(false);
const NOW = 1_700_000_000_000;
const MiB = 1024 ** 2;

function snapshot(services: StackSnapshot['services']): StackSnapshot {
  return {
    stack: { name: 's', file: '/x/hearth.yaml', dir: '/x', config_errors: [], loaded_at: NOW, snooze_warn_after_secs: 3600 },
    services,
    logs: [],
    now: NOW,
  };
}

describe('status table resources', () => {
  it('adds CPU and MEM after UPTIME, flags a service over its resources.ram, dashes for the unmeasured', () => {
    const lines = formatStatusTable(
      snapshot([
        serviceStatus('api', {
          state: 'RUNNING',
          pid: 123,
          started_at: NOW - 60_000,
          resources: { cpu_percent: 12.6, rss_bytes: 300 * MiB, history: [], ram_limit_bytes: null, over_ram: false },
        }),
        serviceStatus('db', {
          state: 'RUNNING',
          pid: 124,
          started_at: NOW - 60_000,
          resources: { cpu_percent: 0.2, rss_bytes: 612 * MiB, history: [], ram_limit_bytes: 512 * MiB, over_ram: true },
        }),
        serviceStatus('job', { state: 'FINISHED', pid: null, resources: null }),
      ]),
      plain,
    );
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+HEALTH\s+PID\s+RESTARTS\s+UPTIME\s+CPU\s+MEM\s+PORTS\s+SNOOZE$/);
    expect(lines[1]).toMatch(/^api .* 1m\s+13%\s+300 MiB\s+-\s+-$/);
    expect(lines[2]).toMatch(/^db .* 1m\s+0%\s+612 MiB ⚠\s+-\s+-$/);
    expect(lines[3]).toMatch(/^job\s+FINISHED\s+-\s+-\s+0\s+-\s+-\s+-\s+-\s+-$/);
  });

  it('leaves the columns out when nothing is measured', () => {
    const lines = formatStatusTable(snapshot([serviceStatus('api', { state: 'STOPPED', pid: null })]), plain);
    expect(lines[0]).not.toContain('CPU');
  });
});
