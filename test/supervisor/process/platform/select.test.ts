import { describe, expect, it } from 'vitest';
import { BACKEND_ENV, detectBackend } from '../../../../electron/supervisor/process/platform/select';

describe('detectBackend', () => {
  it('takes /proc on Linux, ps where there is no /proc, the windows backend on win32', () => {
    expect(detectBackend({}, 'linux')).toBe('linux'); // this machine has /proc
    expect(detectBackend({}, 'darwin')).toBe('posix-ps');
    expect(detectBackend({}, 'freebsd')).toBe('posix-ps');
    expect(detectBackend({}, 'win32')).toBe('windows');
  });

  it('obeys HEARTH_PROCESS_BACKEND, and names the choices when it is wrong', () => {
    expect(detectBackend({ [BACKEND_ENV]: 'posix-ps' }, 'linux')).toBe('posix-ps');
    expect(detectBackend({ [BACKEND_ENV]: 'none' }, 'darwin')).toBe('none');
    expect(() => detectBackend({ [BACKEND_ENV]: 'proc' }, 'linux')).toThrow('HEARTH_PROCESS_BACKEND=proc: expected one of linux, posix-ps, windows, none');
  });
});
