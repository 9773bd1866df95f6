// Restart on change, for real: chokidar on a temp folder, real `sleep` services, real file writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from '../harness';
import { waitFor } from '../../helpers/wait-for';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const files = { 'src/app.js': '1', 'src/b.js': '1', 'src/gen/out.js': '1', 'src/notes.txt': '1' };

async function watching(s: StackUnderTest, name: string): Promise<void> {
  await waitFor(() => s.lines.some((l) => l.service === name && l.stream === 'system' && l.text.startsWith('watching ')), { what: `${name} watching` });
}

describe('watch: restart on change', () => {
  it('restarts the service with a new pid, reason file-changed and the path; ignored and unmatched paths do not count', async () => {
    stack = await runStack(
      `services:
  api:
    cmd: exec sleep 1000
    watch: { paths: ["src/**/*.js"], ignore: ["src/gen"], debounce_ms: 100 }
`,
      { files },
    );
    const first = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== null);
    await watching(stack, 'api');
    // Ignored folder and a path outside the glob first, then the watched file, in one burst: the
    // restart must name only the watched file.
    writeFileSync(join(stack.dir, 'src/gen/out.js'), '2');
    writeFileSync(join(stack.dir, 'src/notes.txt'), '2');
    writeFileSync(join(stack.dir, 'src/app.js'), '2');
    const next = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== null && s.pid !== first.pid);
    expect(next.last_restart_reason).toBe('file-changed');
    expect(next.last_restart_detail).toBe('src/app.js');
    expect(next.restarts).toBe(1);
    expect(stack.lines.some((l) => l.text === 'file changed: src/app.js; restarting')).toBe(true);
  });

  it('gives one restart for a burst of changes (debounce), then restarts again for a later change', async () => {
    stack = await runStack(
      `services:
  api:
    cmd: exec sleep 1000
    watch: { paths: [src], debounce_ms: 250 }
`,
      { files },
    );
    const first = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== null);
    await watching(stack, 'api');
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(stack.dir, 'src/app.js'), `v${i}`);
      writeFileSync(join(stack.dir, 'src/b.js'), `v${i}`);
    }
    const second = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== null && s.pid !== first.pid);
    expect(second.last_restart_detail).toBe('src/app.js (+1 more)');
    writeFileSync(join(stack.dir, 'src/notes.txt'), 'later');
    const third = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== null && s.pid !== second.pid);
    expect(third.last_restart_detail).toBe('src/notes.txt');
    // Exactly one restart per quiet period: the burst of ten writes gave one.
    expect(third.restarts).toBe(2);
    expect(new Set(stack.history.map((s) => s.run))).toEqual(new Set([1, 2, 3]));
  });

  it('leaves a stopped service alone (a running one watching the same file restarts)', async () => {
    stack = await runStack(
      `services:
  stopped:
    cmd: exec sleep 1000
    watch: { paths: [src/app.js], debounce_ms: 50 }
  running:
    cmd: exec sleep 1000
    watch: { paths: [src/app.js], debounce_ms: 50 }
`,
      { files },
    );
    await stack.waitState('stopped', 'RUNNING');
    const running = await stack.waitState('running', 'RUNNING');
    await watching(stack, 'stopped');
    await watching(stack, 'running');
    await stack.sup.invoke('stop', { services: ['stopped'] });
    writeFileSync(join(stack.dir, 'src/app.js'), 'changed');
    await stack.waitState('running', (s) => s.state === 'RUNNING' && s.pid !== running.pid);
    expect(stack.status('stopped').state).toBe('STOPPED');
    expect(stack.status('stopped').restarts).toBe(0);
  });

  it('arms a watch section added by a reload without restarting the service', async () => {
    stack = await runStack('services:\n  api:\n    cmd: exec sleep 1000\n', { files });
    const first = await stack.waitState('api', 'RUNNING');
    writeFileSync(stack.file, 'services:\n  api:\n    cmd: exec sleep 1000\n    watch: { paths: [src], debounce_ms: 50 }\n');
    expect(await stack.sup.invoke('reload', {})).toMatchObject({ ok: true, changed: [] });
    expect(stack.status('api').pid).toBe(first.pid);
    await watching(stack, 'api');
    writeFileSync(join(stack.dir, 'src/b.js'), 'changed');
    const next = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== first.pid);
    expect(next.last_restart_detail).toBe('src/b.js');
  });

  it('never restarts on its own log files: watching the whole stack folder skips .hearth', async () => {
    stack = await runStack(
      `services:
  chatty:
    cmd: while true; do echo line; sleep 0.01; done
    watch: { paths: ["."], debounce_ms: 50 }
`,
      { files },
    );
    const first = await stack.waitState('chatty', 'RUNNING');
    await watching(stack, 'chatty');
    // Its log file under .hearth/ keeps growing meanwhile.
    await waitFor(() => stack!.lines.filter((l) => l.service === 'chatty' && l.text === 'line').length > 20, { what: 'output' });
    writeFileSync(join(stack.dir, 'src/notes.txt'), 'edit');
    const next = await stack.waitState('chatty', (s) => s.state === 'RUNNING' && s.pid !== first.pid);
    expect(next.last_restart_detail).toBe('src/notes.txt');
    expect(next.restarts).toBe(1);
  });

  it('watches a folder that does not exist yet', async () => {
    stack = await runStack('services:\n  api:\n    cmd: exec sleep 1000\n    watch: { paths: [later], debounce_ms: 50 }\n', { files });
    const first = await stack.waitState('api', 'RUNNING');
    await watching(stack, 'api');
    mkdirSync(join(stack.dir, 'later'));
    writeFileSync(join(stack.dir, 'later/x.conf'), 'new');
    const next = await stack.waitState('api', (s) => s.state === 'RUNNING' && s.pid !== first.pid);
    expect(next.last_restart_detail).toMatch(/^later/);
  });
});
