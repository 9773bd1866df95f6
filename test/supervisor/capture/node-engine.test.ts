import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEngine, openInspector } from '../../../electron/supervisor/capture/node-engine';
import { FIXTURES, startSubject } from './job-kit';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
}

async function busyNode(...args: string[]) {
  const s = startSubject(process.execPath, [join(FIXTURES, 'busy-node.mjs'), ...args]);
  await s.waitLine(/busy-node up/);
  return s;
}

describe('the Node engine (inspector over SIGUSR1, DevTools protocol)', () => {
  it('writes a .cpuprofile with samples in the service\'s own function, and closes the inspector it opened', async () => {
    const s = await busyNode();
    const out = await nodeEngine.run(s.job('cpu'));
    expect(out.format).toBe('cpuprofile');
    const profile = JSON.parse(readFileSync(out.file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
    const spin = new Set(profile.nodes.filter((n) => n.callFrame.functionName === 'spinTheWheel').map((n) => n.id));
    expect(spin.size).toBeGreaterThan(0);
    expect(profile.samples.filter((id) => spin.has(id)).length).toBeGreaterThan(10);
    // Closed again: a second capture has to open it anew (another "Debugger listening" line).
    const opened = s.lines.filter((l) => l.includes('Debugger listening on')).length;
    await nodeEngine.run(s.job('cpu', { durationMs: 200 }));
    expect(s.lines.filter((l) => l.includes('Debugger listening on')).length).toBe(opened + 1);
    expect(s.child.exitCode).toBeNull();
  });

  it('stops a CPU capture early when aborted and keeps what it sampled', async () => {
    const s = await busyNode();
    const abort = new AbortController();
    const started = Date.now();
    const running = nodeEngine.run(s.job('cpu', { durationMs: 60_000, signal: abort.signal }));
    await s.waitLine(/Debugger attached/);
    abort.abort();
    const out = await running;
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((JSON.parse(readFileSync(out.file, 'utf8')) as { nodes: unknown[] }).nodes.length).toBeGreaterThan(0);
  });

  it('writes a heap snapshot that holds the service\'s objects', async () => {
    const s = await busyNode();
    const out = await nodeEngine.run(s.job('heap'));
    expect(out.format).toBe('heapsnapshot');
    const snapshot = JSON.parse(readFileSync(out.file, 'utf8')) as { snapshot: { node_count: number }; strings: string[] };
    expect(snapshot.snapshot.node_count).toBeGreaterThan(1000);
    expect(snapshot.strings).toContain('HearthHeapMarker');
  });

  it('takes the JavaScript stack (threads) and lets the process run on', async () => {
    const s = await busyNode('forever');
    const out = await nodeEngine.run(s.job('threads'));
    expect(readFileSync(out.file, 'utf8')).toMatch(/at spinTheWheel \(file:.*busy-node\.mjs:\d+:\d+\)/);
    expect(s.child.exitCode).toBeNull();
  });

  it('says why when the inspector cannot be opened', async () => {
    const s = startSubject(process.execPath, ['-e', 'process.on("SIGUSR1", () => {}); console.log("up"); setInterval(() => {}, 1000)']);
    await s.waitLine(/up/);
    await expect(openInspector(s.job('cpu'), 1_000)).rejects.toThrow(/did not open its inspector within 1s of SIGUSR1/);
  });
});
