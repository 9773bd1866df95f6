import { describe, expect, it } from 'vitest';
import { chooseLauncher, fallbackMessage } from '../../electron/main/launcher';

describe('chooseLauncher', () => {
  it('launches Electron on a Linux desktop (X11 or Wayland) with the binary present', () => {
    expect(chooseLauncher({ platform: 'linux', env: { DISPLAY: ':0' }, electronBinaryExists: true })).toEqual({ kind: 'electron' });
    expect(chooseLauncher({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, electronBinaryExists: true })).toEqual({ kind: 'electron' });
  });

  it('falls back to the web UI on a headless Linux box, without trying to download', () => {
    expect(chooseLauncher({ platform: 'linux', env: {}, electronBinaryExists: false })).toEqual({ kind: 'web', reason: 'no display' });
    expect(chooseLauncher({ platform: 'linux', env: { DISPLAY: '' }, electronBinaryExists: true })).toEqual({ kind: 'web', reason: 'no display' });
  });

  it('macOS and Windows need no DISPLAY variable', () => {
    expect(chooseLauncher({ platform: 'darwin', env: {}, electronBinaryExists: true })).toEqual({ kind: 'electron' });
    expect(chooseLauncher({ platform: 'win32', env: {}, electronBinaryExists: true })).toEqual({ kind: 'electron' });
  });

  it('tries the install once when the binary is missing, then falls back', () => {
    expect(chooseLauncher({ platform: 'darwin', env: {}, electronBinaryExists: false })).toEqual({ kind: 'install' });
    expect(chooseLauncher({ platform: 'linux', env: { DISPLAY: ':1' }, electronBinaryExists: false, installAttempted: true })).toEqual({
      kind: 'web',
      reason: 'the Electron binary is not installed and could not be downloaded',
    });
  });

  it('honours HEARTH_UI=web', () => {
    expect(chooseLauncher({ platform: 'darwin', env: { HEARTH_UI: 'web' }, electronBinaryExists: true })).toEqual({ kind: 'web', reason: 'HEARTH_UI=web' });
  });

  it('prints one clear line', () => {
    expect(fallbackMessage('no display')).toBe('Electron cannot start here (no display): falling back to the web UI');
  });
});
