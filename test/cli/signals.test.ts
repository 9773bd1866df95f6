// `hearth up` as a real process, told to stop by a signal: every service must be stopped before it exits.
// SIGHUP is what a closed terminal or a dropped SSH session sends; the services run in process groups of
// their own, so nothing else would stop them.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isAlive, pidsWithEnv } from '../helpers/proc';
import { testTempDir } from '../helpers/temp-dir';
import { waitFor } from '../helpers/wait-for';

const BIN = join(__dirname, '..', '..', 'bin', 'hearth.js');

describe('hearth up and signals', () => {
  it.each(['SIGHUP', 'SIGTERM', 'SIGINT'] as const)('%s stops every service, then hearth exits 0', async (signal) => {
    const dir = testTempDir();
    const marker = `HEARTH_SIGNAL_TEST=${signal}-${process.pid}-${Date.now()}`;
    writeFileSync(join(dir, 'hearth.yaml'), 'services:\n  a:\n    cmd: sleep 1000\n  b:\n    cmd: sleep 1000\n');
    const child = spawn(process.execPath, [BIN, 'up', '-f', join(dir, 'hearth.yaml')], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', [marker.split('=')[0]!]: marker.split('=')[1] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The pids hearth reports starting; they carry the marker, and nothing else of the stack may.
    const services = await waitFor(
      () => {
        const pids = [...out.matchAll(/started pid (\d+)/g)].map((m) => Number(m[1]));
        return pids.length === 2 ? pids : null;
      },
      { what: 'both services started', timeoutMs: 20_000 },
    );
    expect(pidsWithEnv(marker).filter((pid) => pid !== child.pid).sort()).toEqual([...services].sort());
    onTestFinished(() => {
      for (const pid of [child.pid!, ...services]) {
        try {
          process.kill(pid, 'SIGKILL'); // only when the test failed: nothing may outlive it
        } catch {
          // gone, as it should be
        }
      }
    });
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(out).toMatch(/\| stopped\n/);
    for (const pid of services) expect(isAlive(pid)).toBe(false);
  });
});
