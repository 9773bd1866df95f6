// env_file with a real child that prints its environment: precedence, no templates in env files,
// re-read at restart, reload restarts only the services whose env file changed, and a file that
// disappeared after loading fails the start with a clear error.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStack, type StackUnderTest } from './harness';
import { waitFor } from '../helpers/wait-for';

let stack: StackUnderTest | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
  delete process.env.HT_A;
});

const PRINT = `env | grep -E '^(HT_[A-Z]+|PORT|HEARTH_SERVICE)=' | sort | paste -s -d ' ' -; exec sleep 1000`;

const YAML = `env_file: [stack1.env, stack2.env]
services:
  api:
    cmd: ${JSON.stringify(PRINT)}
    ports: { http: null }
    env_file: [svc1.env, { path: svc2.env, required: false }, { path: absent.env, required: false }]
    env:
      HT_D: from-env
      HT_G: "{{thermos.ports[http]}}"
      PORT: "1"
  other:
    cmd: exec sleep 1000
`;

const FILES = {
  'stack1.env': 'HT_A=stack1\nHT_B=stack1\n',
  'stack2.env': 'HT_B=stack2\nHT_C=stack2\n',
  'svc1.env': 'HT_C=svc1\nHT_D=svc1\nHEARTH_SERVICE=fake\n',
  'svc2.env': 'HT_D=svc2\nHT_E=svc2\nHT_F={{thermos.ports[http]}}\n',
};

/** The environment line printed by `run` of api, parsed. */
async function envOf(s: StackUnderTest, run: number): Promise<Record<string, string>> {
  const line = await waitFor(() => s.lines.find((l) => l.service === 'api' && l.run === run && l.stream === 'stdout' && l.text.includes('HT_')), {
    what: `env line of run ${run}`,
  });
  return Object.fromEntries(line.text.trim().split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

describe('env_file', () => {
  it('applies process env < stack files < service files < env: < Hearth, and renders no templates from files', async () => {
    process.env.HT_A = 'process';
    stack = await runStack(YAML, { files: FILES });
    const api = await stack.waitState('api', 'RUNNING');
    const env = await envOf(stack, 1);
    expect(env).toEqual({
      HT_A: 'stack1', // stack file over the process environment
      HT_B: 'stack2', // later stack file over earlier
      HT_C: 'svc1', // service file over stack file
      HT_D: 'from-env', // env: over every file
      HT_E: 'svc2', // optional file that exists is read
      HT_F: '{{thermos.ports[http]}}', // env files are data, not templates
      HT_G: String(api.ports.http), // env: values still render
      PORT: String(api.ports.http), // Hearth's own variables win over env: and files
      HEARTH_SERVICE: 'api',
    });
  });

  it('re-reads the files at every start, and reload restarts only the services using a changed file', async () => {
    stack = await runStack(YAML, { files: FILES });
    await stack.waitState('api', 'RUNNING');
    const other = await stack.waitState('other', 'RUNNING');
    expect((await envOf(stack, 1)).HT_C).toBe('svc1');

    writeFileSync(join(stack.dir, 'svc1.env'), 'HT_C=edited\n');
    await stack.sup.invoke('restart', { services: ['api'] });
    expect((await envOf(stack, 2)).HT_C).toBe('edited');

    writeFileSync(join(stack.dir, 'svc1.env'), 'HT_C=reloaded\n');
    const res = await stack.sup.invoke('reload', {});
    expect(res).toMatchObject({ ok: true, changed: ['api'] });
    expect((await envOf(stack, 3)).HT_C).toBe('reloaded');
    expect(stack.status('api').last_restart_reason).toBe('config-changed');

    // A stack-level file concerns every service.
    writeFileSync(join(stack.dir, 'stack1.env'), 'HT_A=new\n');
    expect(await stack.sup.invoke('reload', {})).toMatchObject({ ok: true, changed: ['api', 'other'] });
    await stack.waitState('other', (s) => s.state === 'RUNNING' && s.pid !== other.pid);
  });

  it('fails the start with the path when a required file disappeared after loading', async () => {
    stack = await runStack(YAML, { files: FILES, start: false });
    rmSync(join(stack.dir, 'svc1.env'));
    await stack.sup.invoke('start', { services: ['api'] });
    const failed = await stack.waitState('api', 'FAILED');
    expect(failed.error).toContain(`${join(stack.dir, 'svc1.env')} not found`);
    // A reload now reports it at its line instead.
    const res = await stack.sup.invoke('reload', {});
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toMatchObject({ line: 6, path: 'services.api.env_file[0]' });
  });
});
