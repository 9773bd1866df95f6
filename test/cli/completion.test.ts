// The bash completion script, run by real bash: commands, each command's options (generated from the same
// table the CLI dispatches with), and service names read from the stack file by `hearth check --services`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../electron/cli/main';
import { hearthBin } from '../helpers/hearth-bin';
import { writeStack, type StackDir } from '../faults/kit';

const BIN = join(__dirname, '..', '..', 'bin', 'hearth.js');
let stack: StackDir;
let script: string;

beforeAll(async () => {
  stack = writeStack('services:\n  db:\n    cmd: sleep 1\n  api:\n    cmd: sleep 1\n  pool:\n    cmd: sleep 1\n    replicas: 2\n');
  script = (await hearthBin(stack.file, ['completion', 'bash'])).out;
});
afterAll(() => stack.cleanup());

/** What bash offers for the words typed so far (the last one being completed), `hearth` being bin/hearth.js. */
function complete(...words: string[]): string[] {
  const program = [
    `hearth() { "${process.execPath}" "${BIN}" "$@"; }`,
    script,
    `COMP_WORDS=(hearth ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _hearth; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  return execFileSync('bash', ['-c', program], { cwd: stack.dir, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('hearth completion bash', () => {
  it('completes command names, and every command of the CLI is among them', () => {
    expect(complete('st')).toEqual(['status', 'start', 'stop']);
    expect(complete('').sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('completes each command\'s own options, never the internal background flag', () => {
    expect(complete('logs', '--')).toEqual(expect.arrayContaining(['--lines', '--since', '--follow', '--timestamps', '--file', '--help']));
    expect(complete('up', '--')).not.toContainEqual(expect.stringContaining('background'));
    expect(complete('up', '-d', '--w')).toEqual(['--wait']);
  });

  it('completes service names from the stack file (a replicated one by its group name), with -f too', () => {
    expect(complete('restart', '')).toEqual(['db', 'api', 'pool']);
    expect(complete('snooze', 'a')).toEqual(['api']);
    expect(complete('-f', stack.file, 'logs', 'p')).toEqual(['pool']);
    // run: a service first, then a program.
    expect(complete('run', '')).toEqual(['db', 'api', 'pool']);
    expect(complete('run', 'api', 'bas')).toContain('bash');
    // signal: a signal first, then services.
    expect(complete('signal', 'U')).toEqual(['USR1', 'USR2']);
    expect(complete('signal', 'HUP', '')).toEqual(['db', 'api', 'pool']);
  });

  it('has a zsh form (bash completion through bashcompinit) and refuses other shells', async () => {
    const zsh = await hearthBin(stack.file, ['completion', 'zsh']);
    expect(zsh.out).toBe(`autoload -U +X bashcompinit && bashcompinit\n${script}`);
    expect(await hearthBin(stack.file, ['completion', 'fish'])).toMatchObject({ code: 2, err: 'hearth completion: bash or zsh, not "fish"\n' });
  });

  it('offers nothing after an option that takes a value, files after -f', () => {
    expect(complete('logs', '-n', '')).toEqual([]);
    expect(complete('wait', '--timeout', '')).toEqual([]);
    expect(complete('-f', 'hear')).toEqual(['hearth.yaml']);
  });
});

describe('hearth check --services', () => {
  it('prints the service names of the file, one per line', async () => {
    expect(await hearthBin(stack.file, ['check', '--services'])).toMatchObject({ code: 0, out: 'db\napi\npool\n', err: '' });
  });

  it('fails with the file\'s errors like check', async () => {
    const bad = writeStack('services:\n  api:\n    cmd: 3\n');
    try {
      const r = await hearthBin(bad.file, ['check', '--services']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^hearth\.yaml:3:\d+ services\.api\.cmd: /);
    } finally {
      bad.cleanup();
    }
  });
});
