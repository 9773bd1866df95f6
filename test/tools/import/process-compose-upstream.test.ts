// process-compose's own example files (../fixtures/process-compose-upstream, copied unmodified under
// Apache-2.0): each imports into a stack file that loads, and what process-compose's loader does to
// them ($$, templates, extends, replicas, env_file, watch) is what the import does.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../../electron/supervisor/config/load';
import type { StackConfig } from '../../../electron/supervisor/config/types';
import { importStack } from '../../../electron/tools/import/import-stack';

const UPSTREAM = join(import.meta.dirname, '../fixtures/process-compose-upstream');
const FILES = [
  'process-compose.yaml',
  'process-compose.override.yaml',
  'fixtures-code/process-compose-process-extends.yaml',
  'fixtures-code/process-compose-with-extends.yaml',
  'fixtures-code/process-compose-chain.yaml',
  'fixtures-code/process-compose-scale.yaml',
  'fixtures-code/process-compose-circular.yaml',
  'fixtures-code/process-compose-env-file.yaml',
  'issues/issue_420/compose.yaml',
  'issues/issue_427/process-compose.yaml',
];

function imported(file: string): { stack: StackConfig; notes: string[] } {
  const source = join(UPSTREAM, file);
  const target = join(dirname(source), 'hearth.yaml');
  const result = importStack(readFileSync(source, 'utf8'), source, target, { readFile: (p) => readFileSync(p, 'utf8') });
  const loaded = parseStack(result.yaml, target);
  if (!loaded.ok) throw new Error(`${file}: the written file does not load:\n${result.yaml}\n${JSON.stringify(loaded.errors, null, 2)}`);
  return { stack: loaded.stack, notes: result.notes.map((n) => `${n.where}: ${n.message}`) };
}

describe('process-compose\'s own files', () => {
  it.each(FILES)('%s imports into a stack file that loads', (file) => {
    expect(Object.keys(imported(file).stack.services).length).toBeGreaterThan(0);
  });

  it('turns the $$ escape into the $ the shell should see (not $$, its pid)', () => {
    const { stack } = imported('issues/issue_427/process-compose.yaml');
    expect(stack.services.test!.cmd).toBe('echo global is "$ENVGLOBAL"\necho local is "$ENVLOCAL"\nsleep 60\n');
    expect(stack.services.test!.env).toMatchObject({ ENVGLOBAL: 'hello', ENVLOCAL: 'world' });
    expect(imported('process-compose.yaml').stack.services.dot_env_test!.cmd).toBe('echo val from .env: ${FOO}');
    expect(imported('fixtures-code/process-compose-env-file.yaml').stack.services.test_env_file!.cmd).toBe('echo My name is $MY_NAME');
  });

  it('maps {{.PC_REPLICA_NUM}} to {{thermos.instance}} in env, and replicas to replicas', () => {
    const { stack } = imported('issues/issue_420/compose.yaml');
    expect(Object.keys(stack.services)).toEqual(['test.0', 'test.1', 'test.2']);
    expect(stack.services['test.2']!.env.REPL).toBe('{{thermos.instance}}');
    expect(Object.keys(imported('fixtures-code/process-compose-scale.yaml').stack.services)).toEqual(['process1.0', 'process1.1', 'process2', 'process3']);
  });

  it('a probe port made of the replica number becomes the port the command listens on', () => {
    const { stack, notes } = imported('process-compose.yaml');
    const server = stack.services.server!;
    expect(server.cmd).toBe('python3 -m http.server {{thermos.ports[http]}}');
    expect(server.health_check?.probe).toMatchObject({ kind: 'http', port: 'http' });
    expect(notes).toContain('server.command: 404{{thermos.instance}}, the probed port of each replica, written as {{thermos.ports[http]}}: Hearth allocates one per instance');
  });

  it('renders Go templates from vars: {{or}}, {{if and}}, a quoted literal', () => {
    const { stack, notes } = imported('process-compose.override.yaml');
    expect(stack.services.template!.cmd).toBe("echo 'Hi Cool Dude from USA version ${VERSION} Not Supported'"); // HI from the project's vars
    // docker's own {{.State.Running}} would be a Hearth template: that probe is left out, and said so.
    expect(notes).toContain('nginx.liveness_probe: the command has literal {{…}} ([ $(docker inspect -f {{.State.Running}} nginx_test) = true ]), which Hearth would read as a template; probe skipped');
    expect(stack.services.nginx!.health_check?.probe.kind).toBe('http'); // from the readiness probe
  });

  it('resolves process-level extends: the base\'s settings, environment merged by variable', () => {
    const { stack } = imported('fixtures-code/process-compose-process-extends.yaml');
    expect(stack.services.derived).toMatchObject({ cmd: 'echo base', cwd: '/tmp', service: true, env: { FOO: 'override', SHARED: 'base', EXTRA: '2' } });
    expect(stack.services.chain_top).toMatchObject({ cmd: 'echo top', cwd: '/tmp', env: { FOO: 'override', SHARED: 'base', EXTRA: '2' } });
    const override = imported('process-compose.override.yaml').stack.services.derived!;
    expect(override.cmd).toBe("echo 'derived process' env: $ORIGIN $NUM $LIVE");
    expect(override.env).toMatchObject({ ORIGIN: 'base', NUM: '42', LIVE: 'LONG_AND_PROSPER' });
  });

  it('resolves top-level extends: the extended file\'s processes, this file\'s settings over them', () => {
    const { stack } = imported('fixtures-code/process-compose-with-extends.yaml');
    const chain = imported('fixtures-code/process-compose-chain.yaml').stack;
    expect(Object.keys(stack.services).sort()).toEqual(Object.keys(chain.services).sort());
    expect(stack.services.process1!.cmd).toBe('echo extending');
    expect(stack.services.process1!.depends_on).toEqual(chain.services.process1!.depends_on);
    const dir = (cwd: string): string => resolve(UPSTREAM, 'fixtures-code', cwd);
    expect(dir(stack.services.process3!.cwd)).toBe(dir(chain.services.process3!.cwd));
  });

  it('maps watch (paths, debounce) and env_file; reports cascade and a dependency cycle', () => {
    const override = imported('process-compose.override.yaml');
    expect(override.stack.services.watcher!.watch).toMatchObject({ paths: ['./src'], debounce_ms: 1000 });
    expect(override.notes).toContain('watcher.watch: cascade: Hearth restarts only the watched service, not its dependents');
    const envFile = imported('fixtures-code/process-compose-env-file.yaml').stack;
    // Relative to the process's working_dir ("../../fixtures-code/"), as process-compose reads it.
    expect(envFile.services.test_env_file!.env_files.map((f) => [f.path, f.required])).toContainEqual([resolve(UPSTREAM, 'fixtures-code/../../fixtures-code/.env.test'), false]);
    const circular = imported('fixtures-code/process-compose-circular.yaml');
    expect(circular.notes.some((n) => n.includes('closes a dependency cycle'))).toBe(true);
  });

  it('reads .env as process-compose does, for every service', () => {
    const { stack } = imported('process-compose.yaml');
    expect(stack.env_files).toEqual([{ path: join(UPSTREAM, '.env'), required: false }]);
  });
});
