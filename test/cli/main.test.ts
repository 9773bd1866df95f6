import { describe, expect, it } from 'vitest';
import { main, parseGlobal } from '../../electron/cli/main';
import { describeOpenError } from '../../electron/cli/commands/open-host';
import { AlreadyRunningError } from '../../electron/control/errors';
import { captureIo } from './capture-io';

describe('parseGlobal', () => {
  it('takes -f/--file, --help and --version before the command', () => {
    expect(parseGlobal(['-f', 'a.yaml', 'status', '--json'])).toEqual({ file: 'a.yaml', help: false, version: false, command: 'status', rest: ['--json'] });
    expect(parseGlobal(['--file=b.yaml', 'logs'])).toMatchObject({ file: 'b.yaml', command: 'logs', rest: [] });
    expect(parseGlobal(['-fc.yaml', 'up', 'api'])).toMatchObject({ file: 'c.yaml', command: 'up', rest: ['api'] });
    expect(parseGlobal(['--help'])).toEqual({ help: true, version: false, rest: [] });
    expect(() => parseGlobal(['-f'])).toThrow('-f needs a file name');
    expect(() => parseGlobal(['--bogus', 'status'])).toThrow('unknown option --bogus');
  });
});

describe('main', () => {
  const run = async (args: string[]) => {
    const io = captureIo('/nonexistent-dir-for-tests');
    return { code: await main(args, io), io };
  };

  it('prints usage with exit 2 for no or an unknown command, 0 for --help', async () => {
    let r = await run([]);
    expect(r.code).toBe(2);
    expect(r.io.err.text).toContain('usage: hearth [-f FILE] COMMAND [ARGS]');
    r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.io.err.text).toContain('hearth: unknown command "frobnicate"');
    expect(r.io.err.text).toContain('usage: hearth');
    r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.io.out.text).toContain('snooze');
  });

  it('has help per command, before or after it', async () => {
    for (const args of [['logs', '--help'], ['logs', '-h'], ['--help', 'logs']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.io.out.text).toContain('usage: hearth logs [-f FILE] [SERVICE] [-n N] [--since DURATION] [--follow]');
    }
  });

  it('lists `open` in the usage and explains it in its help', async () => {
    const usage = (await run(['--help'])).io.out.text;
    expect(usage).toMatch(/^ {2}open +open the web UI of the running `hearth serve` in the browser, with a fresh one-time login$/m);
    const help = await run(['open', '--help']);
    expect(help.code).toBe(0);
    expect(help.io.out.text).toContain('usage: hearth open [-f FILE] [--print]');
    expect(help.io.out.text).toContain('owner-only control socket');
    expect(help.io.out.text).toContain('once, within 15 minutes');
    expect(help.io.out.text).toMatch(/^ {2}--print +print the link instead of opening a browser/m);
    const bad = await run(['open', '--port', '1']);
    expect(bad.code).toBe(2);
    expect(bad.io.err.text).toContain('usage: hearth open [-f FILE] [--print]');
  });

  it('prints the version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.io.out.text).toMatch(/^hearth \d+\.\d+\.\d+\n$/);
  });

  it('rejects unknown options and extra arguments with exit 2 and the usage line', async () => {
    let r = await run(['status', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.io.err.text).toContain("hearth status: Unknown option '--bogus'");
    expect(r.io.err.text).toContain('usage: hearth status [-f FILE] [SERVICE...] [--json | --watch]');
    r = await run(['ports', 'api']);
    expect(r.code).toBe(2);
    expect(r.io.err.text).toContain('hearth ports: unexpected argument api');
    r = await run(['serve', '--port', 'http']);
    expect(r.code).toBe(2);
    expect(r.io.err.text).toContain('--port wants a port number');
  });
});

describe('describeOpenError', () => {
  it('formats stack file issues one per line, relative to the cwd', () => {
    const error = Object.assign(new Error('stack file has 2 error(s)'), {
      issues: [
        { file: '/w/hearth.yaml', line: 3, col: 5, path: 'services.api.cmd', message: 'required' },
        { file: '/w/hearth.yaml', line: 1, col: 1, path: '', message: 'bad YAML' },
      ],
    });
    expect(describeOpenError(error, '/w')).toEqual(['hearth.yaml:3:5 services.api.cmd: required', 'hearth.yaml:1:1 bad YAML']);
  });

  it('passes AlreadyRunningError through and leaves real crashes alone', () => {
    expect(describeOpenError(new AlreadyRunningError('hearth is already running this stack (pid 7)'), '/')).toEqual([
      'hearth is already running this stack (pid 7)',
      '  `hearth status` and `hearth logs --follow` show it; `hearth down` stops it',
    ]);
    expect(describeOpenError(new TypeError('x is undefined'), '/')).toBeNull();
  });
});
