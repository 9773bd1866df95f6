import { describe, expect, it } from 'vitest';
import { AlreadyRunningError, StackLoadError } from '../../electron/host/stack-host';
import { issuesFromOpenError } from '../../electron/main/open-errors';

describe('issuesFromOpenError', () => {
  const file = '/s/hearth.yaml';

  it('passes the loader issues through', () => {
    const issue = { file, line: 2, col: 3, path: 'services.api', message: 'cmd is required' };
    expect(issuesFromOpenError(new StackLoadError([issue]), file)).toEqual([issue]);
  });

  it('explains an already running stack', () => {
    const [issue] = issuesFromOpenError(new AlreadyRunningError('socket busy'), file);
    expect(issue).toMatchObject({ file, line: 0, path: '' });
    expect(issue?.message).toMatch(/already running.*hearth down/);
  });

  it('words file system errors and keeps any other message', () => {
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(issuesFromOpenError(missing, file)[0]?.message).toBe('The stack file does not exist: /s/hearth.yaml');
    expect(issuesFromOpenError(new Error('port range exhausted'), file)[0]?.message).toBe('port range exhausted');
    expect(issuesFromOpenError('weird', file)[0]?.message).toBe('weird');
  });
});
